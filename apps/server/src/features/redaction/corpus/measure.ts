import { BUILTIN_REDACTION_RULES } from '@promptlog/contracts';
import { compileRedactor, type RedactionCounts, type Redactor } from '../redactor';
import { generateNonSecretCorpus } from './non-secrets';
import { generateSecretSamples } from './secrets';

export interface PrecisionOptions {
  readonly seed: number;
  /** How much non-secret text to scan, in MB of 1,000,000 UTF-8 bytes. */
  readonly megabytes: number;
  /** How many secrets to try; every format takes its turn. */
  readonly secrets?: number;
}

export interface RedactionPrecision {
  readonly megabytes: number;
  /** Replacements made in text that holds no secret: 0 when the detectors are precise. */
  readonly nonSecretMatches: number;
  /** The first few of those, each with the document it came from and the text around it. */
  readonly samples: readonly string[];
  readonly secretsTried: number;
  readonly secretsCaught: number;
  /** The first few secrets left in the text or counted under another rule. */
  readonly missed: readonly string[];
  /** MB of non-secret text redactText gets through per second of CPU time, which other load on the machine skews
   * far less than wall time would; generating the text is not counted. */
  readonly mbPerSecond: number;
}

const ALL_BUILTINS = { builtins: [...BUILTIN_REDACTION_RULES], custom: [] };
const MAX_EXAMPLES = 20;
const JSON_EVERY = 16;
const BATCH = 256;
const CONTEXT = 60;

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The text around the first place where `after` differs from `before`. */
function firstChange(before: string, after: string): string {
  let at = 0;
  while (at < before.length && before.charCodeAt(at) === after.charCodeAt(at)) at++;
  return JSON.stringify(before.slice(Math.max(0, at - CONTEXT), at + CONTEXT));
}

function total(counts: RedactionCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

interface NonSecretScan {
  readonly bytes: number;
  readonly cpuMicroseconds: number;
  readonly matches: number;
  readonly samples: readonly string[];
}

/** Redacts the non-secret corpus in batches, timing only redactText; every 16th document also goes in as JSON. */
async function scanNonSecrets(redactor: Redactor, seed: number, megabytes: number): Promise<NonSecretScan> {
  let bytes = 0;
  let cpuMicroseconds = 0;
  let matches = 0;
  const samples: string[] = [];
  const report = (found: number, sample: () => string) => {
    matches += Math.max(1, found);
    if (samples.length < MAX_EXAMPLES) samples.push(sample());
  };
  let index = 0;
  for (const batch of batches(generateNonSecretCorpus({ seed, bytes: megabytes * 1e6 }), BATCH)) {
    const cpuBefore = process.cpuUsage();
    const redacted = batch.map((document) => {
      const counts: RedactionCounts = {};
      return { document, output: redactor.redactText(document, counts), counts };
    });
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicroseconds += cpu.user + cpu.system;
    for (const { document, output, counts } of redacted) {
      const at = index++;
      bytes += Buffer.byteLength(document);
      if (output !== document || total(counts) > 0) {
        report(total(counts), () => `document ${at} ${JSON.stringify(counts)}: ${firstChange(document, output)}`);
      }
      if (at % JSON_EVERY !== 0) continue;
      const payload = { input: document, lines: document.split('\n').slice(0, 20), metadata: { index: at, seed } };
      const payloadCounts: RedactionCounts = {};
      if (redactor.redact(payload, payloadCounts) !== payload || total(payloadCounts) > 0) {
        report(total(payloadCounts), () => `document ${at} as JSON ${JSON.stringify(payloadCounts)}`);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { bytes, cpuMicroseconds, matches, samples };
}

interface SecretTrial {
  readonly tried: number;
  readonly caught: number;
  readonly missed: readonly string[];
}

/** Counts a secret as caught when it is gone from the text and counted once, under its own rule. */
function trySecrets(redactor: Redactor, seed: number, count: number): SecretTrial {
  let tried = 0;
  let caught = 0;
  const missed: string[] = [];
  for (const sample of generateSecretSamples({ seed, count })) {
    tried++;
    const counts: RedactionCounts = {};
    const output = redactor.redactText(sample.text, counts);
    if (!output.includes(sample.secret) && counts[sample.rule] === 1 && total(counts) === 1) {
      caught++;
    } else if (missed.length < MAX_EXAMPLES) {
      missed.push(
        `${sample.kind} (expected ${sample.rule}, counted ${JSON.stringify(counts)}): ` +
          `${JSON.stringify(sample.text)} became ${JSON.stringify(output)}`,
      );
    }
  }
  return { tried, caught, missed };
}

/**
 * How precise the built-in detectors are, all of them on: over `megabytes` of realistic text without secrets, then
 * over generated secrets of every format. The same seed gives the same text, so a reported match reproduces.
 */
export async function measureRedactionPrecision({
  seed,
  megabytes,
  secrets = 5000,
}: PrecisionOptions): Promise<RedactionPrecision> {
  const redactor = compileRedactor(ALL_BUILTINS);
  const scan = await scanNonSecrets(redactor, seed, megabytes);
  const trial = trySecrets(redactor, seed, secrets);
  return {
    megabytes: scan.bytes / 1e6,
    nonSecretMatches: scan.matches,
    samples: scan.samples,
    secretsTried: trial.tried,
    secretsCaught: trial.caught,
    missed: trial.missed,
    // Bytes per microsecond of CPU time is MB per second.
    mbPerSecond: scan.cpuMicroseconds > 0 ? scan.bytes / scan.cpuMicroseconds : 0,
  };
}
