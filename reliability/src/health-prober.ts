// Probes a URL with curl from a shell loop of its own, as an orchestrator's liveness probe would: the load generator's
// busy event loop in this process then neither delays the probes nor inflates their times.
import { spawn } from 'node:child_process';

export interface Probe {
  /** When the probe was sent (ms since the epoch). */
  at: number;
  /** 0 when no answer came within the timeout. */
  status: number;
  ms: number;
}

export function startHealthProber(url: string, timeoutMs: number, everyMs = 250): { stop(): Promise<Probe[]> } {
  const curl = `curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time ${timeoutMs / 1000} '${url}'`;
  const loop = `while true; do echo "$(date +%s%3N) $(${curl})"; sleep ${everyMs / 1000}; done`;
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
        .filter((line) => /^\d+ \d+ [\d.]+$/.test(line))
        .map((line) => {
          const [at = '0', status = '0', seconds = '0'] = line.split(' ');
          return { at: Number(at), status: Number(status), ms: Number(seconds) * 1000 };
        });
    },
  };
}

/**
 * The longest time during which no probe got a good answer (200 within `budgetMs`), measured between the ends of
 * two good ones: how long an orchestrator probing at any moment could have seen the server as down.
 */
export function longestUnhealthyStretchMs(probes: readonly Probe[], budgetMs: number): number {
  let longest = 0;
  let lastGoodEnd: number | undefined;
  for (const probe of probes) {
    if (probe.status !== 200 || probe.ms >= budgetMs) continue;
    const end = probe.at + probe.ms;
    if (lastGoodEnd !== undefined) longest = Math.max(longest, end - lastGoodEnd);
    lastGoodEnd = end;
  }
  return longest;
}
