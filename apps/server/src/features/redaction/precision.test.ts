import { beforeAll, describe, expect, it } from 'vitest';
import { measureRedactionPrecision, type RedactionPrecision } from './corpus/measure';

// A small corpus keeps the suite fast; PROMPTLOG_CORPUS_MB=50 scans as much as the reliability suite does.
const megabytes = Number(process.env.PROMPTLOG_CORPUS_MB ?? 5);
const seed = Number(process.env.PROMPTLOG_CORPUS_SEED ?? 20240517);
const reproduce = `PROMPTLOG_CORPUS_SEED=${seed} PROMPTLOG_CORPUS_MB=${megabytes}`;

describe('built-in redaction precision', () => {
  let result: RedactionPrecision;

  beforeAll(
    async () => {
      result = await measureRedactionPrecision({ seed, megabytes });
      console.log(
        `redaction precision (seed ${seed}): ${result.megabytes.toFixed(1)} MB scanned, ${result.nonSecretMatches} matches, ` +
          `${result.secretsCaught}/${result.secretsTried} secrets caught, ${result.mbPerSecond.toFixed(1)} MB/s`,
      );
    },
    60_000 + megabytes * 2_000,
  );

  it('changes nothing in realistic text that holds no secret', () => {
    expect(
      result.nonSecretMatches,
      `redacted text with no secret in it (reproduce with ${reproduce}):\n${result.samples.join('\n')}`,
    ).toBe(0);
  });

  it('replaces every secret of every format, counted under its rule', () => {
    expect(
      result.secretsCaught,
      `missed ${result.secretsTried - result.secretsCaught} secrets (reproduce with ${reproduce}):\n${result.missed.join('\n')}`,
    ).toBe(result.secretsTried);
  });
});
