// `pnpm demo`: fills a running Promptlog with ~2,000 realistic executions from the last 30 days,
// through the public API. The same DEMO_SEED always yields the same ids, so a second run only
// reports duplicates; pick another seed to add a second data set.
import { uuidv7 } from '../apps/server/src/lib/ids';
import {
  BatchResponse,
  ERROR_TYPES,
  type ErrorType,
  ExecutionInput,
  type ExecutionPatch,
  type FileInput,
  type SourceType,
  type Usage,
} from '../packages/contracts/src';

type Json = Record<string, unknown>;
type ToolCall = NonNullable<ExecutionInput['toolCalls']>[number];
type Trace = NonNullable<ExecutionInput['trace']>;
type Location = NonNullable<ExecutionInput['location']>;
type ExecutionError = NonNullable<ExecutionInput['error']>;
type Status = ExecutionInput['status'];

const BASE_URL = (process.env.PROMPTLOG_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const API_KEY = process.env.PROMPTLOG_API_KEY ?? '';
const SEED = process.env.DEMO_SEED ?? 'promptlog-demo';
const NOW_MS = process.env.DEMO_NOW ? Date.parse(process.env.DEMO_NOW) : Date.now();
const BATCH_SIZE = 100;
const BASE_RECORDS = 1_730;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Ids come from their own seeded stream and a fixed clock, never from "now": the same seed gives
// the same ids on any day, while start times stay relative to the day the demo runs.
const ID_CLOCK_MS = Date.UTC(2025, 0, 31);

// ---------------------------------------------------------------------------------------------
// Seeded randomness (sfc32 seeded with cyrb128): same seed, same data set.

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(seed);
    for (let i = 0; i < 16; i++) this.next();
  }

  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted() from an empty list');
    return last[0];
  }

  /** Log-normal around `median`; `spread` is the standard deviation of the log. */
  logNormal(median: number, spread: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * gauss);
  }

  bytes(count: number): Uint8Array {
    return Uint8Array.from({ length: count }, () => Math.floor(this.next() * 256));
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(...pool.splice(Math.floor(this.next() * pool.length), 1));
    return out;
  }
}

// Reseeded per record (or per group of related records), so that one record whose content
// depends on the date (its prompt version) does not shift the random stream of all the others.
let rng = new Rng(SEED);
function reseed(label: string): void {
  rng = new Rng(`${SEED}:${label}`);
}
const idRng = new Rng(`${SEED}:ids`);

let idSequence = 0;

function newId(): string {
  idSequence++;
  return uuidv7(ID_CLOCK_MS + idSequence * 1_000, idRng.bytes(10));
}

/** `offsetMs` is how long before "now" an execution started. */
function iso(offsetMs: number): string {
  return new Date(NOW_MS - offsetMs).toISOString();
}

const HOUR_WEIGHTS = Array.from(
  { length: 24 },
  (_, hour) => [hour, hour >= 7 && hour <= 18 ? 10 : hour >= 5 && hour <= 21 ? 4 : 1] as const,
);
const START_OF_TODAY = Math.floor(NOW_MS / DAY) * DAY;

/**
 * A start time in the last 30 days: busier in recent days, in working hours and on weekdays.
 * Always draws the same number of values, so the rest of the data set does not depend on the date.
 */
function pickOffset(minMs = 5 * MINUTE): number {
  const day = Math.floor(rng.next() ** 1.3 * 27);
  const hour = rng.weighted(HOUR_WEIGHTS);
  const within = rng.next() * HOUR;
  const keepWeekend = rng.chance(0.4);
  const weekdayShift = rng.int(1, 5);
  let at = START_OF_TODAY - day * DAY + hour * HOUR + within;
  if (at > NOW_MS - minMs) at -= DAY;
  const weekday = new Date(at).getUTCDay();
  // Saturday minus 1–5 days and Sunday minus 2–6 days both land on Monday–Friday.
  if (!keepWeekend && (weekday === 0 || weekday === 6)) at -= (weekdayShift + (weekday === 0 ? 1 : 0)) * DAY;
  return Math.round(NOW_MS - at);
}

// ---------------------------------------------------------------------------------------------
// Models, sources and people.

interface ModelDef {
  id: string;
  provider: string;
  ttftMs: number;
  tokensPerSecond: number;
  cache: 'explicit' | 'automatic' | 'none';
  reasoning: 'none' | 'summary' | 'thinking';
  /** USD per million tokens, for the few records whose client reports its own cost. */
  price?: { input: number; output: number; cacheRead: number };
}

const MODELS = {
  gpt4o: {
    id: 'gpt-4o',
    provider: 'openai',
    ttftMs: 480,
    tokensPerSecond: 85,
    cache: 'automatic',
    reasoning: 'none',
    price: { input: 2.5, output: 10, cacheRead: 1.25 },
  },
  gpt4oMini: {
    id: 'gpt-4o-mini',
    provider: 'openai',
    ttftMs: 320,
    tokensPerSecond: 120,
    cache: 'automatic',
    reasoning: 'none',
    price: { input: 0.15, output: 0.6, cacheRead: 0.075 },
  },
  o3Mini: {
    id: 'o3-mini',
    provider: 'openai',
    ttftMs: 1500,
    tokensPerSecond: 150,
    cache: 'automatic',
    reasoning: 'summary',
  },
  sonnet: {
    id: 'claude-3-5-sonnet-latest',
    provider: 'anthropic',
    ttftMs: 650,
    tokensPerSecond: 70,
    cache: 'explicit',
    reasoning: 'none',
  },
  sonnetThinking: {
    id: 'claude-3-7-sonnet-20250219',
    provider: 'anthropic',
    ttftMs: 950,
    tokensPerSecond: 75,
    cache: 'explicit',
    reasoning: 'thinking',
  },
  haiku: {
    id: 'claude-3-5-haiku-latest',
    provider: 'anthropic',
    ttftMs: 380,
    tokensPerSecond: 110,
    cache: 'explicit',
    reasoning: 'none',
  },
  geminiPro: {
    id: 'gemini-1.5-pro',
    provider: 'google',
    ttftMs: 720,
    tokensPerSecond: 90,
    cache: 'automatic',
    reasoning: 'none',
  },
  geminiFlash: {
    id: 'gemini-2.0-flash',
    provider: 'google',
    ttftMs: 260,
    tokensPerSecond: 190,
    cache: 'automatic',
    reasoning: 'none',
  },
  acme: {
    id: 'acme-internal-llm',
    provider: 'acme',
    ttftMs: 210,
    tokensPerSecond: 60,
    cache: 'none',
    reasoning: 'none',
  },
} satisfies Record<string, ModelDef>;

const AGENTS = [
  'maria.keller@acme-support.com',
  'james.okafor@acme-support.com',
  'sofia.rossi@acme-support.com',
  'liam.chen@acme-support.com',
  'aisha.rahman@acme-support.com',
  'noah.schmidt@acme-support.com',
  'emma.dubois@acme-support.com',
  'lucas.silva@acme-support.com',
];
const DEVELOPERS = ['lena.hoffmann@acme.dev', 'raj.patel@acme.dev', 'tom.becker@acme.dev', 'ines.moreau@acme.dev'];

interface SourceContext {
  environment: string;
  accessKey: string;
  user?: { email?: string; id?: string };
}

function sourceFor(type: SourceType, promptId: string): NonNullable<ExecutionInput['source']> {
  switch (type) {
    case 'chat': {
      const id = `conv_${rng.hex(12)}`;
      return { type, id, url: `https://support.acme.dev/inbox/conversations/${id}` };
    }
    case 'workflow': {
      const workflow =
        promptId === 'extract-invoice'
          ? 'wf_invoice_intake'
          : promptId === 'draft-email'
            ? 'wf_follow_up'
            : 'wf_ticket_triage';
      return { type, id: workflow, url: `https://flows.acme.dev/workflows/${workflow}/runs/run_${rng.hex(10)}` };
    }
    case 'api': {
      const service = promptId === 'extract-invoice' ? 'svc-billing' : 'svc-helpdesk-backend';
      return { type, id: service, url: `https://api.acme.dev/v2/${service}/${promptId}` };
    }
    case 'playground': {
      const id = `pg_${rng.hex(8)}`;
      return { type, id, url: `https://promptlog.acme.dev/playground/${id}` };
    }
    case 'project_tool': {
      const tool = promptId === 'summarize-ticket' ? 'tool_ticket_summarizer' : `tool_${promptId.replaceAll('-', '_')}`;
      return { type, id: tool, url: `https://tools.acme.dev/projects/helpdesk/tools/${tool}` };
    }
    case 'mcp':
      return { type, id: 'mcp_helpdesk_server', url: `https://mcp.acme.dev/helpdesk/tools/${promptId}` };
  }
}

