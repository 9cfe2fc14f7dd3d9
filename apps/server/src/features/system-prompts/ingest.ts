import type { ExecutionInput, RedactionSettings } from '@promptlog/contracts';
import { compileRedactor } from '../redaction/redactor';
import { systemPromptHash, systemPromptOf } from './extract';
import type { SystemPromptTexts } from './stored-texts';

/** What the ingest statement gets of an execution's system prompt: its hash always, its text when to be stored. */
export interface IngestedSystemPrompt {
  hash: string;
  text: string | null;
}

/**
 * The system prompt of an execution as stored: redacted with the project's rules whether or not the payload is kept
 * (so one text hashes alike under every policy), its text sent only when the payload policy keeps this execution's
 * payload and the request or process has not sent it already.
 */
export function ingestedSystemPrompt(
  sent: Pick<ExecutionInput, 'request'>,
  stored: { record: Pick<ExecutionInput, 'request'>; keepPayload: boolean },
  redaction: RedactionSettings,
  texts: SystemPromptTexts,
): IngestedSystemPrompt | null {
  const text = stored.keepPayload ? systemPromptOf(stored.record.request) : redactedSystemPrompt(sent, redaction);
  if (text === null) return null;
  const hash = systemPromptHash(text);
  return { hash, text: stored.keepPayload ? texts.toSend(hash, text) : null };
}

/** The payload was not kept, so not redacted either: the system prompt alone is, string by string as the payload would be. */
function redactedSystemPrompt(sent: Pick<ExecutionInput, 'request'>, redaction: RedactionSettings): string | null {
  const redactor = compileRedactor(redaction);
  if (!redactor.active) return systemPromptOf(sent.request);
  const counts = {};
  return systemPromptOf(sent.request, (text) => redactor.redactText(text, counts));
}
