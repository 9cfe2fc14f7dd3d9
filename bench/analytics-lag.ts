// The rollup-lag probe of `pnpm bench:analytics`: a burst of executions for one new prompt through
// POST /api/v1/executions/batch, then polling the summary until the rollups have caught up. Costs are
// decimal strings summed exactly with BigInt, so a float anywhere on the way shows as a mismatch.

import { uuidv7 } from '../apps/server/src/lib/ids';
import type { Server } from './harness';

/** Costs are generated with this many decimals (units of 1e-10 USD). */
const COST_SCALE = 10;
const COST_UNIT = 10n ** BigInt(COST_SCALE);

/** A non-negative decimal string from an integer number of 1e-10 units, trailing zeros trimmed. */
export function formatUnits(units: bigint): string {
  const whole = units / COST_UNIT;
  const fraction = (units % COST_UNIT).toString().padStart(COST_SCALE, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** A decimal string in canonical form (no leading or trailing zeros), or null if it is not one. */
export function canonicalDecimal(value: string): string | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return null;
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export interface BurstPlan {
  promptId: string;
  records: number;
  batchSize: number;
  connections: number;
}

export interface Expected {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: string;
}

/** Record i of the burst: known tokens and a cost of up to about 2 USD with 10 decimals. */
function burstRecord(plan: BurstPlan, i: number, nowMs: number) {
  const inputTokens = 1_000 + (i % 997);
  const outputTokens = 50 + (i % 211);
  const cacheReadTokens = i % 4 === 0 ? 500 : 0;
  // Every tenth a round figure ("0.1"-like), the rest up to ~2 USD with all ten decimals used.
  const costUnits = i % 10 === 0 ? BigInt(1 + (i % 7)) * 10n ** 9n : BigInt(1 + ((i * 7_919) % 20_000_000_000));
  return {
    costUnits,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    json: {
      id: uuidv7(),
      promptId: plan.promptId,
      promptVersion: 1 + (i % 3),
      status: 'success',
      source: { type: 'api' },
      model: 'gpt-4o',
      provider: 'openai',
      // Spread over the last five minutes, all inside the polled window.
      startedAt: new Date(nowMs - (i % 300) * 1_000 - 2_000).toISOString(),
      latencyMs: 200 + (i % 1_000),
      usage: { inputTokens, outputTokens, cacheReadTokens },
      costUsd: formatUnits(costUnits),
      inputs: { n: i },
      output: 'ok',
      tags: ['bench-lag'],
    },
  };
}

export interface BurstResult {
  expected: Expected;
  created: number;
  notCreated: string[];
  failedRequests: string[];
  /** performance.now() of the first request sent and of the last acknowledgement. */
  firstSentAt: number;
  lastAckAt: number;
  requestMs: number[];
}

function resultStatuses(body: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || !('results' in parsed) || !Array.isArray(parsed.results)) {
      return null;
    }
    const items: unknown[] = parsed.results;
    return items.map((item) =>
      typeof item === 'object' && item !== null && 'status' in item && typeof item.status === 'string'
        ? item.status
        : 'unknown',
    );
  } catch {
    return null;
  }
}

