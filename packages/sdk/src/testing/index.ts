/** Test doubles for the SDK's own tests and the server's: not part of the published package. */

export {
  FAKE_API_KEY,
  type Failure,
  type FakePromptlog,
  type ReceivedRequest,
  startFakePromptlog,
} from './fake-promptlog.js';
export { FAKE_EMBEDDING_DIMENSIONS, FAKE_USAGE, type FakeProviders, startFakeProviders } from './fake-providers.js';
