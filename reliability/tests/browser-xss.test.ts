import type { Browser, BrowserContext, Page } from '@playwright/test';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { newSpanId, newTraceId, otlpJson } from '../../apps/server/src/features/otlp/test-spans';
import { inspectPage, launchChromium, recordCspViolations, waitForText } from '../src/browser';
import { createDatabase } from '../src/database';
import { reportFigure } from '../src/figures';
import { executionJson } from '../src/ingest-load';
import { ADMIN, ServerProcess, sleep } from '../src/server-process';

const CHECK = 'Stored XSS in the browser';
const PROMPT = 'xss-all-fields';
const OTLP_PROMPT = 'xss-otlp';
/** Valid prompt keys (letters, digits, . _ : / -) that look like script URLs. */
const URL_LIKE_PROMPTS = ['javascript:alert', 'data:text/html', 'vbscript:msgbox'];

/** Each payload sets `window.__xss` to its number (and most call alert) if it ever runs. */
const TEMPLATES: ((n: number) => string)[] = [
  (n) => `<script>window.__xss=${n};alert(${n})</script>`,
  (n) => `<img src=x onerror="window.__xss=${n};alert(${n})">`,
  (n) => `<svg onload="window.__xss=${n};alert(${n})">`,
  (n) => `"><script>window.__xss=${n};alert(${n})</script>`,
  (n) => `'><img src=x onerror=window.__xss=${n};alert(${n})>`,
  (n) => `javascript:window.__xss=${n};alert(${n})`,
  (n) => ` JaVaScRiPt:window.__xss=${n}`,
  (n) => `[click](javascript:window.__xss=${n})`,
  (n) => `[click](JAVASCRIPT:window.__xss=${n})`,
  (n) => `[click](data:text/html,<script>window.__xss=${n}</script>)`,
  (n) => `[click](vbscript:msgbox${n})`,
  (n) => `data:text/html;base64,${Buffer.from(`<script>window.__xss=${n}</script>`).toString('base64')}`,
  (n) => `{{constructor.constructor('window.__xss=${n};alert(${n})')()}}`,
  (n) => `\${window.__xss=${n}}`,
  (n) => `&lt;script&gt;window.__xss=${n}&lt;/script&gt;`,
  (n) => `&#60;img src=x onerror=window.__xss=${n}&#62;`,
  (n) => `<iframe src="javascript:parent.__xss=${n}"></iframe>`,
  (n) => `<a href="javascript:window.__xss=${n}">click</a>`,
  (n) => `<details open ontoggle="window.__xss=${n}">`,
  (n) => `<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=${n}>`,
  (n) => `<!--<img src="--><img src=x onerror=window.__xss=${n}//">`,
  (n) => `</textarea></pre></code><script>window.__xss=${n}</script>`,
  (n) => `<object data="data:text/html,<script>parent.__xss=${n}</script>"></object>`,
  (n) => `" onmouseover="window.__xss=${n}" autofocus onfocus="window.__xss=${n}`,
  (n) => `<style>*{background:url("javascript:window.__xss=${n}")}</style>`,
  (n) => `<input autofocus onfocus=window.__xss=${n}>`,
  (n) => `<base href="javascript:window.__xss=${n}//">`,
  (n) => `<meta http-equiv="refresh" content="0;url=javascript:window.__xss=${n}">`,
  (n) => `[REDACTED:api_key]<img src=x onerror=window.__xss=${n}>`,
  (n) => `**<img src=x onerror=window.__xss=${n}>**`,
  (n) => `\`<script>window.__xss=${n}</script>\``,
];
const PAYLOADS = TEMPLATES.map((template, index) => template(index + 1));
const payload = (index: number) => PAYLOADS[index % PAYLOADS.length] ?? '';

/** Source and file URLs the API accepts as URLs although they run script: a link made of one would be a stored XSS. */
const SCRIPT_URLS: ((n: number) => string)[] = [
  (n) => `javascript:window.__xss=${n}`,
  (n) => `JaVaScRiPt:window.__xss=${n}`,
  (n) => ` javascript:window.__xss=${n}`,
  (n) => `java\tscript:window.__xss=${n}`,
  (n) => `data:text/html,<script>window.__xss=${n}</script>`,
  (n) => `vbscript:msgbox(${n})`,
];

