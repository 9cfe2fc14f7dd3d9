import {
  type ComparedSample,
  SAMPLE_PAIRS_MAX,
  SAMPLES_SCANNED_PER_VERSION,
  type VersionSamples,
  type VersionSamplesQuery,
} from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { AppError } from '../../errors';
import { signalNames } from '../signals/detect';
import { promptSeen } from '../system-prompts/queries';
import { type SampleRow, type SampleSideRow, selectSamples } from './queries';

function toSample(row: SampleSideRow): ComparedSample {
  return {
    id: row.id,
    startedAt: row.startedAt,
    status: row.status,
    model: row.model,
    latencyMs: row.latencyMs,
    costUsd: row.costUsd,
    signals: signalNames(row.signals),
    errorType: row.errorType,
    payload: row.stored ? 'stored' : 'omitted_by_policy',
    output: row.output === null ? null : { text: row.output, truncated: row.outputTruncated },
    errorMessage: row.errorMessage,
  };
}

export function toVersionSamples(rows: readonly SampleRow[]): VersionSamples {
  const pairs: VersionSamples['pairs'] = [];
  for (const row of rows) {
    if (row.inputsHash === null || row.a === null || row.b === null) continue;
    pairs.push({
      inputsHash: row.inputsHash,
      inputs: row.inputs === null ? null : { text: row.inputs, truncated: row.inputsTruncated },
      a: toSample(row.a),
      b: toSample(row.b),
    });
  }
  const counts = rows[0] ?? { scannedA: 0, scannedB: 0 };
  return { pairs, scanned: { a: counts.scannedA, b: counts.scannedB }, scanLimit: SAMPLES_SCANNED_PER_VERSION };
}

/**
 * Calls of versions a and b of a prompt that had the same inputs, side by side: the newest pairs among each version's
 * most recent calls. A prompt never seen is not found.
 */
export async function listComparedSamples(
  handle: QueryRunner,
  projectId: string,
  promptId: string,
  query: VersionSamplesQuery,
): Promise<VersionSamples> {
  if (query.a === query.b) {
    throw new AppError('validation_failed', 'Nothing to compare', [{ path: 'b', message: 'must differ from a' }]);
  }
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw new AppError('validation_failed', 'Invalid window', [{ path: 'from', message: 'must be before to' }]);
  }
  const rows = await selectSamples(handle, {
    projectId,
    promptId,
    a: query.a,
    b: query.b,
    from: query.from,
    to: query.to,
    scanLimit: SAMPLES_SCANNED_PER_VERSION,
    pairs: SAMPLE_PAIRS_MAX,
  });
  const samples = toVersionSamples(rows);
  if (samples.scanned.a + samples.scanned.b === 0 && !(await promptSeen(handle, projectId, promptId))) {
    throw new AppError('not_found', `No prompt ${promptId} in this project`);
  }
  return samples;
}
