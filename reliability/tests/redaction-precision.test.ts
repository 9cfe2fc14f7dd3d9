import { expect, it } from 'vitest';
import { measureRedactionPrecision } from '../../apps/server/src/features/redaction/corpus/measure';
import { reportFigure } from '../src/figures';

const CHECK = 'Redaction precision (all built-ins)';
const MEGABYTES = 50;
const SEED = Number(process.env.PROMPTLOG_CORPUS_SEED ?? 20261202);

it('changes nothing in 50 MB of realistic text without secrets, and catches every real-format secret', async () => {
  const result = await measureRedactionPrecision({ seed: SEED, megabytes: MEGABYTES });
  const reproduce = `PROMPTLOG_CORPUS_SEED=${SEED}`;
  reportFigure(
    CHECK,
    `non-secret text scanned (MB, seed ${SEED}) / matches`,
    `${result.megabytes.toFixed(1)} / ${result.nonSecretMatches}`,
  );
  reportFigure(CHECK, 'real-format secrets caught / tried', `${result.secretsCaught} / ${result.secretsTried}`);
  reportFigure(CHECK, 'speed (MB per CPU second)', result.mbPerSecond.toFixed(1));

  expect(result.nonSecretMatches, `redacted text with no secret (${reproduce}):\n${result.samples.join('\n')}`).toBe(0);
  expect(result.secretsCaught, `missed (${reproduce}):\n${result.missed.join('\n')}`).toBe(result.secretsTried);
});
