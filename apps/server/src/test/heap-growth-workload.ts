// Run by lib/heap-growth.test.ts in a process of its own (V8 flags are process-wide): allocates like an ingest server
// under load, with live data and requests that outlive young-generation collections, and prints the largest old
// generation it saw, in bytes. Its argument is the growth percent to set (0: V8's own).
import v8 from 'node:v8';
import { limitHeapGrowth } from '../lib/heap-growth';

limitHeapGrowth(Number(process.argv[2] ?? 0));

const live = Array.from({ length: 100_000 }, (_, i) => ({ text: `${'x'.repeat(100)}${i}`, numbers: [i, i + 1] }));
let inFlight: { text: string; numbers: number[] }[] = [];
let largestOldSpace = 0;
// A fixed amount of work, not a fixed time: on a busy machine a timed run would allocate less and grow less.
let roundsLeft = 500;

function allocate(): void {
  for (let i = 0; i < 2_000; i++) inFlight.push({ text: `${'y'.repeat(200)}${i}`, numbers: [i, i, i] });
  if (inFlight.length > 60_000) inFlight = inFlight.slice(30_000);
  const oldSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
  largestOldSpace = Math.max(largestOldSpace, oldSpace?.space_size ?? 0);
  roundsLeft -= 1;
  if (roundsLeft > 0) setImmediate(allocate);
  else console.log(JSON.stringify({ largestOldSpace, live: live.length }));
}
allocate();
