export { Promptlog, type PromptlogOptions } from './client.js';
export { type ErrorHandler, PromptlogError, type PromptlogErrorKind } from './errors.js';
export { uuidv7 } from './ids.js';
export type {
  ErrorType,
  ExecutionContext,
  ExecutionError,
  ExecutionInput,
  ExecutionLocation,
  ExecutionPatch,
  ExecutionRequest,
  ExecutionStatus,
  ExecutionUser,
  JsonObject,
  Source,
  SourceType,
  ToolCall,
  Trace,
  TriggeredBy,
  Usage,
} from './types.js';
export { wrapAnthropic } from './wrappers/anthropic.js';
export type { WrapOptions } from './wrappers/call-recorder.js';
export { wrapOpenAI } from './wrappers/openai.js';
