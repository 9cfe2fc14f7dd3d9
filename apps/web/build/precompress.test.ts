import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressFile } from './precompress';

describe('precompressFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'promptlog-precompress-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes .br and .gz copies that decompress to the exact file', async () => {
    const file = path.join(dir, 'app.js');
    const source = Array.from({ length: 400 }, (_, i) => `export const value${i} = "ümlaut ${i}";`).join('\n');
    await writeFile(file, source);
    const sizes = await precompressFile(file);
    expect(sizes.br).toBeLessThan(sizes.bytes);
    expect(sizes.gz).toBeLessThan(sizes.bytes);
    expect(brotliDecompressSync(await readFile(`${file}.br`)).toString()).toBe(source);
    expect(gunzipSync(await readFile(`${file}.gz`)).toString()).toBe(source);
  });

  it('leaves a file without copies when it is tiny or compression would not make it smaller', async () => {
    const tiny = path.join(dir, 'tiny.js');
    await writeFile(tiny, 'console.log(1)');
    expect(await precompressFile(tiny)).toEqual({ bytes: 14 });
    const noise = path.join(dir, 'noise.txt');
    await writeFile(noise, randomBytes(64 * 1024));
    expect(await precompressFile(noise)).toEqual({ bytes: 64 * 1024 });
    await expect(readFile(`${noise}.br`)).rejects.toThrow(/ENOENT/);
  });
});