/** Sends the burst in batches over `connections` concurrent request loops. */
export async function sendBurst(server: Server, plan: BurstPlan): Promise<BurstResult> {
  const nowMs = Date.now();
  const batches: string[] = [];
  let costUnits = 0n;
  const expected: Expected = { calls: plan.records, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: '' };
  for (let start = 0; start < plan.records; start += plan.batchSize) {
    const items: unknown[] = [];
    for (let i = start; i < Math.min(plan.records, start + plan.batchSize); i++) {
      const record = burstRecord(plan, i, nowMs);
      costUnits += record.costUnits;
      expected.inputTokens += record.inputTokens;
      expected.outputTokens += record.outputTokens;
      expected.cacheReadTokens += record.cacheReadTokens;
      items.push(record.json);
    }
    batches.push(JSON.stringify({ executions: items }));
  }
  expected.costUsd = formatUnits(costUnits);

  const result: BurstResult = {
    expected,
    created: 0,
    notCreated: [],
    failedRequests: [],
    firstSentAt: performance.now(),
    lastAckAt: 0,
    requestMs: [],
  };
  let next = 0;
  const loop = async () => {
    for (;;) {
      const index = next++;
      const body = batches[index];
      if (body === undefined) return;
      const started = performance.now();
      try {
        const response = await fetch(`${server.baseUrl}/api/v1/executions/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        const now = performance.now();
        result.requestMs.push(now - started);
        const statuses = resultStatuses(text);
        if (!response.ok || !statuses) {
          result.failedRequests.push(`batch ${index}: HTTP ${response.status} ${text.slice(0, 300)}`);
          continue;
        }
        result.lastAckAt = Math.max(result.lastAckAt, now);
        for (const status of statuses) {
          if (status === 'created') result.created++;
          else if (result.notCreated.length < 5) result.notCreated.push(`batch ${index}: ${status}`);
        }
      } catch (error) {
        result.failedRequests.push(`batch ${index}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, loop));
  return result;
}

export interface SummaryFigures {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  costUsd: string | null;
  unpricedCalls: number;
  successRate: number | null;
  p95LatencyMs: number | null;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const numOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** The measures of a summary body; null when it is not an object with `calls`. */
export function summaryFigures(body: string): SummaryFigures | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('calls' in parsed)) return null;
  const o: Record<string, unknown> = { ...parsed };
  return {
    calls: num(o.calls),
    inputTokens: num(o.inputTokens),
    outputTokens: num(o.outputTokens),
    cacheReadTokens: num(o.cacheReadTokens),
    totalTokens: num(o.totalTokens),
    costUsd: typeof o.costUsd === 'string' ? o.costUsd : null,
    unpricedCalls: num(o.unpricedCalls),
    successRate: numOrNull(o.successRate),
    p95LatencyMs: numOrNull(o.p95LatencyMs),
  };
}

export interface LagResult {
  caughtUp: boolean;
  /** From the last acknowledged batch to the first summary that matched. */
  lagMs: number;
  /** From the last acknowledgement to the first summary that counted any of the burst. */
  firstSeenMs: number | null;
  polls: number;
  pollFailures: string[];
  last: SummaryFigures | null;
  lastBody: string;
}

/** Polls the prompt's summary every `intervalMs` until it counts the whole burst, for at most `timeoutMs`. */
export async function pollUntilCaughtUp(
  server: Server,
  path: string,
  expected: Expected,
  lastAckAt: number,
  intervalMs: number,
  timeoutMs: number,
): Promise<LagResult> {
  const result: LagResult = {
    caughtUp: false,
    lagMs: Number.NaN,
    firstSeenMs: null,
    polls: 0,
    pollFailures: [],
    last: null,
    lastBody: '',
  };
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const started = performance.now();
    result.polls++;
    try {
      const response = await fetch(`${server.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${server.apiKey}` },
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.text();
      const at = performance.now();
      result.lastBody = body;
      if (!response.ok) {
        if (result.pollFailures.length < 3) result.pollFailures.push(`HTTP ${response.status}: ${body.slice(0, 300)}`);
      } else {
        const figures = summaryFigures(body);
        result.last = figures;
        if (figures && figures.calls > 0 && result.firstSeenMs === null) result.firstSeenMs = at - lastAckAt;
        if (
          figures &&
          figures.calls === expected.calls &&
          figures.inputTokens === expected.inputTokens &&
          figures.outputTokens === expected.outputTokens
        ) {
          result.caughtUp = true;
          result.lagMs = at - lastAckAt;
          return result;
        }
      }
    } catch (error) {
      if (result.pollFailures.length < 3) {
        result.pollFailures.push(error instanceof Error ? error.message : String(error));
      }
    }
    const wait = intervalMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return result;
}
