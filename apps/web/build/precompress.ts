import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt)$/;
/** Below this a compressed copy saves less than its own response headers cost. */
const MIN_BYTES = 1024;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** A file's size and, for each copy written, the copy's; in bytes. */
export interface PrecompressedSizes {
  bytes: number;
  br?: number;
  gz?: number;
}

/** Writes the .br and .gz copies of one file, each only when it is smaller than the file; returns their sizes. */
export async function precompressFile(file: string): Promise<PrecompressedSizes> {
  const content = await readFile(file);
  const sizes: PrecompressedSizes = { bytes: content.length };
  if (content.length < MIN_BYTES) return sizes;
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzipAsync(content, { level: 9 }),
  ]);
  if (br.length < content.length) {
    await writeFile(`${file}.br`, br);
    sizes.br = br.length;
  }
  if (gz.length < content.length) {
    await writeFile(`${file}.gz`, gz);
    sizes.gz = gz.length;
  }
  return sizes;
}

/**
 * Writes a Brotli and a gzip copy beside every text file of the build, once, at build time: the server sends them
 * (@fastify/static's preCompressed) to browsers that accept them, so the app's first load moves about a third of the
 * bytes and the server compresses nothing per request.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'promptlog:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await filesUnder(outDir)).filter((file) => COMPRESSIBLE.test(file));
      let bytes = 0;
      let brotliBytes = 0;
      for (const file of files) {
        const sizes = await precompressFile(file);
        bytes += sizes.bytes;
        brotliBytes += sizes.br ?? sizes.bytes;
      }
      this.info(`${files.length} files, ${Math.round(bytes / 1024)} kB → ${Math.round(brotliBytes / 1024)} kB brotli`);
    },
  };
}
