// Bundles the server's TypeScript (and the workspace packages it imports) into one ES module.
// Dependencies in node_modules stay external. Running plain JavaScript instead of compiling on
// load through tsx keeps the server's memory down.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// The bundle sits at the same depth as apps/server/src/*.ts so that paths built from
// import.meta.url (the repository root, drizzle/, apps/web/dist) resolve the same way.
export const SERVER_BUNDLE = `${root}apps/server/dist/server.mjs`;

const keepDependenciesExternal = {
  name: 'external-dependencies',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@promptlog/') ? undefined : { path: args.path, external: true },
    );
  },
};

// Each file is written beside its final name and renamed over it, so a start that runs beside another build (a second
// `pnpm start`, or the e2e and reliability suites on one machine) never imports a half-written bundle.
export async function buildServer() {
  const { outputFiles } = await build({
    entryPoints: [`${root}apps/server/src/server.ts`],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepDependenciesExternal],
    write: false,
  });
  for (const file of outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    await writeFile(partial, file.contents);
    await rename(partial, file.path);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