function contextFor(type: SourceType): SourceContext {
  const environment =
    type === 'playground'
      ? rng.weighted([
          ['development', 6],
          ['staging', 4],
        ] as const)
      : rng.weighted([
          ['production', 80],
          ['staging', 15],
          ['development', 5],
        ] as const);
  const agent = rng.pick(AGENTS);
  const developer = rng.pick(DEVELOPERS);
  switch (type) {
    case 'chat':
      return {
        environment,
        accessKey: 'prod-helpdesk-widget',
        user: { email: agent, id: `usr_${agent.split('.')[0]}` },
      };
    case 'workflow':
      return { environment, accessKey: environment === 'production' ? 'prod-workflows' : 'staging-workflows' };
    case 'api':
      return {
        environment,
        accessKey: environment === 'production' ? 'prod-backend' : 'staging-backend',
        ...(rng.chance(0.5) ? { user: { id: `cust_${rng.int(10_000, 99_999)}` } } : {}),
      };
    case 'playground':
      return { environment, accessKey: 'playground', user: { email: developer } };
    case 'project_tool':
      return { environment, accessKey: 'tools-runner', user: { email: rng.chance(0.7) ? agent : developer } };
    case 'mcp':
      return { environment, accessKey: 'mcp-gateway', user: { email: rng.chance(0.5) ? developer : agent } };
  }
}

// ---------------------------------------------------------------------------------------------
// Content: customers, tickets, invoices.

const CUSTOMERS = [
  'Maria Lopez',
  'James Whitaker',
  'Sofia Bianchi',
  'Liam O’Connor',
  'Aisha Bello',
  'Noah Fischer',
  'Emma Laurent',
  'Lucas Pereira',
  'Hannah Vogel',
  'Mateo Fernández',
  'Yuki Sato',
  'Olivia Grant',
  'Ethan Novak',
  'Zara Ahmed',
  'Felix Wagner',
  'Chloé Girard',
  'Daniel Park',
  'Priya Nair',
  'Jonas Lindqvist',
  'Isabella Costa',
];
const PRODUCTS = [
  'Orbit Smart Thermostat',
  'Nimbus Cloud Backup',
  'Acme Router X2',
  'Pulse Fitness Band',
  'Lumen Desk Lamp Pro',
  'Vault Password Manager',
];

interface Issue {
  intent: string;
  urgency: 'low' | 'normal' | 'high';
  subject: string;
  ask: (s: Scenario) => string;
  answer: (s: Scenario) => string;
  followUp: string;
}

const ISSUES: Issue[] = [
  {
    intent: 'shipping_delay',
    urgency: 'normal',
    subject: 'Where is my order?',
    ask: (s) =>
      `Hi, I ordered the ${s.product} on ${s.orderDate} (order ${s.orderId}) and it still hasn't arrived. The tracking page hasn't updated in five days. Can you tell me where it is?`,
    answer: (s) =>
      `I checked order ${s.orderId}: the parcel is with DHL (tracking ${s.tracking}) and was last scanned at the regional hub yesterday evening. It should reach you within two business days. If it hasn't arrived by Friday, reply here and I'll send a replacement right away.`,
    followUp: 'Any update? I need it before the weekend.',
  },
  {
    intent: 'billing_dispute',
    urgency: 'high',
    subject: 'Charged twice this month',
    ask: (s) =>
      `I was charged twice for my ${s.product} subscription this month (2 × €9.99 on my card statement). Please refund the duplicate charge.`,
    answer: () =>
      `You're right — our payment provider retried a charge that had already succeeded. I've refunded the duplicate €9.99; it will show on your statement within 5–7 business days. Sorry for the trouble.`,
    followUp: 'It has been a week and I still do not see the refund.',
  },
  {
    intent: 'technical_issue',
    urgency: 'normal',
    subject: 'Device will not pair',
    ask: (s) =>
      `My ${s.product} won't pair with the app anymore after the last firmware update. I tried restarting the phone and the device. It keeps saying "handshake timeout".`,
    answer: (s) =>
      `Firmware 4.2.1 changed the pairing procedure. Hold the button on your ${s.product} for 10 seconds until the light blinks blue, then choose "Add device" in the app and keep the phone within one metre. If you still see "handshake timeout", send us the diagnostics code from Settings → About.`,
    followUp: 'Still the same error after the reset.',
  },
  {
    intent: 'cancellation',
    urgency: 'low',
    subject: 'Cancel my subscription',
    ask: (s) =>
      `Please cancel my ${s.product} subscription at the end of the current billing period. I no longer need it.`,
    answer: (s) =>
      `I've scheduled the cancellation of your ${s.product} subscription for the end of the current period on ${s.renewalDate}. You keep full access until then and won't be charged again.`,
    followUp: 'Can I keep my data after cancelling?',
  },
  {
    intent: 'account_update',
    urgency: 'low',
    subject: 'Change delivery address',
    ask: (s) =>
      `I moved last week. Can you change the delivery address for order ${s.orderId} to Lindenstraße 14, 10969 Berlin?`,
    answer: (s) =>
      `Done — order ${s.orderId} will now ship to Lindenstraße 14, 10969 Berlin. I also updated the default address on your account.`,
    followUp: 'Thanks! Will the delivery date change?',
  },
  {
    intent: 'product_question',
    urgency: 'low',
    subject: 'Does it work with Home Assistant?',
    ask: (s) => `Does the ${s.product} work with Home Assistant or only with your own app? I want to automate it.`,
    answer: (s) =>
      `Yes: the ${s.product} exposes a local API and there is an official Home Assistant integration (search for "Acme" in Integrations). Automations work without the cloud once it's paired.`,
    followUp: 'Is the integration officially supported?',
  },
  {
    intent: 'complaint',
    urgency: 'high',
    subject: 'Very disappointed with support',
    ask: (s) =>
      `This is the third time I'm writing about my broken ${s.product}. Nobody has answered in ten days. I want a replacement or my money back.`,
    answer: (s) =>
      `I'm sorry we let you wait this long — that's not the service we want to give. I've approved a replacement ${s.product}, shipping today with express delivery, and you don't need to return the broken one.`,
    followUp: 'When will the replacement ship?',
  },
];

interface Scenario {
  customer: string;
  firstName: string;
  product: string;
  issue: Issue;
  orderId: string;
  orderDate: string;
  renewalDate: string;
  tracking: string;
  ticketId: string;
  language: 'en' | 'de' | 'fr' | 'es';
  tenant: string;
}

function newScenario(): Scenario {
  const customer = rng.pick(CUSTOMERS);
  return {
    customer,
    firstName: customer.split(' ')[0] ?? customer,
    product: rng.pick(PRODUCTS),
    issue: rng.pick(ISSUES),
    orderId: `A-${rng.int(100_000, 999_999)}`,
    orderDate: `${rng.int(1, 28)} ${rng.pick(['March', 'April', 'May', 'June'])}`,
    renewalDate: `${rng.int(1, 28)} ${rng.pick(['July', 'August', 'September'])}`,
    tracking: `JD01460000${rng.int(10_000_000, 99_999_999)}`,
    ticketId: `T-${rng.int(40_000, 89_999)}`,
    language: rng.weighted([
      ['en', 70],
      ['de', 14],
      ['fr', 9],
      ['es', 7],
    ] as const),
    tenant: rng.pick(['northwind', 'contoso', 'globex', 'initech', 'umbrella']),
  };
}

