// `pnpm bench:sdk`: what wrapOpenAI adds to the application's own call. The same chat completion against a local
// fake of the OpenAI API, through the real `openai` client unwrapped and wrapped (logging to a local fake Promptlog),
// in alternating rounds; reports the medians of each round's p50 and p99 and their difference. Target: ≤ 1 ms at p99.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { Promptlog, wrapOpenAI } from '../src/index.js';

const calls = Number(process.env.BENCH_CALLS ?? 2_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_P99_MS = 1;

const fakes = spawn(process.execPath, ['--import', 'tsx', new URL('./fakes.ts', import.meta.url).pathname], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: fakes.stdout })[Symbol.asyncIterator]();
const nextLine = async () => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;
const { openaiBaseURL, promptlogUrl, apiKey } = (await nextLine()) as Record<string, string>;

const promptlog = new Promptlog({ baseUrl: promptlogUrl, apiKey, onError: (error) => console.error(error.message) });
const plain = new OpenAI({ baseURL: openaiBaseURL, apiKey: 'sk-fake', maxRetries: 0 });
const wrapped = wrapOpenAI(new OpenAI({ baseURL: openaiBaseURL, apiKey: 'sk-fake', maxRetries: 0 }), {
  promptlog,
  promptId: 'bench-overhead',
});
const request = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'You are a helpful support agent.' },
    { role: 'user' as const, content: 'Where is my order #1234? It has not moved for five days.' },
  ],
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function round(client: OpenAI): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await client.chat.completions.create(request);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

console.log(`SDK wrapper overhead: ${rounds} rounds × ${calls} sequential calls each way, Node ${process.version}`);
await round(plain);
await round(wrapped);
const results = { plain: [] as { p50: number; p99: number }[], wrapped: [] as { p50: number; p99: number }[] };
for (let r = 1; r <= rounds; r++) {
  const a = await round(plain);
  const b = await round(wrapped);
  results.plain.push(a);
  results.wrapped.push(b);
  console.log(
    `  round ${r}: unwrapped p50 ${a.p50.toFixed(3)} ms p99 ${a.p99.toFixed(3)} ms | wrapped p50 ${b.p50.toFixed(3)} ms p99 ${b.p99.toFixed(3)} ms`,
  );
}
await promptlog.shutdown();
fakes.stdin.write('count\n');
const { stored, rejected } = await nextLine();
fakes.stdin.end();
await once(fakes, 'exit');

const p50 = { plain: median(results.plain.map((r) => r.p50)), wrapped: median(results.wrapped.map((r) => r.p50)) };
const p99 = { plain: median(results.plain.map((r) => r.p99)), wrapped: median(results.wrapped.map((r) => r.p99)) };
const added = p99.wrapped - p99.plain;
console.log(`\nmedian of rounds   unwrapped   wrapped   added`);
console.log(
  `p50 (ms)           ${p50.plain.toFixed(3).padStart(9)} ${p50.wrapped.toFixed(3).padStart(9)} ${(p50.wrapped - p50.plain).toFixed(3).padStart(7)}`,
);
console.log(
  `p99 (ms)           ${p99.plain.toFixed(3).padStart(9)} ${p99.wrapped.toFixed(3).padStart(9)} ${added.toFixed(3).padStart(7)}   target ≤ ${TARGET_P99_MS} ms: ${added <= TARGET_P99_MS ? 'met' : 'MISSED'}`,
);
const expected = (rounds + 1) * calls;
console.log(`Logged: ${stored} of ${expected} wrapped calls stored by the fake Promptlog, ${rejected} rejected.`);
process.exit(stored === expected && rejected === 0 ? 0 : 1);
