interface TraceNode {
  id: string;
  depth: number;
  kind: string;
  name: string;
  status: string;
  durationMs: number | null;
  costUsd?: string | null;
}

/** Reads the trace back from Promptlog (the key needs the `read` scope) and prints its tree. */
export async function printTrace(traceId: string): Promise<void> {
  const baseUrl = (process.env.PROMPTLOG_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${process.env.PROMPTLOG_API_KEY ?? ''}` };
  // Rollups and exports settle within a moment; the trace itself is stored once the export is answered.
  const response = await fetch(`${baseUrl}/api/v1/traces/${traceId}`, { headers });
  if (!response.ok) {
    console.log(
      `Sent trace ${traceId}; reading it back answered HTTP ${response.status} (a key with the read scope can).`,
    );
    return;
  }
  const view = (await response.json()) as {
    nodes: TraceNode[];
    totals: { executions: number; costUsd: string | null };
  };
  console.log(
    `\nPromptlog stored trace ${traceId}: ${view.totals.executions} LLM calls, cost ${view.totals.costUsd ?? 'unpriced'}`,
  );
  for (const node of view.nodes) {
    const cost = node.kind === 'execution' ? `, ${node.costUsd ? `$${node.costUsd}` : 'unpriced'}` : '';
    console.log(
      `  ${'  '.repeat(node.depth)}${node.kind.padEnd(9)} ${node.name} — ${node.status}, ${node.durationMs ?? '…'} ms${cost}`,
    );
  }
  console.log(`Open ${baseUrl}/traces/${traceId} to see it as a waterfall.`);
}