const FILLER = [
  'I have attached a screenshot of the error message.',
  'I already tried the steps from your help centre article, without success.',
  'This is urgent for me because I rely on it for work every day.',
  'My account email is the same one I am writing from.',
  'The same thing happened on my partner’s phone, so it is not my device.',
  'I contacted you by phone yesterday but the call was disconnected after 20 minutes.',
  'Could you please escalate this to someone who can actually fix it?',
  'The status page said everything was operational at the time.',
  'I noticed the problem right after the update was installed overnight.',
  'Please let me know if you need the serial number or the invoice.',
];
const AGENT_LINES = [
  'Thanks for reaching out, I’m looking into this now.',
  'Could you send me the diagnostics code from Settings → About?',
  'I’ve forwarded the logs to our engineering team and will update you as soon as I hear back.',
  'I can see the order in our system; let me check with the warehouse.',
  'Apologies for the delay — we’re handling an unusually high volume of requests this week.',
  'As a workaround, please try disabling battery optimisation for the app.',
];

function ticketThread(s: Scenario, long: boolean): string {
  const parts = [`Ticket ${s.ticketId} — ${s.issue.subject}`, `From: ${s.customer}`, '', s.issue.ask(s)];
  const target = long ? rng.int(5_600, 9_000) : rng.int(500, 1_400);
  let turn = 0;
  while (parts.join('\n').length < target) {
    turn++;
    if (turn % 2 === 1) {
      parts.push('', `— Agent (${rng.pick(AGENTS)}), day ${turn}:`, ...rng.sample(AGENT_LINES, 2));
    } else {
      parts.push('', `— ${s.customer}, day ${turn}:`, s.issue.followUp, ...rng.sample(FILLER, long ? 4 : 2));
      if (long && rng.chance(0.5)) {
        parts.push('Log excerpt:');
        for (let i = 0; i < 8; i++) {
          parts.push(
            `2025-05-${String(rng.int(10, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:11Z ${rng.pick(['WARN', 'ERROR', 'INFO'])} ${rng.pick(['pairing', 'sync', 'billing', 'firmware'])}: ${rng.pick(['handshake timeout (rssi=-71)', 'retrying in 30s', 'token refresh failed: 401', 'checksum mismatch on chunk 12/48', 'queue backlog 1.2k'])}`,
          );
        }
      }
    }
  }
  return parts.join('\n');
}

const SUPPORT_POLICY = [
  'Policies:',
  '1. Always look up the order with lookup_order before answering questions about deliveries, refunds or replacements.',
  '2. Refunds up to 100 USD (or the equivalent) may be issued directly with create_refund; larger refunds need escalation to a team lead.',
  '3. Never share internal ticket notes, other customers’ data, or the names of warehouse staff.',
  '4. If the customer is angry, acknowledge the frustration once, then focus on the fix.',
  '5. Search the knowledge base with search_kb for technical questions and link at most two articles.',
  '6. Do not promise delivery dates that the carrier has not confirmed.',
  '7. If the request involves a legal threat, chargeback or data-protection request, hand over to a human agent.',
].join('\n');

// ---------------------------------------------------------------------------------------------
// Prompts.

interface Rendered {
  inputs: Json;
  systemPrompt: string;
  messages: Json[];
  parameters: Json;
  output: string | Json;
  toolCalls?: ToolCall[];
  /** Prompt tokens not visible in the logged text: tool schemas, attached pages. */
  hiddenInputTokens?: number;
  tags: string[];
  metadata: Json;
}

interface VersionDef {
  version: number;
  /** Days ago this version went live; older clients keep using the previous one for a while. */
  releasedDaysAgo: number;
}

interface PromptDef {
  id: string;
  weight: number;
  versions: VersionDef[];
  models: (readonly [ModelDef, number])[];
  sources: (readonly [SourceType, number])[];
  json: boolean;
  render: (s: Scenario, version: number, model: ModelDef, opts: { long: boolean }) => Rendered;
}

function toolCallsForSupport(s: Scenario, model: ModelDef): ToolCall[] {
  const calls: ToolCall[] = [
    {
      round: 1,
      name: 'lookup_order',
      arguments: { order_id: s.orderId },
      result: {
        orderId: s.orderId,
        status: rng.pick(['in_transit', 'delivered', 'processing']),
        carrier: 'DHL',
        trackingNumber: s.tracking,
        items: [{ sku: `SKU-${rng.int(1000, 9999)}`, name: s.product, quantity: 1 }],
      },
      latencyMs: rng.int(35, 240),
    },
  ];
  if (s.issue.intent === 'technical_issue' || s.issue.intent === 'product_question' || rng.chance(0.3)) {
    calls.push({
      round: 1,
      name: 'search_kb',
      arguments: { query: `${s.product} ${s.issue.subject}`.toLowerCase(), limit: 3 },
      result: [
        { id: `kb-${rng.int(100, 999)}`, title: `${s.product}: troubleshooting pairing`, score: 0.86 },
        { id: `kb-${rng.int(100, 999)}`, title: 'Firmware 4.2 release notes', score: 0.71 },
      ],
      latencyMs: rng.int(60, 420),
    });
  }
  if (s.issue.intent === 'billing_dispute') {
    const failed = rng.chance(0.2);
    calls.push({
      round: 2,
      name: 'create_refund',
      arguments: { order_id: s.orderId, amount: 9.99, currency: 'EUR', reason: 'duplicate_charge' },
      ...(failed
        ? {
            error: {
              code: 'REFUND_WINDOW_CLOSED',
              message: 'Payments older than 60 days cannot be refunded automatically',
            },
          }
        : { result: { refundId: `re_${rng.hex(14)}`, status: 'pending' } }),
      latencyMs: rng.int(180, 900),
    });
  }
  if (model.provider === 'acme') return calls.slice(0, 1);
  return calls;
}

