import { z } from 'zod';
import { IsoDateTime } from './common';
import { ExecutionStatus, OutputSignal } from './execution';
import { PAYLOAD_STATES } from './executions-query';

/** At most this many pairs of calls with the same inputs, the newest first. */
export const SAMPLE_PAIRS_MAX = 20;
/** Each version's most recent calls with inputs read to find pairs: a bounded read through the version index. */
export const SAMPLES_SCANNED_PER_VERSION = 2_000;
/** Outputs and inputs are cut to this many characters: the Logs drawer shows the whole. */
export const SAMPLE_TEXT_MAX = 2_000;

export const VersionSamplesQuery = z.object({
  projectId: z.uuid().optional(),
  a: z.coerce.number().int().positive().describe('The version compared against (the baseline)'),
  b: z.coerce.number().int().positive().describe('The version judged'),
  from: IsoDateTime.optional().describe('Only calls started at or after this time'),
  to: IsoDateTime.optional().describe('Only calls started before this time'),
});
export type VersionSamplesQuery = z.output<typeof VersionSamplesQuery>;

export const SampleText = z.object({
  text: z.string(),
  truncated: z.boolean().describe(`Cut to its first ${SAMPLE_TEXT_MAX} characters`),
});
export type SampleText = z.infer<typeof SampleText>;

/** One call of a pair: the list item's measures and signals, and what it answered. */
export const ComparedSample = z.object({
  id: z.uuid(),
  startedAt: z.string(),
  status: ExecutionStatus,
  model: z.string(),
  latencyMs: z.number().int().nullable(),
  costUsd: z.string().nullable(),
  signals: z.array(OutputSignal),
  errorType: z.string().nullable(),
  payload: z
    .enum(PAYLOAD_STATES)
    .describe("omitted_by_policy: the project's payload policy kept only metadata, so there is no output to show"),
  output: SampleText.nullable().describe('The answer as text (JSON answers as JSON text); null without one'),
  errorMessage: z.string().nullable().describe('The error message of a failed call, when its payload was kept'),
});
export type ComparedSample = z.infer<typeof ComparedSample>;

export const SamplePair = z.object({
  inputsHash: z.string().describe('The hash both calls’ inputs share (canonical JSON, keys sorted, after redaction)'),
  inputs: SampleText.nullable().describe(
    'The shared inputs as JSON text, as A’s call stored them (B’s when A’s payload was not kept); null when neither was',
  ),
  a: ComparedSample,
  b: ComparedSample,
});
export type SamplePair = z.infer<typeof SamplePair>;

export const VersionSamples = z.object({
  pairs: z
    .array(SamplePair)
    .describe(`Up to ${SAMPLE_PAIRS_MAX} pairs, one per distinct inputs with each side's latest call, newest first`),
  scanned: z
    .object({ a: z.number().int(), b: z.number().int() })
    .describe(
      `The calls with inputs read of each version: its most recent, at most ${SAMPLES_SCANNED_PER_VERSION} (pending calls aside)`,
    ),
  scanLimit: z.number().int().describe('The most calls read of each version'),
});
export type VersionSamples = z.infer<typeof VersionSamples>;
