// `pnpm start`: builds the web app if it has not been built yet, then runs the server in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!existsSync(`${root}/apps/web/dist/index.html`)) {
  console.log('Building the web app (first start)…');
  const build = spawnSync('pnpm', ['--filter', '@promptlog/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('Building the web app failed; see the output above.');
    process.exit(build.status ?? 1);
  }
}

register();
await import('../apps/server/src/server.ts');
