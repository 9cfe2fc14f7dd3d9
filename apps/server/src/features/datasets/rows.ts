import type { DatasetFormat, ExecutionRecord, ExecutionReview } from '@promptlog/contracts';

/** One execution as a dataset row: what ran (inputs, prompt, messages, model, version), what came back, and its review. */
export interface DatasetRow {
  id: string;
  promptId: string;
  promptVersion: number | null;
  model: string;
  status: string;
  startedAt: string;
  inputs: Record<string, unknown> | null;
  systemPrompt: string | null;
  messages: unknown[] | null;
  output: unknown;
  error: string | null;
  rating: 'up' | 'down' | null;
  note: string;
  labels: string[];
  signals: string[];
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export function toDatasetRow(record: ExecutionRecord, review: ExecutionReview | undefined): DatasetRow {
  const { signals } = record;
  return {
    id: record.id,
    promptId: record.promptId,
    promptVersion: record.promptVersion ?? null,
    model: record.model,
    status: record.status,
    startedAt: record.startedAt,
    inputs: record.inputs ?? null,
    systemPrompt: record.request?.systemPrompt ?? null,
    messages: record.request?.messages ?? null,
    output: record.output ?? null,
    error: record.error?.message ?? null,
    rating: review?.rating ?? null,
    note: review?.note ?? '',
    labels: review?.labels.map((label) => label.name) ?? [],
    signals: [
      ...(signals.refusal ? ['refusal'] : []),
      ...(signals.truncated ? ['truncated'] : []),
      ...(signals.empty ? ['empty'] : []),
      ...(signals.jsonValid === false ? ['json_invalid'] : []),
      ...(signals.injectionSuspected ? ['injection'] : []),
    ],
    reviewedBy: review?.reviewedBy ?? null,
    reviewedAt: review?.reviewedAt ?? null,
  };
}

export const DATASET_COLUMNS = [
  'id',
  'promptId',
  'promptVersion',
  'model',
  'status',
  'startedAt',
  'inputs',
  'systemPrompt',
  'messages',
  'output',
  'error',
  'rating',
  'note',
  'labels',
  'signals',
  'reviewedBy',
  'reviewedAt',
] as const satisfies readonly (keyof DatasetRow)[];

/** A spreadsheet reads a cell starting with these as a formula; such a cell is quoted with a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): text as it is, lists joined with "; ", anything else as JSON; quoted when it needs to be. */
export function csvField(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : Array.isArray(value) && value.every((item) => typeof item === 'string')
          ? value.join('; ')
          : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The lines of a dataset file in a format, each ending in its newline: JSON Lines (one object per line, the values
 * as they are), or CSV with a header (a byte order mark first, so spreadsheets read it as UTF-8, and CRLF endings).
 */
export function datasetLines(format: DatasetFormat): { head: string; line: (row: DatasetRow) => string } {
  if (format === 'jsonl') return { head: '', line: (row) => `${JSON.stringify(row)}\n` };
  return {
    head: `\ufeff${DATASET_COLUMNS.join(',')}\r\n`,
    line: (row) => `${DATASET_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`,
  };
}
