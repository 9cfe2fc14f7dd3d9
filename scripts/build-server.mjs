// Bundles the server's TypeScript (and the workspace packages it imports) into one ES module.
// Dependencies in node_modules stay external. Running plain JavaScript instead of compiling on
// load through tsx keeps the server's memory down.
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

export async function buildServer() {
  await build({
    entryPoints: [`${root}apps/server/src/server.ts`],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepDependenciesExternal],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
