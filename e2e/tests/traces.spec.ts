import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { createMember, ensureAdmin, logIn } from './fixtures/admin';
import { idSequence } from './fixtures/executions';
import { screenshot } from './fixtures/screenshots';

// Ids follow declaration order, so a second run of this setup stores nothing twice.
const nextId = idSequence('traces.spec');

const TRACE_ID = `support-run-${createHash('sha256').update('traces.spec trace').digest('hex').slice(0, 12)}`;
const MINUTE = 60_000;
// A whole minute well in the past, so a re-run within the hour sends the same executions.
const start = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE - 30 * MINUTE;
const at = (ms: number) => new Date(start + ms).toISOString();

type Step = { promptId: string; spanId: string; parentId?: string; from: number; to: number } & Record<string, unknown>;

function call({ promptId, spanId, parentId, from, to, ...fields }: Step) {
  return {
    id: nextId(),
    promptId,
    promptVersion: 1,
    status: 'success',
    source: { type: 'workflow', id: 'support-run' },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: at(from),
    latencyMs: to - from,
    inputs: { ticket: 'Where is order 1042?', step: promptId },
    output: `Output of ${promptId}`,
    usage: { inputTokens: 400, outputTokens: 60 },
    costUsd: '0.00012',
    trace: { traceId: TRACE_ID, spanId, ...(parentId ? { parentId } : {}) },
    ...fields,
  };
}

// An agent run: the planner calls two tools (one with a nested summary), then drafts a reply twice and gives up.
const planner = call({ promptId: 'support-agent', spanId: 'agent', from: 0, to: 800, model: 'gpt-4o' });
const lookup = call({ promptId: 'order-lookup', spanId: 'lookup', parentId: 'agent', from: 900, to: 1500 });
const summary = call({ promptId: 'order-summary-step', spanId: 'summary', parentId: 'lookup', from: 1000, to: 1400 });
const policy = call({ promptId: 'policy-retrieval', spanId: 'policy', parentId: 'agent', from: 950, to: 1250 });
const failure = (spanId: string, from: number, to: number, attempt: number, error: Record<string, string>) =>
  call({
    promptId: 'draft-reply',
    spanId,
    parentId: 'agent',
    from,
    to,
    attempt,
    status: 'error',
    output: undefined,
    costUsd: undefined,
    model: 'house-llm',
    provider: 'self-hosted',
    error,
  });
const firstDraft = failure('draft-1', 1600, 3600, 1, { type: 'rate_limit', message: 'Rate limit exceeded' });
const lastDraft = failure('draft-2', 3700, 6700, 2, { type: 'timeout', message: 'No answer within 3 s' });

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  for (const execution of [planner, lookup, summary, policy, firstDraft, lastDraft]) {
    const response = await request.post('/api/v1/executions', {
      headers: { authorization: `Bearer ${apiKey}` },
      data: execution,
    });
    // 200: this id was stored by an earlier run.
    expect([200, 201], await response.text()).toContain(response.status());
  }
});

function waterfall(page: Page) {
  return page.getByRole('treegrid', { name: 'Trace waterfall' });
}

function row(page: Page, name: string) {
  return waterfall(page).getByRole('row').filter({ hasText: name });
}

