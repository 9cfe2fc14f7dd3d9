// Runs the fake provider and the fake Promptlog in a process of their own, so the benchmark's host process
// carries only the application's side of each call: the provider client, the wrapper and the SDK's delivery.
import { startFakePromptlog, startFakeProviders } from '../src/testing/index.js';

const providers = await startFakeProviders();
const promptlog = await startFakePromptlog();
process.stdout.write(
  `${JSON.stringify({ openaiBaseURL: providers.openaiBaseURL, promptlogUrl: promptlog.url, apiKey: promptlog.apiKey })}\n`,
);
process.stdin.on('data', () => {
  process.stdout.write(`${JSON.stringify({ stored: promptlog.stored.size, rejected: promptlog.rejected.length })}\n`);
});
process.stdin.on('end', () => process.exit(0));