/** Every field of an execution a client controls that the UI shows; each execution carries one payload in all. */
const FIELDS = [
  'source.id',
  'source.url',
  'model',
  'provider',
  'input name',
  'input value',
  'file input name',
  'file input type',
  'file input url',
  'system prompt',
  'message role',
  'message text',
  'message part text',
  'parameter name',
  'parameter value',
  'output (text, Markdown, JSON)',
  'error message',
  'error code',
  'error stack',
  'user id',
  'access key',
  'request id',
  'environment',
  'location node',
  'location field',
  'thinking',
  'tool name',
  'tool argument name',
  'tool argument value',
  'tool result',
  'tool error',
  'trace step type',
  'tag',
  'metadata key',
  'metadata value',
  'nested metadata',
];

/** The REST executions share one trace, named by a payload, so the trace page's title shows one too. */
const REST_TRACE = `<img src=x onerror=window.__xss=100>`;

function execution(n: number): Record<string, unknown> {
  const text = payload(n - 1);
  const url = SCRIPT_URLS[n % SCRIPT_URLS.length]?.(n) ?? '';
  return {
    promptId: PROMPT,
    promptVersion: 1,
    status: 'error',
    source: { type: 'workflow', id: text, url },
    model: text,
    provider: text,
    startedAt: new Date(Date.now() - 60_000 - n * 1_000).toISOString(),
    latencyMs: 100 + n,
    inputs: {
      [text]: text,
      question: text,
      attachment: { type: 'file', name: text, mimeType: text, sizeBytes: 1, url },
    },
    request: {
      systemPrompt: text,
      messages: [
        { role: text, content: text },
        { role: 'user', content: [{ type: 'text', text }] },
      ],
      parameters: { [text]: text },
    },
    output: `${text}\n\n# ${text}\n\n- ${text}\n\n> ${text}`,
    error: { type: 'provider', message: text, code: text, stack: text },
    usage: { inputTokens: 10, outputTokens: 5 },
    user: { id: text },
    accessKey: text,
    requestId: text,
    environment: text,
    location: { node: text, field: text },
    thinking: text,
    toolCalls: [{ round: 1, name: text, arguments: { [text]: text }, result: text, error: text }],
    trace: { traceId: REST_TRACE, spanId: `step-${n}`, stepType: text },
    tags: [text],
    metadata: { [text]: text, nested: { [text]: text } },
  };
}

/** Fields the contract constrains: a payload there is refused whole, with a 400. */
const REFUSED: Record<string, Record<string, unknown>> = {
  'prompt id': { promptId: payload(0) },
  'user email': { user: { email: payload(1) } },
  'error type': { status: 'error', error: { type: payload(2), message: 'x' } },
  'source type': { source: { type: payload(3) } },
};

const OTLP_TRACE = newTraceId();

function otlpExport() {
  const [agent, chat, tool, retriever] = [newSpanId(), newSpanId(), newSpanId(), newSpanId()];
  const startMs = Date.now() - 30_000;
  const at = { traceId: OTLP_TRACE, startMs };
  return otlpJson(
    [
      {
        ...at,
        spanId: agent,
        name: payload(0),
        durationMs: 3_000,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', [payload(1)]: payload(2), note: payload(3) },
        status: { code: 2, message: payload(4) },
      },
      {
        ...at,
        spanId: chat,
        parentSpanId: agent,
        name: payload(5),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': payload(6),
          'gen_ai.usage.input_tokens': 10,
          'gen_ai.usage.output_tokens': 5,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: payload(7) }] }]),
          'gen_ai.output.messages': JSON.stringify([
            { role: 'assistant', parts: [{ type: 'text', content: payload(8) }], finish_reason: 'stop' },
          ]),
          'promptlog.prompt.id': OTLP_PROMPT,
          'promptlog.source.url': 'javascript:window.__xss=200',
          'promptlog.inputs': JSON.stringify({ [payload(9)]: payload(10) }),
          'promptlog.environment': payload(11),
        },
      },
      {
        ...at,
        spanId: tool,
        parentSpanId: agent,
        name: payload(12),
        attributes: {
          'openinference.span.kind': 'TOOL',
          'tool.name': payload(13),
          'tool.arguments': JSON.stringify({ query: payload(14) }),
          [payload(15)]: payload(16),
        },
        status: { code: 2, message: payload(17) },
      },
      {
        ...at,
        spanId: retriever,
        parentSpanId: agent,
        name: payload(18),
        attributes: { 'openinference.span.kind': 'RETRIEVER', 'input.value': payload(19) },
      },
    ],
    { 'service.name': payload(20) },
  );
}

/** What the admin names in the settings, shown there and in the audit log. */
const SETTINGS_PAYLOADS = {
  projectName: payload(21),
  apiKeyLabel: payload(22),
  priceModel: payload(23),
  rulePattern: payload(1),
};

