// Probes a URL with curl from a shell loop of its own, as an orchestrator's liveness probe would: the load generator's
// busy event loop in this process then neither delays the probes nor inflates their times.
import { spawn } from 'node:child_process';

export interface Probe {
  /** 0 when no answer came within the timeout. */
  status: number;
  ms: number;
}

export function startHealthProber(url: string, timeoutMs: number, everyMs = 250): { stop(): Promise<Probe[]> } {
  const loop = `while true; do curl -s -o /dev/null -w '%{http_code} %{time_total}\\n' --max-time ${timeoutMs / 1000} '${url}'; sleep ${everyMs / 1000}; done`;
  const child = spawn('bash', ['-c', loop], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return {
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      return output
        .split('\n')
        .filter((line) => /^\d+ [\d.]+$/.test(line))
        .map((line) => {
          const [status = '0', seconds = '0'] = line.split(' ');
          return { status: Number(status), ms: Number(seconds) * 1000 };
        });
    },
  };
}
