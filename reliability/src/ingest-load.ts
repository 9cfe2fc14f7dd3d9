// A client that logs executions with its own ids the way a careful SDK does: a record counts as stored once the
// server acknowledged it (201/200, or `created`/`duplicate` in a batch), and anything else is sent again, same
// ids and same body, until it is. The ledger then says what was acknowledged, what each id carried, and how the
// server answered along the way.

import { uuidv7 } from '../../apps/server/src/lib/ids';
import { createRecordFactory } from '../../bench/records';

export interface LoadOptions {
  baseUrl: string;
  auth: { authorization: string };
  workers: number;
  /** Every how many requests a worker sends a batch instead of a single record (1: only batches). */
  batchEvery: number;
  batchSize: number;
  /** Checked before each new request; retries of an unacknowledged one go on regardless. */
  keepGoing: () => boolean;
  /** A request not answered within this is abandoned and sent again, as an SDK's timeout does. */
  requestTimeoutMs?: number;
  /** Wait as long as a 503 or 429 says before sending again, as the SDK and OTLP exporters do (default: a short backoff). */
  honourRetryAfter?: boolean;
}

export class IngestLedger {
  /** id → the inputs it was sent with, as canonical JSON. */
  readonly sentInputs = new Map<string, string>();
  readonly acknowledged = new Set<string>();
  /** Status code (or "network error") → responses. */
  readonly answers = new Map<string, number>();
  readonly acceptedLatenciesMs: number[] = [];
  /** Retry-After values seen on 503/429 answers. */
  readonly retryAfter = new Set<string>();
  refusalsWithoutRetryAfter = 0;
  /** 4xx answers and refused batch items: the load is well-formed, so any is a defect. */
  readonly rejections: string[] = [];
  /** When each request that got no answer was sent (performance.now()), to tell a cut-off request from a refused one. */
  readonly unansweredSentAt: number[] = [];
  requests = 0;
  retries = 0;

  count(answer: string): void {
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
  }

  answersOf(predicate: (answer: string) => boolean): number {
    let total = 0;
    for (const [answer, count] of this.answers) if (predicate(answer)) total += count;
    return total;
  }
}

/** One small, valid execution as a request body; `fields` override or add to it. */
export function executionJson(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    promptId: 'reliability',
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o',
    startedAt: new Date().toISOString(),
    ...fields,
  });
}

/** JSON with object keys sorted, so a value and its stored copy compare as text whatever order keys came back in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function runIngestLoad(options: LoadOptions, ledger = new IngestLedger()): Promise<IngestLedger> {
  const factory = createRecordFactory(1_200);
  const worker = async (index: number) => {
    for (let n = 0; options.keepGoing(); n++) {
      const asBatch = (n + index) % options.batchEvery === 0;
      const ids = Array.from({ length: asBatch ? options.batchSize : 1 }, () => uuidv7());
      const records = ids.map((id) => factory.record(id));
      for (const [i, record] of records.entries()) {
        const inputs: unknown = (JSON.parse(record) as { inputs: unknown }).inputs;
        ledger.sentInputs.set(ids[i] ?? '', canonicalJson(inputs));
      }
      const body = asBatch ? `{"executions":[${records.join(',')}]}` : (records[0] ?? '');
      const path = asBatch ? '/api/v1/executions/batch' : '/api/v1/executions';
      await sendUntilAcknowledged(options, ledger, path, body, ids);
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return ledger;
}

/** A load that runs until stop(), which resolves with its ledger once every worker has had its last answer. */
export function startIngestLoad(
  server: Pick<LoadOptions, 'baseUrl' | 'auth'>,
  options: Omit<LoadOptions, 'baseUrl' | 'auth' | 'keepGoing'>,
): { stop: () => Promise<IngestLedger> } {
  let loading = true;
  const load = runIngestLoad({ baseUrl: server.baseUrl, auth: server.auth, ...options, keepGoing: () => loading });
  return {
    stop: () => {
      loading = false;
      return load;
    },
  };
}

async function sendUntilAcknowledged(
  options: LoadOptions,
  ledger: IngestLedger,
  path: string,
  body: string,
  ids: string[],
): Promise<void> {
  let pending = ids;
  let retryAfterMs: number | undefined;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      ledger.retries++;
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? Math.min(50 * attempt, 500)));
    }
    ledger.requests++;
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${options.baseUrl}${path}`, {
        method: 'POST',
        headers: { ...options.auth, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch {
      ledger.count('network error');
      ledger.unansweredSentAt.push(started);
      continue;
    }
    ledger.count(String(response.status));
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null) ledger.retryAfter.add(retryAfter);
    else if (response.status === 503 || response.status === 429) ledger.refusalsWithoutRetryAfter++;
    retryAfterMs = options.honourRetryAfter && retryAfter !== null ? Number(retryAfter) * 1000 : undefined;
    if (response.status >= 500 || response.status === 429) continue;
    if (response.status >= 300) {
      ledger.rejections.push(`${path} HTTP ${response.status}: ${text.slice(0, 300)}`);
      return;
    }
    ledger.acceptedLatenciesMs.push(performance.now() - started);
    pending = acknowledgedOf(path, text, ids, ledger);
  }
}

/** Records the ids the answer acknowledges; returns those still to send (none for a single record's 2xx). */
function acknowledgedOf(path: string, text: string, ids: string[], ledger: IngestLedger): string[] {
  if (path.endsWith('/executions')) {
    for (const id of ids) ledger.acknowledged.add(id);
    return [];
  }
  const results = (JSON.parse(text) as { results: { status: string }[] }).results;
  const unacknowledged: string[] = [];
  ids.forEach((id, i) => {
    const status = results[i]?.status;
    if (status === 'created' || status === 'duplicate') ledger.acknowledged.add(id);
    else if (status === 'rejected') ledger.rejections.push(`batch item ${i}: ${JSON.stringify(results[i])}`);
    else unacknowledged.push(id);
  });
  // The whole body is sent again (it is what a client has); the acknowledged ids come back as duplicates.
  return unacknowledged;
}
