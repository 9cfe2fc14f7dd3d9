import { uuidv7 } from '../apps/server/src/lib/ids';

const VARIANTS = [
  { promptId: 'support-reply', model: 'gpt-4o', provider: 'openai', source: 'chat', status: 'success' },
  {
    promptId: 'support-reply',
    model: 'claude-3-5-sonnet-latest',
    provider: 'anthropic',
    source: 'api',
    status: 'success',
  },
  { promptId: 'summarize-ticket', model: 'gpt-4o-mini', provider: 'openai', source: 'workflow', status: 'success' },
  { promptId: 'classify-intent', model: 'gemini-2.0-flash', provider: 'google', source: 'api', status: 'success' },
  { promptId: 'extract-invoice', model: 'acme-internal-llm', provider: 'acme', source: 'workflow', status: 'success' },
  {
    promptId: 'draft-email',
    model: 'claude-3-5-haiku-latest',
    provider: 'anthropic',
    source: 'mcp',
    status: 'success',
  },
  { promptId: 'support-reply', model: 'gpt-4o', provider: 'openai', source: 'chat', status: 'error' },
  {
    promptId: 'summarize-ticket',
    model: 'gemini-1.5-pro',
    provider: 'google',
    source: 'project_tool',
    status: 'success',
  },
] as const;

const TICKET =
  'Hi, I ordered the Orbit Smart Thermostat two weeks ago and it still has not arrived. The tracking page has not ' +
  'updated in five days and nobody answers the phone. I need it before the weekend because the old one is broken. ';

function template(index: number, startedAt: Date, padding: number): Record<string, unknown> {
  const variant = VARIANTS[index % VARIANTS.length] ?? VARIANTS[0];
  const ended = new Date(startedAt.getTime() + 1_840 + index * 37);
  const failed = variant.status === 'error';
  return {
    promptId: variant.promptId,
    promptVersion: 1 + (index % 3),
    status: variant.status,
    source: {
      type: variant.source,
      id: `bench_${variant.source}`,
      url: `https://bench.example.com/${variant.source}/${index}`,
    },
    model: variant.model,
    provider: variant.provider,
    startedAt: startedAt.toISOString(),
    endedAt: ended.toISOString(),
    latencyMs: ended.getTime() - startedAt.getTime(),
    timeToFirstTokenMs: 410 + index * 13,
    inputs: {
      customer_name: 'Maria Lopez',
      order_id: `A-${482_100 + index}`,
      ticket_text: TICKET.repeat(Math.ceil(padding / TICKET.length) + 1).slice(0, padding),
    },
    request: {
      systemPrompt: "You are Acme's support assistant. Be concise and empathetic. Look up orders before answering.",
      messages: [{ role: 'user', content: 'Where is my order A-482133? Tracking has not updated in five days.' }],
      parameters: { temperature: 0.3, max_tokens: 600 },
    },
    ...(failed
      ? {
          error: {
            type: 'rate_limit',
            message: 'Rate limit reached for gpt-4o on tokens per min (TPM)',
            code: 'rate_limit_exceeded',
          },
        }
      : {
          output:
            'Hi Maria,\n\nI checked order A-482133: the parcel is with DHL and was last scanned at the regional hub. It should ' +
            'arrive within two business days. If it has not arrived by Friday, reply here and I will send a replacement.\n\nBest,\nAcme Support',
        }),
    usage: failed
      ? { inputTokens: 0, outputTokens: 0 }
      : {
          inputTokens: 1_250 + index,
          outputTokens: 180,
          cacheReadTokens: 1_024,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
    toolCalls: [
      {
        round: 0,
        name: 'lookup_order',
        arguments: { order_id: 'A-482133' },
        result: { status: 'in_transit' },
        latencyMs: 84,
      },
    ],
    user: { email: 'maria.keller@acme-support.com' },
    accessKey: 'bench',
    requestId: `req_bench_${index}`,
    tags: ['bench', 'customer-facing'],
    metadata: { tenant: 'northwind', region: 'eu-west-1', appVersion: '2.14.3' },
    environment: 'production',
  };
}

export interface RecordFactory {
  /** Serialized size of one record, id included. */
  readonly recordBytes: number;
  /** How many distinct records it cycles through (ids aside): a batch this long holds each once. */
  readonly variants: number;
  /** One record as JSON with the given id. */
  record(id: string): string;
  /** `{"executions":[...]}` with `count` records; returns the body and the ids it carries. */
  batch(count: number): { body: string; ids: string[] };
}

/** Pre-serialized records of about `targetBytes` each, varied across prompts, models and sources. */
export function createRecordFactory(targetBytes = 2_500): RecordFactory {
  const now = Date.now();
  const sampleId = uuidv7();
  const tails = VARIANTS.map((_, index) => {
    const startedAt = new Date(now - index * 1_000);
    const unpadded = JSON.stringify({ id: sampleId, ...template(index, startedAt, 0) }).length;
    const padded = JSON.stringify(template(index, startedAt, Math.max(0, targetBytes - unpadded)));
    // Everything after the opening brace, so each record is `{"id":"…",` + tail.
    return padded.slice(1);
  });
  let next = 0;
  const record = (id: string): string => {
    next = (next + 1) % tails.length;
    return `{"id":"${id}",${tails[next]}`;
  };
  return {
    recordBytes: record(sampleId).length,
    variants: tails.length,
    record,
    batch(count) {
      const ids: string[] = [];
      const parts: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = uuidv7();
        ids.push(id);
        parts.push(record(id));
      }
      return { body: `{"executions":[${parts.join(',')}]}`, ids };
    },
  };
}
