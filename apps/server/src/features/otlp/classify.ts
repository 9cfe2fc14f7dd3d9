import { TRACE_SPAN_KINDS, type TraceSpanKind } from '@promptlog/contracts';
import { type SpanView, text } from './span-view';

/** What one span becomes: an execution (an LLM or embedding call), a trace step, or nothing we keep. */
export type SpanRole =
  | { role: 'execution'; stepType: 'llm' | 'embedding' }
  | { role: 'step'; kind: StepKind }
  | { role: 'ignored' };

export type StepKind = TraceSpanKind;
const STEP_KINDS = TRACE_SPAN_KINDS;

const GEN_AI_CALLS: Record<string, 'llm' | 'embedding'> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
};

/** The Vercel AI SDK's per-call spans; their outer spans (ai.generateText…) repeat the totals and stay steps. */
const AI_SDK_CALLS: Record<string, 'llm' | 'embedding'> = {
  'ai.generateText.doGenerate': 'llm',
  'ai.streamText.doStream': 'llm',
  'ai.generateObject.doGenerate': 'llm',
  'ai.streamObject.doStream': 'llm',
  'ai.embed.doEmbed': 'embedding',
  'ai.embedMany.doEmbed': 'embedding',
};

const OPENLLMETRY_CALLS: Record<string, 'llm' | 'embedding'> = {
  chat: 'llm',
  completion: 'llm',
  embedding: 'embedding',
};

const GEN_AI_STEPS: Record<string, StepKind> = {
  invoke_agent: 'agent',
  create_agent: 'agent',
  execute_tool: 'tool',
};

const AI_ATTRIBUTE_PREFIXES = ['gen_ai.', 'llm.', 'traceloop.', 'ai.', 'promptlog.', 'openinference.'];

export function classifySpan(span: SpanView): SpanRole {
  const aiSdkOperation =
    text(span.get('ai.operationId')) ?? (span.span.name.startsWith('ai.') ? span.span.name : undefined);
  if (aiSdkOperation) {
    const call = AI_SDK_CALLS[aiSdkOperation];
    if (call) return { role: 'execution', stepType: call };
    return { role: 'step', kind: aiSdkOperation === 'ai.toolCall' ? 'tool' : 'chain' };
  }

  const openInferenceKind = text(span.get('openinference.span.kind'))?.toUpperCase();
  if (openInferenceKind === 'LLM') return { role: 'execution', stepType: 'llm' };
  if (openInferenceKind === 'EMBEDDING') return { role: 'execution', stepType: 'embedding' };

  const operation = text(span.get('gen_ai.operation.name'));
  const genAiCall = operation ? GEN_AI_CALLS[operation] : undefined;
  if (genAiCall) return { role: 'execution', stepType: genAiCall };

  const requestType = text(span.get('llm.request.type'));
  const openLlmetryCall = requestType ? OPENLLMETRY_CALLS[requestType] : undefined;
  if (openLlmetryCall) return { role: 'execution', stepType: openLlmetryCall };

  const kind = stepKind(openInferenceKind, text(span.get('traceloop.span.kind')), operation);
  if (kind) return { role: 'step', kind };
  return AI_ATTRIBUTE_PREFIXES.some((prefix) => span.hasPrefix(prefix))
    ? { role: 'step', kind: 'other' }
    : { role: 'ignored' };
}

function stepKind(
  openInferenceKind: string | undefined,
  traceloopKind: string | undefined,
  operation: string | undefined,
): StepKind | undefined {
  const named = openInferenceKind?.toLowerCase() ?? traceloopKind?.toLowerCase();
  if (named) return STEP_KINDS.find((k) => k === named) ?? 'other';
  return operation ? (GEN_AI_STEPS[operation] ?? 'other') : undefined;
}
