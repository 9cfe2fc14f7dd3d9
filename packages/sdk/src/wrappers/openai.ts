import { recordCalls, type WrapOptions } from './call-recorder.js';
import { followResult } from './follow.js';
import { interceptMethods } from './intercept.js';
import { ChatStream, chatCompletionResult, describeChatRequest } from './openai-chat.js';
import { describeEmbeddingsRequest, embeddingsResult } from './openai-embeddings.js';
import { describeResponsesRequest, ResponsesStream, responseResult } from './openai-responses.js';

/**
 * Logs every `chat.completions.create`, `responses.create` and `embeddings.create` call of an OpenAI
 * client (streamed or not) to Promptlog. Returns the same client type; every other method, and
 * every response, stream and error, is the client's own.
 */
export function wrapOpenAI<Client extends object>(client: Client, options: WrapOptions): Client {
  return interceptMethods(client, {
    chat: {
      completions: {
        create: recordCalls(options, {
          provider: 'openai',
          defaultPromptId: 'openai.chat.completions',
          describeRequest: describeChatRequest,
          follow: followResult(chatCompletionResult, () => new ChatStream()),
        }),
      },
    },
    responses: {
      create: recordCalls(options, {
        provider: 'openai',
        defaultPromptId: 'openai.responses',
        describeRequest: describeResponsesRequest,
        follow: followResult(responseResult, () => new ResponsesStream()),
      }),
    },
    embeddings: {
      create: recordCalls(options, {
        provider: 'openai',
        defaultPromptId: 'openai.embeddings',
        describeRequest: describeEmbeddingsRequest,
        follow: followResult(embeddingsResult),
      }),
    },
  });
}
