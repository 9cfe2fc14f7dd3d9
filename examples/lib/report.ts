import type { PromptlogError } from '@promptlog/sdk';

/** Prints each problem the SDK reports and makes the script exit with 1, so a failed delivery is noticed. */
export function reportProblem(error: PromptlogError): void {
  console.error(`promptlog: ${error.kind}: ${error.message}`);
  process.exitCode = 1;
}

interface ListedExecution {
  id: string;
  status: string;
  model: string;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: string | null;
}

/** Reads back what this run logged (the key needs the `read` scope) and prints one line per execution. */
export async function printLogged(promptId: string, runId: string): Promise<void> {
  const baseUrl = (process.env.PROMPTLOG_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const query = new URLSearchParams({ promptId, 'meta.run': runId, limit: '50' });
  const response = await fetch(`${baseUrl}/api/v1/executions?${query}`, {
    headers: { authorization: `Bearer ${process.env.PROMPTLOG_API_KEY ?? ''}` },
  });
  if (!response.ok) {
    console.log(
      `Logged to ${baseUrl}; reading them back answered HTTP ${response.status} (a key with the read scope can).`,
    );
    return;
  }
  const { items } = (await response.json()) as { items: ListedExecution[] };
  console.log(`\nPromptlog stored ${items.length} executions of "${promptId}" for this run:`);
  for (const item of [...items].reverse()) {
    const tokens = item.inputTokens === null ? 'no usage' : `${item.inputTokens} in / ${item.outputTokens} out`;
    const cost = item.costUsd === null ? 'unpriced' : `$${item.costUsd}`;
    console.log(
      `  ${item.id}  ${item.status.padEnd(9)} ${item.model.padEnd(20)} ${tokens}, ${cost}, ${item.latencyMs} ms`,
    );
  }
  console.log(`Open ${baseUrl}/prompts/${encodeURIComponent(promptId)} to see them in the Logs tab.`);
}