let server: ServerProcess;
let browser: Browser;
const executionPayloads = new Map<string, string>();
const refusedWith400: string[] = [];
let storedScriptUrls = 0;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'reliability_xss');
  [server, browser] = await Promise.all([
    ServerProcess.start({ databaseUrl, name: 'browser-xss', env: { PROMPTLOG_ROLLUP_INTERVAL_MS: '200' } }),
    launchChromium(),
  ]);
  const json = { ...server.auth, 'content-type': 'application/json' };
  const executions = PAYLOADS.map((_, index) => execution(index + 1));
  const others = URL_LIKE_PROMPTS.map((promptId, index) =>
    JSON.parse(
      executionJson({
        promptId,
        output: payload(index),
        source: { type: 'api', url: `javascript:window.__xss=${300 + index}` },
      }),
    ),
  );
  const batch = await fetch(`${server.baseUrl}/api/v1/executions/batch`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ executions: [...executions, ...others] }),
  });
  const { results } = (await batch.json()) as { results: { id: string | null; status: string; error?: unknown }[] };
  expect(results.filter((result) => result.status !== 'created')).toEqual([]);
  for (const [index, result] of results.slice(0, PAYLOADS.length).entries()) {
    executionPayloads.set(result.id ?? '', payload(index));
  }

  for (const [field, fields] of Object.entries(REFUSED)) {
    const response = await fetch(`${server.baseUrl}/api/v1/executions`, {
      method: 'POST',
      headers: json,
      body: executionJson(fields),
    });
    if (response.status === 400) refusedWith400.push(field);
  }
  const otlp = await fetch(`${server.baseUrl}/api/otel/v1/traces`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(otlpExport()),
  });
  expect(otlp.status, await otlp.text()).toBe(200);
  storedScriptUrls = await countScriptSourceUrls();
  const context = await adminContext({ bypassCSP: false });
  await nameSettingsWithPayloads(context);
  await context.close();
  // Rollups fold every 200 ms here; the analytics and dashboard read them.
  await sleep(1_000);
}, 60_000);