const PROMPTS: PromptDef[] = [
  {
    id: 'support-reply',
    weight: 34,
    versions: [
      { version: 1, releasedDaysAgo: 45 },
      { version: 2, releasedDaysAgo: 19 },
      { version: 3, releasedDaysAgo: 6 },
    ],
    models: [
      [MODELS.gpt4o, 34],
      [MODELS.sonnet, 30],
      [MODELS.gpt4oMini, 18],
      [MODELS.sonnetThinking, 10],
      [MODELS.acme, 8],
    ],
    sources: [
      ['chat', 60],
      ['api', 20],
      ['mcp', 12],
      ['playground', 8],
    ],
    json: false,
    render: (s, version, model) => {
      const systemPrompt =
        version === 1
          ? 'You are a helpful customer support agent for Acme. Answer the customer politely.'
          : `You are Acme's support assistant. Be concise and empathetic.${version === 3 ? " Reply in the customer's language and sign off as “The Acme Support Team”. Structure: greeting, answer, next step." : ''}\n\n${SUPPORT_POLICY}`;
      const ticket = s.issue.ask(s);
      const history: Json[] = rng.chance(0.35)
        ? [
            { role: 'user', content: ticket },
            { role: 'assistant', content: rng.pick(AGENT_LINES) },
            { role: 'user', content: s.issue.followUp },
          ]
        : [{ role: 'user', content: ticket }];
      const reply = `Hi ${s.firstName},\n\n${s.issue.answer(s)}\n\n${version === 3 ? 'Best regards,\nThe Acme Support Team' : 'Best,\nAcme Support'}`;
      return {
        inputs: {
          customer_name: s.customer,
          ticket_text: ticket,
          order_id: s.orderId,
          product: s.product,
          language: s.language,
          tone: version === 1 ? 'friendly' : rng.pick(['friendly', 'empathetic', 'concise']),
        },
        systemPrompt,
        messages: history,
        parameters: {
          temperature: version === 1 ? 0.7 : 0.3,
          max_tokens: 600,
          tools: ['lookup_order', 'search_kb', 'create_refund'],
          ...(model.reasoning === 'thinking' ? { thinking: { type: 'enabled', budget_tokens: 2048 } } : {}),
        },
        output: reply,
        toolCalls: version === 1 ? undefined : toolCallsForSupport(s, model),
        hiddenInputTokens: version === 1 ? 0 : rng.int(640, 760),
        tags: [
          'customer-facing',
          s.issue.urgency === 'high' ? 'priority:high' : 'priority:normal',
          `intent:${s.issue.intent}`,
        ],
        metadata: { ticketId: s.ticketId, tenant: s.tenant, channel: rng.pick(['email', 'chat', 'whatsapp']) },
      };
    },
  },
  {
    id: 'summarize-ticket',
    weight: 22,
    versions: [
      { version: 1, releasedDaysAgo: 60 },
      { version: 2, releasedDaysAgo: 24 },
      { version: 3, releasedDaysAgo: 9 },
    ],
    models: [
      [MODELS.gpt4oMini, 35],
      [MODELS.geminiPro, 22],
      [MODELS.haiku, 20],
      [MODELS.geminiFlash, 18],
      [MODELS.acme, 5],
    ],
    sources: [
      ['workflow', 55],
      ['project_tool', 35],
      ['mcp', 6],
      ['playground', 4],
    ],
    json: false,
    render: (s, version, _model, { long }) => {
      const thread = ticketThread(s, long);
      const summary = [
        `**Summary** (${s.ticketId}): ${s.customer} reports: ${s.issue.subject.toLowerCase()} (${s.product}).`,
        `- Intent: ${s.issue.intent.replace('_', ' ')}; urgency: ${s.issue.urgency}`,
        `- Steps so far: ${rng.pick(['agent asked for diagnostics', 'order looked up, carrier contacted', 'refund requested', 'no agent response yet'])}`,
        `- Customer sentiment: ${s.issue.urgency === 'high' ? 'frustrated' : rng.pick(['neutral', 'patient', 'slightly annoyed'])}`,
        `- Suggested next action: ${rng.pick(['send replacement', 'escalate to tier 2', 'confirm refund', 'share KB article', 'close after confirmation'])}`,
      ].join('\n');
      return {
        inputs: {
          ticket_id: s.ticketId,
          customer_name: s.customer,
          product: s.product,
          ticket_thread: thread,
          ...(version >= 2 ? { max_bullets: 4 } : {}),
        },
        systemPrompt:
          version === 1
            ? 'Summarize the support ticket.'
            : `Summarize the support ticket for the next agent in at most ${version === 3 ? 5 : 4} bullet points. Include intent, urgency, what has been tried and the next action. Never include personal data beyond the customer's name.`,
        messages: [{ role: 'user', content: thread }],
        parameters: { temperature: 0.2, max_tokens: version === 3 ? 400 : 300 },
        output: summary,
        tags: ['internal', long ? 'long-thread' : 'short-thread'],
        metadata: { ticketId: s.ticketId, tenant: s.tenant, threadChars: thread.length },
      };
    },
  },
  {
    id: 'extract-invoice',
    weight: 16,
    versions: [
      { version: 1, releasedDaysAgo: 90 },
      { version: 2, releasedDaysAgo: 27 },
      { version: 3, releasedDaysAgo: 12 },
    ],
    models: [
      [MODELS.gpt4o, 40],
      [MODELS.geminiPro, 30],
      [MODELS.acme, 20],
      [MODELS.o3Mini, 10],
    ],
    sources: [
      ['api', 55],
      ['workflow', 40],
      ['playground', 5],
    ],
    json: true,
    render: (s, version) => invoiceRendered(s, version),
  },
  {
    id: 'classify-intent',
    weight: 18,
    versions: [
      { version: 1, releasedDaysAgo: 75 },
      { version: 2, releasedDaysAgo: 21 },
      { version: 3, releasedDaysAgo: 4 },
    ],
    models: [
      [MODELS.gpt4oMini, 40],
      [MODELS.haiku, 25],
      [MODELS.acme, 15],
      [MODELS.geminiFlash, 12],
      [MODELS.o3Mini, 8],
    ],
    sources: [
      ['api', 40],
      ['chat', 30],
      ['workflow', 25],
      ['mcp', 5],
    ],
    json: true,
    render: (s, version) => {
      const message = rng.chance(0.5) ? s.issue.ask(s) : s.issue.followUp;
      const intents = ISSUES.map((issue) => issue.intent);
      return {
        inputs: {
          message,
          channel: rng.pick(['email', 'chat', 'web_form']),
          ...(version >= 2 ? { allowed_intents: intents } : {}),
        },
        systemPrompt: `Classify the customer's message into one intent${version >= 2 ? ` of: ${intents.join(', ')}` : ''}. Answer with JSON {"intent", "confidence", "language"${version === 3 ? ', "urgency"' : ''}}.`,
        messages: [{ role: 'user', content: message }],
        parameters: { temperature: 0, max_tokens: 80, response_format: { type: 'json_object' } },
        output: {
          intent: s.issue.intent,
          confidence: Math.round((0.62 + rng.next() * 0.37) * 100) / 100,
          language: s.language,
          ...(version === 3 ? { urgency: s.issue.urgency } : {}),
        },
        tags: ['routing'],
        metadata: { tenant: s.tenant },
      };
    },
  },
  {
    id: 'draft-email',
    weight: 10,
    versions: [
      { version: 1, releasedDaysAgo: 50 },
      { version: 2, releasedDaysAgo: 15 },
      { version: 3, releasedDaysAgo: 3 },
    ],
    models: [
      [MODELS.sonnet, 45],
      [MODELS.gpt4o, 30],
      [MODELS.sonnetThinking, 15],
      [MODELS.geminiPro, 10],
    ],
    sources: [
      ['playground', 25],
      ['mcp', 25],
      ['project_tool', 20],
      ['chat', 15],
      ['workflow', 15],
    ],
    json: false,
    render: (s, version) => {
      const keyPoints = [
        s.issue.answer(s).split('. ')[0] ?? s.issue.subject,
        'apologize for the wait',
        'offer a direct phone line',
      ];
      const tone = rng.pick(['friendly', 'formal', 'concise'] as const);
      const sender = rng
        .pick(AGENTS)
        .split('@')[0]
        ?.split('.')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join(' ');
      const body = `Subject: Re: ${s.issue.subject}\n\n${tone === 'formal' ? `Dear ${s.customer}` : `Hi ${s.firstName}`},\n\n${s.issue.answer(s)}\n\nI'm sorry it took us a while to get back to you. If anything is still unclear, you can reach me directly at +49 30 1234 567 between 9:00 and 17:00.\n\n${tone === 'formal' ? 'Kind regards' : 'Best'},\n${sender ?? 'Acme Support'}`;
      return {
        inputs: {
          recipient_name: s.customer,
          subject: `Re: ${s.issue.subject}`,
          key_points: keyPoints,
          tone,
          sender_name: sender,
        },
        systemPrompt: `Write a customer email from the key points.${version >= 2 ? ' Keep it under 150 words.' : ''}${version === 3 ? ' Never invent facts that are not in the key points.' : ''}`,
        messages: [
          {
            role: 'user',
            content: `Recipient: ${s.customer}\nTone: ${tone}\nKey points:\n- ${keyPoints.join('\n- ')}`,
          },
        ],
        parameters: { temperature: 0.8, max_tokens: 500, top_p: 0.95 },
        output: body,
        tags: ['customer-facing', `tone:${tone}`],
        metadata: { ticketId: s.ticketId, tenant: s.tenant },
      };
    },
  },
];

const VENDORS = ['Northwind Traders', 'Contoso Ltd', 'Globex GmbH', 'Initech Services', 'Umbrella Supplies BV'];
const LINE_ITEMS = [
  ['Consulting hours', 120],
  ['Cloud hosting (monthly)', 480],
  ['Support plan — Business', 299],
  ['USB-C docking station', 189],
  ['Office chairs', 245],
  ['Software licence (annual)', 1_200],
  ['Travel expenses', 86.4],
] as const;

function invoiceFile(): FileInput {
  const scanned = rng.chance(0.25);
  const sha256 = rng.hex(64);
  const name = `INV-2025-${String(rng.int(1, 9_999)).padStart(4, '0')}.${scanned ? 'png' : 'pdf'}`;
  return {
    type: 'file',
    name,
    mimeType: scanned ? 'image/png' : 'application/pdf',
    sizeBytes: scanned ? rng.int(400_000, 3_800_000) : rng.int(38_000, 920_000),
    ...(rng.chance(0.8) ? { url: `https://files.acme.dev/invoices/${sha256.slice(0, 16)}/${name}` } : {}),
    ...(rng.chance(0.9) ? { sha256 } : {}),
  };
}

