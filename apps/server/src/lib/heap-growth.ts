import v8 from 'node:v8';

/**
 * Bounds how far V8 lets the old generation grow past the data still alive before it collects again. Under ingest load
 * most of what reaches the old generation is garbage: requests waiting for their statement outlive two young-generation
 * collections, and bodies over 128 kB are allocated there directly. V8's own factor (up to 4×) then lets the process
 * swell to several times its live data. Unlike a heap size limit, this never makes a large request run out of memory:
 * the heap still grows as far as live data needs. V8 reads the flag at each collection, so setting it at start works.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