/** Stored executions whose source URL would run script as a link: the API validates it as a URL, not as http(s). */
async function countScriptSourceUrls(): Promise<number> {
  const response = await fetch(`${server.baseUrl}/api/v1/executions?limit=200`, { headers: server.auth });
  const { items } = (await response.json()) as { items: { source: { url?: string | null } }[] };
  const withoutBlanks = (url: string) => [...url].filter((character) => character > ' ').join('');
  return items.filter(({ source }) => /^(javascript|data|vbscript):/i.test(withoutBlanks(source.url ?? ''))).length;
}
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newContext(options: { bypassCSP: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1400, height: 1400 },
    ...options,
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/** A browser context with the admin's session. */
async function adminContext(options: { bypassCSP: boolean }): Promise<BrowserContext> {
  const context = await newContext(options);
  const login = await context.request.post('/api/auth/login', { data: ADMIN });
  expect(login.status(), await login.text()).toBe(200);
  return context;
}

/** Names things in the settings with payloads, through the API with the admin's session. */
async function nameSettingsWithPayloads(context: BrowserContext): Promise<void> {
  const login = await context.request.post('/api/auth/login', { data: ADMIN });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const escaped = SETTINGS_PAYLOADS.rulePattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const changes = [
    context.request.patch('/api/v1/settings', { headers, data: { name: SETTINGS_PAYLOADS.projectName } }),
    context.request.post('/api/v1/api-keys', {
      headers,
      data: { label: SETTINGS_PAYLOADS.apiKeyLabel, scopes: ['read'] },
    }),
    context.request.post('/api/v1/prices', {
      headers,
      data: { model: SETTINGS_PAYLOADS.priceModel, inputPerMillion: '1', outputPerMillion: '2' },
    }),
    context.request.patch('/api/v1/settings', {
      headers,
      data: { redaction: { builtins: [], custom: [{ name: 'xss_rule', pattern: escaped, caseInsensitive: false }] } },
    }),
  ];
  for (const change of changes) {
    const response = await change;
    expect(response.ok(), await response.text()).toBe(true);
  }
}

interface Visit {
  view: string;
  flag: unknown;
  problems: string[];
  cspViolations: string[];
  /** How many distinct payloads the view shows as text. */
  payloadsShown: number;
}

const SHOWN_TEXTS = [...PAYLOADS, ...URL_LIKE_PROMPTS, ...Object.values(SETTINGS_PAYLOADS)].map((text) => text.trim());

async function look(page: Page, view: string, visits: Visit[], mustShow?: string): Promise<void> {
  const inspection = await inspectPage(page);
  const shown = SHOWN_TEXTS.filter((text) => inspection.text.includes(text)).length;
  const problems = [...inspection.problems];
  if (shown === 0) problems.push('no payload is shown as text');
  if (mustShow && !inspection.text.includes(mustShow.trim()))
    problems.push(`does not show ${JSON.stringify(mustShow)}`);
  visits.push({ view, flag: inspection.flag, problems, cspViolations: inspection.cspViolations, payloadsShown: shown });
}

/** Opens every <details>, "Show all" and output view in the drawer, looking at each. */
async function lookThroughDrawer(page: Page, view: string, visits: Visit[], mustShow?: string): Promise<void> {
  const drawer = page.getByRole('dialog').last();
  await drawer.evaluate((element) => {
    for (const details of element.querySelectorAll('details')) details.open = true;
  });
  // Each expands in place and becomes "Show less", so the next one left is always the first.
  const showAll = drawer.getByRole('button', { name: /^Show all/ });
  while ((await showAll.count()) > 0) await showAll.first().click();
  await look(page, `${view} (text)`, visits, mustShow);
  const result = drawer.getByRole('region', { name: 'Result' });
  if ((await result.count()) === 0) return;
  for (const option of ['Markdown', 'JSON']) {
    const button = result.getByRole('button', { name: option, exact: true });
    if ((await button.count()) === 0) continue;
    await button.click();
    await look(page, `${view} (${option})`, visits);
  }
}

/** Every view that shows logged or admin-entered text; `everyExecution` opens each execution's drawer, else the first. */
async function walk(page: Page, everyExecution: boolean): Promise<Visit[]> {
  const visits: Visit[] = [];
  await page.goto('/');
  const prompts = page.getByRole('table', { name: 'Prompts' });
  await prompts.getByRole('link', { name: PROMPT }).waitFor();
  await look(page, 'Prompts page', visits, URL_LIKE_PROMPTS[0]);

  await prompts.getByRole('link', { name: PROMPT }).click();
  const table = page.getByRole('table', { name: `Executions of ${PROMPT}` });
  await table.getByRole('row').nth(1).waitFor();
  await look(page, 'Logs tab', visits);

  await table.getByRole('row').nth(1).getByRole('cell').first().click();
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  const opened = new Set<string>();
  for (;;) {
    const id = new URL(page.url()).searchParams.get('execution') ?? '';
    const text = executionPayloads.get(id) ?? '';
    await drawer.getByRole('region', { name: 'Inputs' }).waitFor();
    await waitForText(page, text);
    opened.add(id);
    // The whole page is inspected, so this also covers the table rows scrolled into view behind the drawer.
    await lookThroughDrawer(page, `Execution drawer ${opened.size}`, visits, text);
    const next = drawer.getByRole('button', { name: 'Next execution' });
    if (!everyExecution || (await next.isDisabled())) break;
    await next.click();
    await page.waitForURL((url) => url.searchParams.get('execution') !== id);
  }
  if (everyExecution) expect(opened.size).toBe(PAYLOADS.length);

  await drawer.getByRole('link', { name: 'Open trace' }).click();
  const waterfall = page.getByRole('treegrid', { name: 'Trace waterfall' });
  await waterfall.getByRole('row').nth(1).waitFor();
  await look(page, 'Trace page (REST)', visits, REST_TRACE);
  await waterfall.getByRole('row').nth(1).getByRole('gridcell').first().click();
  await drawer.getByRole('region', { name: 'Inputs' }).waitFor();
  await lookThroughDrawer(page, 'Trace page execution drawer', visits);
  await page.keyboard.press('Escape');

  await page.goto(`/traces/${OTLP_TRACE}`);
  await waterfall.getByRole('row').nth(4).waitFor();
  await look(page, 'Trace page (OTLP)', visits, payload(0));
  const rows = await waterfall.getByRole('row').count();
  for (let row = 1; row < rows; row++) {
    await waterfall.getByRole('row').nth(row).getByRole('gridcell').first().click();
    await page.getByRole('dialog').waitFor();
    await lookThroughDrawer(page, `OTLP trace row ${row}`, visits);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  for (const promptId of [OTLP_PROMPT, ...URL_LIKE_PROMPTS]) {
    await page.goto('/');
    await page.getByRole('table', { name: 'Prompts' }).getByRole('link', { name: promptId, exact: true }).click();
    const logs = page.getByRole('table', { name: `Executions of ${promptId}` });
    await logs.getByRole('row').nth(1).getByRole('cell').first().click();
    await drawer.getByRole('region', { name: 'Inputs' }).waitFor();
    await lookThroughDrawer(page, `Logs of ${promptId}`, visits);
  }

  await page.goto(`/prompts/${PROMPT}?tab=analytics`);
  await page.getByRole('table', { name: 'Field details' }).getByRole('row').nth(1).waitFor();
  await look(page, 'Analytics tab', visits);
  await page.goto('/dashboard');
  await page.getByRole('region', { name: 'Organisation totals' }).waitFor();
  await waitForText(page, URL_LIKE_PROMPTS[0] ?? '');
  await look(page, 'Dashboard', visits);

  const settings: [string, string][] = [
    ['/settings', SETTINGS_PAYLOADS.projectName],
    ['/settings?tab=api-keys', SETTINGS_PAYLOADS.apiKeyLabel],
    ['/settings?tab=data', SETTINGS_PAYLOADS.rulePattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')],
    ['/settings?tab=audit', SETTINGS_PAYLOADS.priceModel],
  ];
  for (const [path, text] of settings) {
    await page.goto(path);
    await waitForText(page, text);
    await look(page, `Settings ${path}`, visits, text);
  }
  await page.goto('/account');
  await waitForText(page, ADMIN.email);
  await look(page, 'Account page', visits);
  return visits;
}

function problemsOf(visits: Visit[]): string[] {
  return visits.flatMap((visit) => [
    ...(visit.flag === null ? [] : [`${visit.view}: window.__xss = ${String(visit.flag)}`]),
    ...visit.problems.map((problem) => `${visit.view}: ${problem}`),
  ]);
}

// The two walks share nothing but the server's data, which neither changes, so they run side by side.
it.concurrent('shows logged and admin-entered markup as text in every view, and never runs it', async () => {
  const context = await adminContext({ bypassCSP: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // With the page's CSP switched off, only the app's own rendering stands between a payload and the DOM.
  const visits = await walk(page, true);
  await context.close();

  const drawers = visits.filter((visit) => visit.view.startsWith('Execution drawer')).length;
  reportFigure(CHECK, 'payloads × execution fields', `${PAYLOADS.length} × ${FIELDS.length}`);
  reportFigure(
    CHECK,
    'plus OTLP span fields, settings, URL-like prompt ids',
    `21 payloads, 4 settings, ${URL_LIKE_PROMPTS.length} prompt ids`,
  );
  reportFigure(CHECK, 'views inspected (of which execution drawer views)', `${visits.length} (${drawers})`);
  reportFigure(
    CHECK,
    'payloads shown as text, summed over views',
    visits.reduce((sum, visit) => sum + visit.payloadsShown, 0),
  );
  reportFigure(
    CHECK,
    'script URLs stored / rendered as links',
    `${storedScriptUrls} / ${problemsOf(visits).filter((p) => p.includes('scheme')).length}`,
  );
  reportFigure(
    CHECK,
    `constrained fields refused with 400 (of ${Object.keys(REFUSED).length})`,
    refusedWith400.join(', '),
  );
  reportFigure(
    CHECK,
    'dialogs, flags set, injected elements or handlers',
    `${dialogs.length}, ${visits.filter((v) => v.flag !== null).length}, ${problemsOf(visits).length}`,
  );

  expect(problemsOf(visits)).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(refusedWith400).toEqual(Object.keys(REFUSED));
});

it.concurrent('runs every view, and the API docs, under the strict Content-Security-Policy without a violation', async () => {
  const context = await newContext({ bypassCSP: false });
  const page = await context.newPage();
  await recordCspViolations(page);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  // Through the login page, so its form runs under the policy too.
  await page.goto('/');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('table', { name: 'Prompts' }).waitFor();
  const loginViolations = (await inspectPage(page)).cspViolations;
  const visits = await walk(page, false);
  await page.goto('/api/docs/');
  await page.getByRole('heading', { name: /Promptlog API/ }).waitFor();
  const docs = await inspectPage(page);
  const violations = [...loginViolations, ...visits.flatMap((visit) => visit.cspViolations), ...docs.cspViolations];
  await context.close();

  reportFigure(
    CHECK,
    'CSP violations in views (+ login page, API docs)',
    `${violations.length} in ${visits.length + 2}`,
  );
  expect(problemsOf(visits)).toEqual([]);
  expect(violations).toEqual([]);
  expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
});
