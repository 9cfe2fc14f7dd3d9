import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
let workDir: string | undefined;

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('packs the ESM build with declarations, installs offline into a fresh project and exports the API', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'promptlog-sdk-'));
    // `pnpm pack` runs the build (prepack) and applies publishConfig, as publishing does.
    await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: packageDir, timeout: 25_000 });
    const tarball = (await readdir(workDir)).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const app = join(workDir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(workDir, String(tarball))], {
      cwd: app,
      timeout: 25_000,
    });

    const installed = join(app, 'node_modules', '@promptlog', 'sdk');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', import: './dist/index.js' } });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependenciesMeta).toEqual({
      openai: { optional: true },
      '@anthropic-ai/sdk': { optional: true },
    });
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'dist', 'package.json']);
    expect(await readdir(join(app, 'node_modules'))).toEqual(['.package-lock.json', '@promptlog']);
    // Edge runtimes have no Node modules: the build must not import any.
    const built = await readdir(join(installed, 'dist'), { recursive: true });
    for (const file of built.filter((name) => name.endsWith('.js'))) {
      expect(await readFile(join(installed, 'dist', file), 'utf8')).not.toMatch(/from ['"]node:|require\(/);
    }

    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import * as sdk from '@promptlog/sdk';
         const promptlog = new sdk.Promptlog({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', onError() {} });
         const id = promptlog.log({ promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' });
         console.log(JSON.stringify({ exports: Object.keys(sdk).sort(), id }));`,
      ],
      { cwd: app, timeout: 10_000 },
    );
    const result = JSON.parse(stdout);
    expect(result.exports).toEqual(['Promptlog', 'PromptlogError', 'uuidv7', 'wrapAnthropic', 'wrapOpenAI']);
    expect(result.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);

    // The declarations stand alone, checked without skipLibCheck: no @promptlog/contracts, no Node or DOM types.
    await writeFile(
      join(app, 'consumer.ts'),
      `import { Promptlog, wrapAnthropic, type ExecutionInput } from '@promptlog/sdk';
       const promptlog = new Promptlog({ flushAt: 10 });
       const record: ExecutionInput = { promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' };
       const id: string = promptlog.log(record);
       export const client = wrapAnthropic({ messages: {} }, { promptlog, promptId: id, logPending: true });`,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, timeout: 25_000 });
  });
});