function invoiceRendered(s: Scenario, version: number): Rendered {
  const file = invoiceFile();
  const vendor = rng.pick(VENDORS);
  const currency = rng.weighted([
    ['EUR', 6],
    ['USD', 3],
    ['GBP', 1],
  ] as const);
  const items = rng.sample(LINE_ITEMS, rng.int(1, 4)).map(([description, unitPrice]) => {
    const quantity = rng.int(1, 6);
    return { description, quantity, unitPrice, amount: Math.round(quantity * unitPrice * 100) / 100 };
  });
  const pages = rng.int(1, 4);
  const subtotal = Math.round(items.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
  const tax = Math.round(subtotal * 0.19 * 100) / 100;
  return {
    inputs: {
      invoice: file,
      vendor_hint: rng.chance(0.4) ? vendor : null,
      currency_hint: currency,
      ...(version >= 2 ? { schema_version: version } : {}),
    },
    systemPrompt: `Extract the invoice fields as JSON: vendor, invoiceNumber, issueDate, dueDate, currency, subtotal, tax, total, lineItems[].${version >= 2 ? ' Use ISO dates and numbers without currency symbols.' : ''}${version === 3 ? ' If a field is missing, use null; never guess.' : ''}`,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Extract the fields from the attached invoice.' },
          { type: 'file', name: file.name, mimeType: file.mimeType },
        ],
      },
    ],
    parameters: { temperature: 0, max_tokens: 1_200, response_format: { type: 'json_schema', name: 'invoice' } },
    hiddenInputTokens: pages * rng.int(1_100, 1_600),
    output: {
      vendor,
      invoiceNumber: file.name.replace(/\.(pdf|png)$/, ''),
      issueDate: `2025-0${rng.int(3, 6)}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      dueDate: rng.chance(0.85) ? `2025-0${rng.int(6, 8)}-${String(rng.int(1, 28)).padStart(2, '0')}` : null,
      currency,
      subtotal,
      tax,
      total: Math.round((subtotal + tax) * 100) / 100,
      lineItems: items,
    },
    tags: ['finance', file.mimeType === 'image/png' ? 'scanned' : 'digital-pdf'],
    metadata: { tenant: s.tenant, documentId: `doc_${rng.hex(10)}`, pages },
  };
}

// ---------------------------------------------------------------------------------------------
// Turning a draft into an execution record.

interface Draft {
  prompt: PromptDef;
  version?: number;
  model?: ModelDef;
  sourceType?: SourceType;
  source?: NonNullable<ExecutionInput['source']>;
  context?: SourceContext;
  offsetMs: number;
  status: Status;
  errorType?: ErrorType;
  scenario?: Scenario;
  long?: boolean;
  trace?: Trace;
  attempt?: number;
  generation?: number;
  triggeredBy?: 'auto' | 'user' | 'admin';
  location?: Location;
  requestId?: string;
  extraTags?: string[];
  extraMetadata?: Json;
  /** Pending records that a later PATCH completes. */
  completeLater?: boolean;
}

interface Built {
  record: ExecutionInput;
  completion?: ExecutionPatch;
}

function versionAt(prompt: PromptDef, offsetMs: number): number {
  const live = prompt.versions.filter((v) => v.releasedDaysAgo * DAY >= offsetMs);
  const latest = live[live.length - 1] ?? prompt.versions[0];
  const previous = live[live.length - 2];
  const roll = rng.next();
  if (!latest) return 1;
  // For a few days after a release some clients still run the previous version.
  const daysSinceRelease = (latest.releasedDaysAgo * DAY - offsetMs) / DAY;
  if (previous && roll < Math.max(0.05, 0.45 - daysSinceRelease * 0.08)) return previous.version;
  return latest.version;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.8);
}

function usageFor(model: ModelDef, promptTokens: number, outputTokens: number, reasoningTokens: number): Usage {
  const inputTokens = promptTokens + rng.int(8, 60);
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  // Providers only cache prompt prefixes of about 1,024 tokens or more.
  if (model.cache === 'explicit' && inputTokens >= 1_024) {
    const roll = rng.next();
    if (roll < 0.55) cacheReadTokens = Math.floor(inputTokens * (0.4 + rng.next() * 0.45));
    else if (roll < 0.7) cacheWriteTokens = Math.floor(inputTokens * (0.4 + rng.next() * 0.4));
  } else if (model.cache === 'automatic' && inputTokens >= 1_024 && rng.chance(0.6)) {
    cacheReadTokens = Math.floor((inputTokens * (0.5 + rng.next() * 0.4)) / 128) * 128;
  }
  return {
    inputTokens,
    outputTokens: outputTokens + reasoningTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens,
  };
}

function providedCost(model: ModelDef, usage: Usage): string | undefined {
  if (!model.price) return undefined;
  const uncached = usage.inputTokens - usage.cacheReadTokens;
  const usd =
    (uncached * model.price.input +
      usage.cacheReadTokens * model.price.cacheRead +
      usage.outputTokens * model.price.output) /
    1e6;
  return usd.toFixed(8);
}

function thinkingFor(model: ModelDef, s: Scenario): ExecutionInput['thinking'] {
  const lines = [
    `The customer (${s.firstName}) writes about: ${s.issue.subject.toLowerCase()}.`,
    `The product is the ${s.product}; intent looks like ${s.issue.intent}.`,
    s.issue.urgency === 'high'
      ? 'Tone is upset; acknowledge once, then solve.'
      : 'Tone is calm; keep the answer short.',
    'Check the policy: lookup first, no promises the carrier has not confirmed.',
  ];
  if (model.reasoning === 'summary') return `**Assessing the request**\n\n${lines.join(' ')}`;
  return [{ type: 'thinking', thinking: lines.join('\n'), signature: `sig_${rng.hex(32)}` }];
}

function errorFor(type: ErrorType, model: ModelDef, json: boolean): ExecutionError {
  const byProvider = (options: Record<string, [string, string]>): ExecutionError => {
    const [message, code] = options[model.provider] ?? options.default ?? ['Unknown error', 'unknown'];
    return { type, message, code };
  };
  switch (type) {
    case 'authentication':
      return byProvider({
        openai: [
          'Incorrect API key provided: sk-proj-****7Qx2. You can find your API key at https://platform.openai.com/account/api-keys.',
          'invalid_api_key',
        ],
        anthropic: ['invalid x-api-key', 'authentication_error'],
        google: ['API key not valid. Please pass a valid API key.', 'API_KEY_INVALID'],
        default: ['401 Unauthorized: service token expired', 'token_expired'],
      });
    case 'rate_limit':
      return byProvider({
        openai: [
          `Rate limit reached for ${model.id} in organization org-k2Qx on tokens per min (TPM): Limit 30000, Used ${rng.int(27_000, 29_900)}, Requested ${rng.int(900, 3_000)}. Please try again in ${(rng.next() * 4 + 0.5).toFixed(2)}s.`,
          'rate_limit_exceeded',
        ],
        anthropic: ['Number of request tokens has exceeded your per-minute rate limit', 'rate_limit_error'],
        google: ['Resource has been exhausted (e.g. check quota).', 'RESOURCE_EXHAUSTED'],
        default: ['429 Too Many Requests', 'too_many_requests'],
      });
    case 'timeout':
      return { type, message: `Request timed out after ${rng.pick([30_000, 60_000])} ms`, code: 'ETIMEDOUT' };
    case 'provider':
      return byProvider({
        openai: ['The server had an error while processing your request. Sorry about that!', 'server_error'],
        anthropic: ['Overloaded', 'overloaded_error'],
        google: [
          'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
          'INTERNAL',
        ],
        default: ['502 Bad Gateway from inference cluster eu-1', 'bad_gateway'],
      });
    case 'validation':
      return json
        ? {
            type,
            message: 'Output did not match the expected JSON schema: /total must be number',
            code: 'schema_mismatch',
          }
        : {
            type,
            message: `This model's maximum context length is 128000 tokens. However, your messages resulted in ${rng.int(128_100, 140_000)} tokens.`,
            code: 'context_length_exceeded',
          };
    case 'cancelled':
      return { type, message: 'The stream was aborted by the caller', code: 'ABORT_ERR' };
    case 'other':
      return {
        type,
        message: "TypeError: Cannot read properties of undefined (reading 'content')",
        code: 'internal',
        stack: [
          "TypeError: Cannot read properties of undefined (reading 'content')",
          '    at parseCompletion (/app/src/llm/parse.ts:88:31)',
          '    at runPrompt (/app/src/llm/run.ts:142:18)',
          '    at async handleTicket (/app/src/jobs/ticket.ts:57:20)',
        ].join('\n'),
      };
  }
}