test('the drawer shows the trace as a waterfall at its top, and opens another call of it', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/prompts/draft-reply?range=all');
  const executions = page.getByRole('table', { name: 'Executions of draft-reply' });
  await executions.getByRole('row').filter({ hasText: 'house-llm' }).first().getByRole('cell').first().click();
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  const waterfall = drawer.getByRole('region', { name: 'Trace waterfall' });
  await expect(waterfall).toContainText('6 calls, 0 other steps over 6.70 s, 2 failed');
  const rows = waterfall.getByRole('list', { name: 'Calls and steps of the trace, in the order they started' });
  await expect(rows.getByRole('listitem')).toHaveCount(6);
  await expect(rows.getByRole('listitem').first()).toContainText('support-agent · gpt-4o');
  // The execution shown is marked, and is the one step that is not a button.
  const current = rows.locator('[aria-current="step"]');
  await expect(current).toContainText('draft-reply · house-llm');
  await expect(current).toContainText('(this execution)');
  await expect(rows.getByRole('button')).toHaveCount(5);

  await rows.getByRole('button', { name: /^order-lookup/ }).click();
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('order-lookup');
  await expect(rows.locator('[aria-current="step"]')).toContainText('order-lookup');
  await waterfall.getByRole('link', { name: 'Open trace' }).click();
  await expect(page).toHaveURL(new RegExp(`/traces/${TRACE_ID}(\\?|$)`));
  // On the trace page the drawer does not repeat the waterfall the page shows.
  await row(page, 'order-lookup').getByRole('gridcell').first().click();
  await expect(page.getByRole('dialog', { name: 'Execution details' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Trace waterfall' })).toHaveCount(0);
});

test('follows a failed execution to its trace, reads the waterfall and opens a call from it', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/prompts/draft-reply?range=all');
  const executions = page.getByRole('table', { name: 'Executions of draft-reply' });
  await executions.getByRole('row').filter({ hasText: 'house-llm' }).first().getByRole('cell').first().click();
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  const traceSection = drawer.getByRole('region', { name: 'Trace', exact: true });
  await expect(traceSection).toContainText(TRACE_ID);
  // The drawer and the trace page agree on where the run stopped: this last attempt, the one shown.
  await expect(traceSection.getByRole('listitem').filter({ hasText: 'Execution stopped here' })).toHaveCount(1);
  await expect(traceSection.locator('[aria-current="step"]')).toContainText('Execution stopped here');
  await traceSection.scrollIntoViewIfNeeded();
  await screenshot(traceSection, 'logs-drawer-trace-link');
  await traceSection.getByRole('link', { name: 'Open trace' }).click();

  await expect(page).toHaveURL(new RegExp(`/traces/${TRACE_ID}(\\?|$)`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Trace ${TRACE_ID}`);
  await expect(drawer).toHaveCount(0);
  const totals = page.getByRole('region', { name: 'Trace totals' });
  await expect(totals.getByRole('definition').first()).toHaveText('6.70 s');
  await expect(totals).toContainText('LLM calls6');
  await expect(totals).toContainText('Errors2');
  // Four priced calls at $0.00012 each; the two failed drafts have no price and are named as left out.
  await expect(totals).toContainText('$0.00048');
  await expect(totals).toContainText('without 2 unpriced calls');
  await expect(totals).toContainText('2,400 / 360');

  const stop = page.getByRole('note', { name: 'Where the run stopped' });
  await expect(stop).toContainText('Stopped at');
  await expect(stop).toContainText('draft-reply · house-llm');
  await expect(stop).toContainText('timeout');

  const rows = waterfall(page).getByRole('row');
  await expect(rows).toHaveCount(7);
  await expect(rows.nth(1)).toContainText('support-agent · gpt-4o');
  await expect(rows.nth(1)).toHaveAttribute('aria-level', '1');
  await expect(rows.nth(2)).toContainText('order-lookup');
  await expect(rows.nth(3)).toContainText('order-summary-step');
  await expect(rows.nth(3)).toHaveAttribute('aria-level', '3');
  await expect(rows.nth(4)).toContainText('policy-retrieval');
  await expect(rows.nth(6)).toContainText('stopped here');
  await screenshot(page, 'trace-page', { fullPage: true });

  await stop.getByRole('button', { name: 'Jump to the failed step' }).click();
  await expect(rows.nth(6)).toBeFocused();
  await page.keyboard.press('k');
  await expect(rows.nth(5)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Result' })).toContainText('Rate limit exceeded');
  await expect(drawer.getByRole('link', { name: 'Open trace' })).toHaveCount(0);
  await screenshot(page, 'trace-drawer');
  await page.keyboard.press('j');
  await expect(drawer.getByRole('region', { name: 'Result' })).toContainText('No answer within 3 s');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(rows.nth(6)).toBeFocused();

  // Collapsing the planner hides its whole subtree; expanding brings it back.
  await rows.nth(1).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(rows).toHaveCount(7);

  await row(page, 'order-lookup').getByRole('gridcell').first().click();
  await expect(drawer.getByRole('region', { name: 'Inputs' })).toContainText('Where is order 1042?');
  await expect(page).toHaveURL(/node=lookup/);
  await page.goBack();
  await expect(drawer).toHaveCount(0);
});

test('says so when the project has no such trace', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/traces/no-such-trace');
  await expect(page.getByRole('heading', { name: 'No trace no-such-trace in this project' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the prompts' })).toBeVisible();
});

const SCRIPT = '<img src=x onerror=alert(1)>';
const hexId = (seed: string, bytes: number) =>
  createHash('sha256')
    .update(`traces.spec ${seed}`)
    .digest('hex')
    .slice(0, bytes * 2);
const OTEL_TRACE = hexId('otel trace', 16);
const SPANS = { agent: hexId('agent', 8), chat: hexId('chat', 8), tool: hexId('tool', 8), fetch: hexId('fetch', 8) };

type OtlpValue = { stringValue: string } | { intValue: string };
const attributes = (values: Record<string, string | number>) =>
  Object.entries(values).map(([key, value]): { key: string; value: OtlpValue } => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  }));

/** One OTLP/JSON span of the agent run, timed in ms after the run's start. */
function otlpSpan(
  spanId: string,
  parentSpanId: string | null,
  name: string,
  [from, to]: [number, number],
  values: Record<string, string | number>,
  status: { code: number; message?: string } = { code: 0 },
) {
  const nanos = (ms: number) => String(BigInt(start + ms) * 1_000_000n);
  return {
    traceId: OTEL_TRACE,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: 1,
    startTimeUnixNano: nanos(from),
    endTimeUnixNano: nanos(to),
    attributes: attributes(values),
    status,
  };
}

// An agent whose tool call fails; the instrumentation marks the agent failed too.
const OTLP_EXPORT = {
  resourceSpans: [
    {
      resource: { attributes: attributes({ 'service.name': 'support-bot' }) },
      scopeSpans: [
        {
          scope: { name: 'e2e' },
          spans: [
            otlpSpan(
              SPANS.agent,
              null,
              'invoke_agent support',
              [0, 1200],
              { 'gen_ai.operation.name': 'invoke_agent' },
              {
                code: 2,
                message: 'a tool failed',
              },
            ),
            otlpSpan(SPANS.chat, SPANS.agent, 'chat gpt-4o', [20, 420], {
              'gen_ai.operation.name': 'chat',
              'gen_ai.request.model': 'gpt-4o',
              'gen_ai.usage.input_tokens': 900,
              'gen_ai.usage.output_tokens': 120,
              'promptlog.prompt.id': 'agent-turn',
            }),
            otlpSpan(
              SPANS.tool,
              SPANS.agent,
              'search_orders',
              [450, 1150],
              {
                'openinference.span.kind': 'TOOL',
                'tool.name': 'search_orders',
                'tool.arguments': `{"query": "${SCRIPT}"}`,
                'http.status_code': 503,
              },
              { code: 2, message: `Bad query ${SCRIPT}` },
            ),
            otlpSpan(SPANS.fetch, SPANS.agent, 'fetch policy', [1100, 1190], {
              'openinference.span.kind': 'RETRIEVER',
            }),
          ],
        },
      ],
    },
  ],
};

const viewer = { email: 'trace-viewer@example.com', password: 'viewer password 123', role: 'viewer' as const };

test('shows a step’s attributes as text in its own panel, and hides them from a viewer', async ({
  page,
  request,
  playwright,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const apiKey = await ensureAdmin(request);
  const exported = await request.post('/api/otel/v1/traces', {
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    data: OTLP_EXPORT,
  });
  expect(exported.status(), await exported.text()).toBe(200);

  await ensureAdmin(page.request);
  await page.goto(`/traces/${OTEL_TRACE}`);
  const stop = page.getByRole('note', { name: 'Where the run stopped' });
  await expect(stop).toContainText('search_orders');
  await expect(stop).toContainText(`Bad query ${SCRIPT}`);
  await expect(page.getByRole('region', { name: 'Trace totals' })).toContainText('Other steps3');
  await expect(waterfall(page).getByRole('row')).toHaveCount(5);
  await expect(row(page, 'agent-turn')).toHaveAttribute('aria-level', '2');
  await screenshot(page, 'trace-steps', { fullPage: true });

  await row(page, 'search_orders').getByRole('gridcell').first().click();
  const panel = page.getByRole('dialog', { name: 'Step details' });
  const stepAttributes = panel.getByRole('region', { name: /^Attributes/ });
  await expect(stepAttributes).toContainText(`{"query": "${SCRIPT}"}`);
  await expect(stepAttributes).toContainText('503');
  await expect(panel.getByRole('region', { name: 'Step' })).toContainText(`Bad query ${SCRIPT}`);
  await expect(page.locator('img')).toHaveCount(0);
  await screenshot(page, 'trace-step-drawer');
  await page.keyboard.press('j');
  await expect(panel).toContainText('fetch policy');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(row(page, 'fetch policy')).toBeFocused();

  await createMember(
    request,
    () => playwright.request.newContext({ baseURL: test.info().project.use.baseURL }),
    viewer,
  );
  await logIn(page.request, viewer.email, viewer.password);
  await page.goto(`/traces/${OTEL_TRACE}`);
  await expect(page.getByRole('note').filter({ hasText: 'Step attributes are hidden' })).toBeVisible();
  await expect(page.getByRole('note', { name: 'Where the run stopped' })).not.toContainText('Bad query');
  await row(page, 'search_orders').getByRole('gridcell').first().click();
  await expect(panel.getByRole('region', { name: 'Attributes' })).toContainText('Hidden');
  await expect(panel).not.toContainText(SCRIPT);
  expect(dialogs).toEqual([]);
});
