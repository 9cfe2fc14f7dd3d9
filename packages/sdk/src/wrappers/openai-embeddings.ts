import type { ExecutionRequest } from '../types.js';
import type { CallResult } from './call-recorder.js';
import { asWire, inclusiveUsage, requestedModel, withoutKeys } from './mapping.js';

/** Embeddings as the OpenAI API sends them, as far as the wrapper reads them. */
export interface EmbeddingsWire {
  model?: string;
  data?: { embedding?: ArrayLike<number> | string }[];
  usage?: { prompt_tokens?: number } | null;
}

export function describeEmbeddingsRequest(params: Record<string, unknown>): {
  model: string;
  request: ExecutionRequest;
} {
  return {
    model: requestedModel(params),
    request: {
      messages: Array.isArray(params.input) ? [...params.input] : [params.input],
      parameters: withoutKeys(params, ['input']),
    },
  };
}

/** The vectors themselves are not recorded: only how many there are and their size. */
export function embeddingsResult(value: unknown): CallResult {
  const response = asWire<EmbeddingsWire>(value);
  const data = response?.data ?? [];
  const first = data[0]?.embedding;
  return {
    status: 'success',
    model: response?.model,
    output: { embeddings: data.length, ...(typeof first === 'object' ? { dimensions: first.length } : {}) },
    usage: inclusiveUsage({ input: response?.usage?.prompt_tokens, output: 0 }),
  };
}