function pickErrorType(): ErrorType {
  return rng.weighted([
    ['rate_limit', 25],
    ['timeout', 18],
    ['provider', 20],
    ['validation', 14],
    ['authentication', 7],
    ['other', 9],
    ['cancelled', 7],
  ] as const);
}

function build(draft: Draft): Built {
  const prompt = draft.prompt;
  const model = draft.model ?? rng.weighted(prompt.models);
  const version = draft.version ?? versionAt(prompt, draft.offsetMs);
  const sourceType = draft.source?.type ?? draft.sourceType ?? rng.weighted(prompt.sources);
  const source = draft.source ?? sourceFor(sourceType, prompt.id);
  const context = draft.context ?? contextFor(sourceType);
  const scenario = draft.scenario ?? newScenario();
  const long = draft.long ?? (prompt.id === 'summarize-ticket' && rng.chance(0.22));
  const rendered = prompt.render(scenario, version, model, { long });

  const outputText = typeof rendered.output === 'string' ? rendered.output : JSON.stringify(rendered.output);
  const promptTokens =
    estimateTokens(rendered.systemPrompt + JSON.stringify(rendered.messages)) +
    (rendered.toolCalls ? estimateTokens(JSON.stringify(rendered.toolCalls)) : 0) +
    (rendered.hiddenInputTokens ?? 0);
  const reasoningTokens = model.reasoning === 'none' ? 0 : rng.int(180, 3_200);
  const usage = usageFor(model, promptTokens, estimateTokens(outputText) + rng.int(0, 12), reasoningTokens);
  const ttft = Math.round(rng.logNormal(model.ttftMs + reasoningTokens * 4, 0.35));
  const toolMs = (rendered.toolCalls ?? []).reduce((sum, call) => sum + (call.latencyMs ?? 0), 0);
  const fullLatency = Math.round(
    ttft + (usage.outputTokens / model.tokensPerSecond) * 1000 * rng.logNormal(1, 0.2) + toolMs,
  );
  const thinking = model.reasoning === 'none' ? undefined : thinkingFor(model, scenario);

  const record: ExecutionInput = {
    id: newId(),
    promptId: prompt.id,
    promptVersion: version,
    status: draft.status,
    source,
    model: model.id,
    provider: model.provider,
    startedAt: iso(draft.offsetMs),
    inputs: rendered.inputs,
    request: { systemPrompt: rendered.systemPrompt, messages: rendered.messages, parameters: rendered.parameters },
    ...(context.user ? { user: context.user } : {}),
    accessKey: context.accessKey,
    environment: context.environment,
    requestId:
      draft.requestId ??
      (model.provider === 'anthropic'
        ? `msg_${rng.hex(24)}`
        : model.provider === 'openai'
          ? `chatcmpl-${rng.hex(24)}`
          : `req_${rng.hex(16)}`),
    tags: [
      ...new Set([
        ...rendered.tags,
        ...(draft.extraTags ?? []),
        ...(rng.chance(0.15) ? [rng.pick(['eu', 'us', 'vip', 'beta'])] : []),
      ]),
    ],
    metadata: {
      ...rendered.metadata,
      appVersion: rng.pick(['2.13.0', '2.14.1', '2.14.3']),
      region: rng.pick(['eu-west-1', 'eu-central-1', 'us-east-1']),
      ...draft.extraMetadata,
    },
    ...(draft.trace ? { trace: draft.trace } : {}),
    ...(draft.attempt ? { attempt: draft.attempt } : {}),
    ...(draft.generation !== undefined ? { generation: draft.generation } : {}),
    ...(draft.triggeredBy ? { triggeredBy: draft.triggeredBy } : {}),
    ...(draft.location ? { location: draft.location } : {}),
  };

  const finished = (latencyMs: number) => ({
    endedAt: iso(draft.offsetMs - latencyMs),
    latencyMs,
  });

  switch (draft.status) {
    case 'success': {
      Object.assign(record, finished(fullLatency), {
        timeToFirstTokenMs: ttft,
        output: rendered.output,
        usage,
        ...(rendered.toolCalls ? { toolCalls: rendered.toolCalls } : {}),
        ...(thinking ? { thinking } : {}),
      });
      if (sourceType === 'api' && rng.chance(0.12)) {
        const cost = providedCost(model, usage);
        if (cost) record.costUsd = cost;
      }
      return { record };
    }
    case 'error': {
      const type = draft.errorType ?? pickErrorType();
      const error = errorFor(type, model, prompt.json);
      const before = type === 'authentication' || type === 'rate_limit' || (type === 'validation' && !prompt.json);
      if (before) {
        Object.assign(record, finished(rng.int(40, 420)), { error });
      } else if (type === 'timeout') {
        const latency = Number.parseInt(error.message.replace(/\D+/g, ''), 10) || 60_000;
        Object.assign(record, finished(latency + rng.int(1, 80)), {
          error,
          usage: { ...usage, outputTokens: 0, reasoningTokens: 0 },
        });
      } else if (type === 'validation') {
        // The model answered, but its JSON failed the schema: keep the raw output and full usage.
        const broken = outputText.replace(/"total":\s*[\d.]+/, '"total":"see attached"');
        Object.assign(record, finished(fullLatency), { error, usage, output: broken, timeToFirstTokenMs: ttft });
      } else {
        const partial = Math.max(0, Math.floor(usage.outputTokens * rng.next() * 0.6));
        Object.assign(record, finished(Math.round(ttft + rng.next() * fullLatency)), {
          error,
          usage: { ...usage, outputTokens: partial, reasoningTokens: Math.min(usage.reasoningTokens, partial) },
          ...(toolCallsIfAny(rendered.toolCalls) ?? {}),
        });
      }
      return { record };
    }
    case 'cancelled': {
      const cut = Math.max(1, Math.floor(outputText.length * (0.1 + rng.next() * 0.5)));
      const partialTokens = estimateTokens(outputText.slice(0, cut));
      Object.assign(record, finished(Math.round(ttft + rng.next() * fullLatency * 0.6)), {
        error: {
          type: 'cancelled',
          message: rng.pick(['Cancelled by the user', 'Client disconnected before completion']),
        },
        output: typeof rendered.output === 'string' ? outputText.slice(0, cut) : undefined,
        usage: { ...usage, outputTokens: partialTokens, reasoningTokens: 0 },
        timeToFirstTokenMs: ttft,
      });
      if (record.output === undefined) delete record.output;
      return { record };
    }
    case 'pending': {
      if (!draft.completeLater) return { record };
      const succeeded = rng.chance(0.8);
      const completion: ExecutionPatch = succeeded
        ? {
            status: 'success',
            output: rendered.output,
            usage,
            ...finished(fullLatency),
            timeToFirstTokenMs: ttft,
            ...(rendered.toolCalls ? { toolCalls: rendered.toolCalls } : {}),
            ...(thinking ? { thinking } : {}),
          }
        : {
            status: 'error',
            error: { type: 'timeout', message: 'Request timed out after 60000 ms', code: 'ETIMEDOUT' },
            ...finished(60_000 + rng.int(1, 50)),
          };
      return { record, completion };
    }
  }
}

function toolCallsIfAny(calls: ToolCall[] | undefined): { toolCalls: ToolCall[] } | undefined {
  return calls && calls.length > 0 ? { toolCalls: calls.slice(0, 1) } : undefined;
}

