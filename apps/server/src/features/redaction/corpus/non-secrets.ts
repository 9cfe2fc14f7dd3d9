import { anyDocument } from './documents';
import { SeededRandom } from './random';

export interface CorpusOptions {
  readonly seed: number;
  /** How much text to generate, in UTF-8 bytes; the last document may go a little past it. */
  readonly bytes: number;
}

/**
 * Realistic text with no secret in it, one document at a time: prose in many languages and scripts, chat
 * transcripts, JSON, logs, CSV, code, URLs, hex and base64 blobs, full of ids, hashes, order and tracking
 * numbers, phone numbers, timestamps, IPs, versions, amounts and IBANs. The same seed gives the same documents.
 */
export function* generateNonSecretCorpus({ seed, bytes }: CorpusOptions): Generator<string> {
  const r = new SeededRandom(seed);
  for (let generated = 0; generated < bytes; ) {
    const document = anyDocument(r);
    generated += Buffer.byteLength(document);
    yield document;
  }
}
