import { createHash } from 'node:crypto';
import type { ExecutionInput, RedactionSettings } from '@promptlog/contracts';
import { compileRedactor } from '../redaction/redactor';

/**
 * A JSON value as text with every object's keys sorted (by UTF-16 code unit, recursively), so the same inputs sent
 * with their keys in another order read alike; arrays keep their order, which means something. Undefined members are
 * left out, as JSON.stringify leaves them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += value[index] === undefined ? 'null' : canonicalJson(value[index]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${text}}`;
}

/** The first 128 bits of the SHA-256 of the inputs' canonical JSON, hex; null without inputs (absent or `{}`). */
export function inputsHash(inputs: Record<string, unknown> | null | undefined): string | null {
  if (!inputs || Object.keys(inputs).length === 0) return null;
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 32);
}

/**
 * The hash of an execution's inputs as stored: redacted with the project's rules whether or not the payload is kept,
 * so one input hashes alike under every policy, and no hash is a fingerprint of a secret the rules take out.
 */
export function ingestedInputsHash(
  sent: Pick<ExecutionInput, 'inputs'>,
  stored: { record: Pick<ExecutionInput, 'inputs'>; keepPayload: boolean },
  redaction: RedactionSettings,
): string | null {
  if (stored.keepPayload || sent.inputs === undefined) return inputsHash(stored.record.inputs);
  const redactor = compileRedactor(redaction);
  return inputsHash(redactor.active ? redactor.redact(sent.inputs, {}) : sent.inputs);
}