function promptById(id: string): PromptDef {
  const prompt = PROMPTS.find((p) => p.id === id);
  if (!prompt) throw new Error(`unknown prompt ${id}`);
  return prompt;
}

function traceId(): string {
  return `tr_${rng.hex(20)}`;
}

// ---------------------------------------------------------------------------------------------
// The data set.

/** What a group of related calls shares: one customer's case, sent from one source, in one trace or conversation. */
interface Group {
  draft: Required<Pick<Draft, 'prompt' | 'scenario' | 'source' | 'context'>>;
  thread: string;
}

/** Draws a group in the order the data set always has: the case, the trace or conversation id, then the source. */
function group(label: string, promptId: string, sourceType: SourceType, thread: () => string = traceId): Group {
  reseed(label);
  const prompt = promptById(promptId);
  const scenario = newScenario();
  const threadId = thread();
  return {
    draft: { prompt, scenario, source: sourceFor(sourceType, promptId), context: contextFor(sourceType) },
    thread: threadId,
  };
}

/**
 * One call per item, one after the other from `offsetMs` on, each starting `gap()` after the one before it ended;
 * `step` builds the call of an item at its index and offset.
 */
function series<T>(
  items: readonly T[],
  offsetMs: number,
  gap: () => number,
  step: (item: T, index: number, offsetMs: number) => Built,
): Built[] {
  const out: Built[] = [];
  let at = offsetMs;
  for (const [index, item] of items.entries()) {
    const built = step(item, index, at);
    out.push(built);
    at -= (built.record.latencyMs ?? 1_000) + gap();
  }
  return out;
}

const indices = (count: number) => Array.from({ length: count }, (_, index) => index);

function generate(): Built[] {
  const out: Built[] = [];

  for (let i = 0; i < BASE_RECORDS; i++) {
    reseed(`base:${i}`);
    const prompt = rng.weighted(PROMPTS.map((p) => [p, p.weight] as const));
    const status = rng.weighted([
      ['success', 855],
      ['error', 85],
      ['cancelled', 30],
      ['pending', 30],
    ] as const);
    if (status === 'pending') {
      const completeLater = rng.chance(0.6);
      // Still-pending executions are the ones in flight or stuck in the last couple of hours.
      const offsetMs = completeLater ? pickOffset() : rng.int(2 * MINUTE, 3 * HOUR);
      out.push(build({ prompt, offsetMs, status, completeLater }));
    } else {
      out.push(build({ prompt, offsetMs: pickOffset(), status }));
    }
  }

  // Every error type at least a few times, on varied prompts.
  for (const errorType of ERROR_TYPES) {
    for (let i = 0; i < 3; i++) {
      reseed(`error:${errorType}:${i}`);
      out.push(build({ prompt: rng.pick(PROMPTS), offsetMs: pickOffset(), status: 'error', errorType }));
    }
  }

  // Three-step chains: summarize → classify → draft, sharing a trace; the third step fails
  // in the first chain and in about a third of the others.
  const steps = [
    { prompt: promptById('summarize-ticket'), stepType: 'summarize' },
    { prompt: promptById('classify-intent'), stepType: 'classify' },
    { prompt: promptById('draft-email'), stepType: 'draft' },
  ];
  for (let chain = 0; chain < 30; chain++) {
    const { draft, thread } = group(
      `chain:${chain}`,
      'summarize-ticket',
      chain % 3 === 0 ? 'project_tool' : 'workflow',
    );
    let parentId: string | undefined;
    const calls = series(
      steps,
      pickOffset(2 * HOUR),
      () => rng.int(20, 400),
      (step, stepIndex, offsetMs) => {
        const fails = stepIndex === 2 && (chain === 0 || rng.chance(0.33));
        const built = build({
          ...draft,
          prompt: step.prompt,
          offsetMs,
          status: fails ? 'error' : 'success',
          ...(fails ? { errorType: rng.pick(['provider', 'timeout', 'validation'] as const) } : {}),
          trace: { traceId: thread, stepIndex, stepType: step.stepType, ...(parentId ? { parentId } : {}) },
          extraTags: ['chain:ticket-triage'],
        });
        parentId = built.record.id;
        return built;
      },
    );
    out.push(...calls);
  }

  // Provider fallback: attempt 1 hits OpenAI's rate limit, attempt 2 succeeds on Anthropic.
  for (let i = 0; i < 25; i++) {
    const { draft, thread } = group(`fallback:${i}`, 'support-reply', 'api');
    const offsetMs = pickOffset(HOUR);
    const requestId = `req_${rng.hex(16)}`;
    const shared = { ...draft, requestId, extraTags: ['fallback'] };
    const first = build({
      ...shared,
      offsetMs,
      model: MODELS.gpt4o,
      status: 'error',
      errorType: 'rate_limit',
      attempt: 1,
      trace: { traceId: thread, stepIndex: 0, stepType: 'llm' },
    });
    out.push(first);
    out.push(
      build({
        ...shared,
        offsetMs: offsetMs - (first.record.latencyMs ?? 200) - rng.int(5, 60),
        model: MODELS.sonnet,
        version: first.record.promptVersion,
        status: 'success',
        attempt: 2,
        trace: { traceId: thread, parentId: first.record.id, stepIndex: 1, stepType: 'fallback' },
        extraMetadata: { fallbackFrom: 'openai/gpt-4o', fallbackReason: 'rate_limit' },
      }),
    );
  }

  // Retries at one workflow location: attempts 1..3 until the extraction passes.
  for (let i = 0; i < 20; i++) {
    const { draft, thread } = group(`retry:${i}`, 'extract-invoice', 'workflow');
    const location: Location = { node: 'extract-invoice', field: 'invoice_json' };
    const model = rng.pick([MODELS.gpt4o, MODELS.geminiPro]);
    const offsetMs = pickOffset(HOUR);
    const shared = { ...draft, model, version: versionAt(draft.prompt, offsetMs), location };
    const attempts = i < 12 ? 3 : 2;
    const calls = series(
      indices(attempts),
      offsetMs,
      () => rng.int(1_000, 30_000),
      (index, _, at) => {
        const attempt = index + 1;
        const last = attempt === attempts;
        return build({
          ...shared,
          offsetMs: at,
          status: last ? 'success' : 'error',
          ...(last ? {} : { errorType: attempt === 1 ? rng.pick(['timeout', 'validation'] as const) : 'provider' }),
          attempt,
          triggeredBy: attempt === 1 ? 'auto' : attempt === 3 && i % 4 === 0 ? 'admin' : 'auto',
          trace: { traceId: thread, stepIndex: index, stepType: 'retry' },
          extraTags: ['retry'],
        });
      },
    );
    out.push(...calls);
  }

  // Regenerations: the user asks for another draft of the same field.
  for (let i = 0; i < 25; i++) {
    const { draft, thread } = group(`regenerate:${i}`, 'draft-email', i % 2 === 0 ? 'playground' : 'chat');
    const location: Location = { node: 'compose-reply', field: 'body' };
    const model = rng.pick([MODELS.sonnet, MODELS.gpt4o]);
    const offsetMs = pickOffset(HOUR);
    const shared = { ...draft, model, version: versionAt(draft.prompt, offsetMs), location };
    const calls = series(
      indices(i < 15 ? 3 : 2),
      offsetMs,
      () => rng.int(5_000, 90_000),
      (generation, _, at) =>
        build({
          ...shared,
          offsetMs: at,
          status: 'success',
          generation,
          triggeredBy: generation === 0 ? 'auto' : 'user',
          trace: { traceId: thread, stepIndex: generation, stepType: 'generation' },
          extraTags: generation > 0 ? ['regenerated'] : [],
        }),
    );
    out.push(...calls);
  }

  // Multi-turn chats: each customer's turns share a conversation id, so the Conversations page shows them as threads.
  for (let i = 0; i < 12; i++) {
    const { draft, thread } = group(`conversation:${i}`, 'support-reply', 'chat', () => `chat_${rng.hex(12)}`);
    const model = rng.pick([MODELS.gpt4o, MODELS.sonnet]);
    const offsetMs = pickOffset(2 * HOUR);
    const shared = { ...draft, model, version: versionAt(draft.prompt, offsetMs) };
    const turns = rng.int(3, 6);
    const calls = series(
      indices(turns),
      offsetMs,
      () => rng.int(15_000, 180_000),
      (turn, _, at) => {
        const fails = turn === turns - 1 && i % 4 === 0;
        const built = build({
          ...shared,
          offsetMs: at,
          status: fails ? 'error' : 'success',
          ...(fails ? { errorType: 'timeout' as const } : {}),
          extraTags: ['multi-turn'],
        });
        return { ...built, record: { ...built.record, conversationId: thread } };
      },
    );
    out.push(...calls);
  }

  return out.sort((a, b) => (a.record.startedAt ?? '').localeCompare(b.record.startedAt ?? ''));
}

