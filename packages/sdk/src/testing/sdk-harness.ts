import { Promptlog, type PromptlogOptions } from '../client.js';
import type { PromptlogError } from '../errors.js';
import { type FakePromptlog, startFakePromptlog } from './fake-promptlog.js';
import { type FakeProviders, startFakeProviders } from './fake-providers.js';

export interface SdkHarness {
  providers: FakeProviders;
  server: FakePromptlog;
  promptlog: Promptlog;
  errors: PromptlogError[];
  /** A client for the fake server that sends only when flushed, collecting its errors in `errors`. */
  newPromptlog(options?: PromptlogOptions): Promptlog;
  /** Flushes the default client and returns the stored executions of one prompt, oldest first. */
  recordsOf(promptId: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startSdkHarness(): Promise<SdkHarness> {
  const providers = await startFakeProviders();
  const server = await startFakePromptlog();
  const errors: PromptlogError[] = [];
  const clients: Promptlog[] = [];
  const newPromptlog = (options: PromptlogOptions = {}) => {
    const client = new Promptlog({
      baseUrl: server.url,
      apiKey: server.apiKey,
      flushAt: 10_000,
      flushIntervalMs: 60_000,
      onError: (error) => errors.push(error),
      ...options,
    });
    clients.push(client);
    return client;
  };
  const promptlog = newPromptlog();
  return {
    providers,
    server,
    promptlog,
    errors,
    newPromptlog,
    async recordsOf(promptId) {
      await promptlog.flush();
      return [...server.stored.values()].filter((record) => record.promptId === promptId);
    },
    async close() {
      providers.release();
      server.release();
      await Promise.all(clients.map((client) => client.shutdown()));
      await providers.close();
      await server.close();
    },
  };
}

/** Waits until `condition` holds (checked every few milliseconds; fails after 10 s instead of hanging). */
export async function until(condition: () => boolean, description = 'the condition'): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
