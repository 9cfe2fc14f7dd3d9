// `pnpm start`: builds the web app if it has not been built yet, bundles the server (a tenth of a
// second, so never stale), then runs it as plain JavaScript in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, SERVER_BUNDLE } from './build-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(`${root}/apps/web/dist/index.html`)) {
  console.log('Building the web app (first start)…');
  const build = spawnSync('pnpm', ['--filter', '@promptlog/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('Building the web app failed; see the output above.');
    process.exit(build.status ?? 1);
  }
}

await buildServer();
await import(pathToFileURL(SERVER_BUNDLE).href);