// ---------------------------------------------------------------------------------------------
// Sending.

interface HttpResult {
  status: number;
  body: unknown;
  text: string;
}

async function call(method: string, path: string, body?: unknown): Promise<HttpResult> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the message.
  }
  return { status: response.status, body: parsed, text };
}

function fail(message: string): never {
  console.error(`\n${message}`);
  process.exit(1);
}

function missingKeyHelp(reason: string): string {
  return [
    reason,
    '',
    'The demo sends executions with a project API key:',
    '  • Open the web app: its first-run setup (creating the admin account) shows the project API key once.',
    '    Copy it (or use any active key of the project), then',
    '      PROMPTLOG_API_KEY=<key> pnpm demo',
    '  • Or start a fresh server with a known key (only applied on the very first start):',
    '      PROMPTLOG_INIT_ADMIN_EMAIL=admin@example.com PROMPTLOG_INIT_ADMIN_PASSWORD=change-me-please \\',
    '      PROMPTLOG_INIT_PROJECT_NAME=Demo PROMPTLOG_INIT_API_KEY=pl_demo_0123456789abcdef pnpm start',
    '      PROMPTLOG_API_KEY=pl_demo_0123456789abcdef pnpm demo',
    `Target: ${BASE_URL} (set PROMPTLOG_URL to change it).`,
  ].join('\n');
}

function describe(items: Built[]): string {
  const count = <K extends string>(key: (b: Built) => K) => {
    const counts = new Map<K, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  };
  return [
    `  prompts:  ${count((b) => b.record.promptId)}`,
    `  statuses: ${count((b) => b.record.status)} (${items.filter((b) => b.completion).length} pending ones completed afterwards by PATCH)`,
    `  sources:  ${count((b) => b.record.source.type)}`,
    `  models:   ${count((b) => b.record.model)}`,
  ].join('\n');
}

/** `pnpm demo --dry-run`: generate and check against the contract locally, send nothing. */
function dryRun(items: Built[]): void {
  const problems: string[] = [];
  for (const item of items) {
    const checked = ExecutionInput.safeParse(item.record);
    if (!checked.success) {
      problems.push(
        `  ${item.record.id}: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
  }
  const sizes = items.map((item) => JSON.stringify(item.record).length).sort((a, b) => a - b);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  console.log(
    `  record JSON: median ${sizes[Math.floor(sizes.length / 2)]} B, max ${sizes[sizes.length - 1]} B, ${sizes.filter((s) => s > 5_120).length} over 5 KB, total ${(total / 1e6).toFixed(1)} MB`,
  );
  if (problems.length > 0) fail(`${problems.length} records break the contract:\n${problems.slice(0, 50).join('\n')}`);
  console.log('Dry run: every record matches the ExecutionInput contract; nothing was sent.');
}

async function main(): Promise<void> {
  if (process.argv.includes('--dry-run')) {
    const items = generate();
    console.log(`Demo data set "${SEED}": ${items.length} executions`);
    console.log(describe(items));
    dryRun(items);
    return;
  }
  if (!API_KEY) fail(missingKeyHelp('PROMPTLOG_API_KEY is not set.'));

  try {
    const health = await call('GET', '/api/health');
    if (health.status !== 200)
      fail(`Promptlog at ${BASE_URL} answered /api/health with ${health.status}: ${health.text}`);
  } catch (error) {
    fail(
      `Cannot reach Promptlog at ${BASE_URL} (${error instanceof Error ? error.message : String(error)}).\nStart it with \`pnpm start\`, or set PROMPTLOG_URL.`,
    );
  }

  const items = generate();
  const windowStart = items[0]?.record.startedAt ?? '';
  const windowEnd = items[items.length - 1]?.record.startedAt ?? '';
  console.log(`Demo data set "${SEED}": ${items.length} executions from ${windowStart} to ${windowEnd}`);
  console.log(describe(items));
  console.log(`Sending to ${BASE_URL} in batches of ${BATCH_SIZE}…`);

  const totals = { created: 0, duplicate: 0, rejected: 0 };
  const rejections: string[] = [];
  const statusById = new Map<string, 'created' | 'duplicate' | 'rejected'>();
  const started = performance.now();

  for (let offset = 0; offset < items.length; offset += BATCH_SIZE) {
    const chunk = items.slice(offset, offset + BATCH_SIZE);
    const response = await call('POST', '/api/v1/executions/batch', { executions: chunk.map((item) => item.record) });
    if (response.status === 401 || response.status === 403) {
      fail(missingKeyHelp(`The server refused the API key (${response.status}): ${response.text}`));
    }
    if (response.status !== 200)
      fail(`Batch ${offset / BATCH_SIZE + 1} failed with ${response.status}: ${response.text.slice(0, 2_000)}`);
    const parsed = BatchResponse.safeParse(response.body);
    if (!parsed.success || parsed.data.results.length !== chunk.length) {
      fail(`Unexpected batch response (expected ${chunk.length} results): ${response.text.slice(0, 2_000)}`);
    }
    for (const [index, result] of parsed.data.results.entries()) {
      const item = chunk[index];
      if (!item) continue;
      totals[result.status]++;
      if (item.record.id) statusById.set(item.record.id, result.status);
      if (result.status === 'rejected') {
        const issues = (result.error?.issues ?? []).map((issue) => `\n      ${issue.path}: ${issue.message}`).join('');
        rejections.push(
          `  #${offset + index} ${item.record.id} (${item.record.promptId}, ${item.record.status}): ${result.error?.code ?? '?'} ${result.error?.message ?? ''}${issues}`,
        );
      }
    }
    if (process.stdout.isTTY)
      process.stdout.write(`\r  ${Math.min(offset + BATCH_SIZE, items.length)}/${items.length}`);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');

  // Complete the pending executions that "finished later". On a re-run only those still pending.
  const patch = { completed: 0, skipped: 0, failed: [] as string[] };
  for (const item of items) {
    const id = item.record.id;
    if (!item.completion || !id) continue;
    const outcome = statusById.get(id);
    if (outcome === 'rejected') continue;
    if (outcome === 'duplicate') {
      const current = await call('GET', `/api/v1/executions/${id}`);
      const status =
        typeof current.body === 'object' && current.body !== null && 'status' in current.body
          ? current.body.status
          : undefined;
      if (status !== 'pending') {
        patch.skipped++;
        continue;
      }
    }
    const response = await call('PATCH', `/api/v1/executions/${id}`, item.completion);
    if (response.status === 200) patch.completed++;
    else patch.failed.push(`  ${id}: ${response.status} ${response.text.slice(0, 500)}`);
  }

  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Done in ${seconds.toFixed(1)} s: ${totals.created} created, ${totals.duplicate} duplicate, ${totals.rejected} rejected; ` +
      `pending completed by PATCH: ${patch.completed}${patch.skipped ? ` (${patch.skipped} already completed)` : ''}${patch.failed.length ? `, ${patch.failed.length} failed` : ''}.`,
  );
  if (totals.duplicate > 0 && totals.created === 0) {
    console.log(`This seed was already loaded; run with DEMO_SEED=<another value> to add a second data set.`);
  }
  if (rejections.length > 0) console.error(`\nRejected executions:\n${rejections.join('\n')}`);
  if (patch.failed.length > 0) console.error(`\nFailed completions (PATCH):\n${patch.failed.join('\n')}`);
  if (rejections.length > 0 || patch.failed.length > 0) process.exit(1);
  console.log(`Open ${BASE_URL} to explore the data.`);
}

await main();
