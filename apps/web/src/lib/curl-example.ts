const EXAMPLE_EXECUTION = {
  promptId: 'support-reply',
  status: 'success',
  source: { type: 'api' },
  model: 'gpt-4o-mini',
  inputs: { question: 'Where is my order?' },
  output: 'It ships tomorrow.',
  usage: { inputTokens: 42, outputTokens: 7 },
};

/** A shell command that logs one example execution; `apiKey` may be a literal key or "$PROMPTLOG_API_KEY". */
export function executionCurlExample(origin: string, apiKey: string): string {
  // One top-level field per line keeps the example short enough to read without scrolling.
  const fields = Object.entries(EXAMPLE_EXECUTION).map(([key, value]) => `    "${key}": ${JSON.stringify(value)}`);
  return [
    `curl -X POST ${origin}/api/v1/executions \\`,
    `  -H "Authorization: Bearer ${apiKey}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{`,
    fields.join(',\n'),
    `  }'`,
  ].join('\n');
}
