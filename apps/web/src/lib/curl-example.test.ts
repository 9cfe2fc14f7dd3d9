import { describe, expect, it } from 'vitest';
import { executionCurlExample } from './curl-example';

describe('executionCurlExample', () => {
  const command = executionCurlExample('https://promptlog.example.com', '$PROMPTLOG_API_KEY');

  it('posts to this server with the key as a bearer token', () => {
    expect(command).toContain('curl -X POST https://promptlog.example.com/api/v1/executions');
    expect(command).toContain('-H "Authorization: Bearer $PROMPTLOG_API_KEY"');
  });

  it('sends a JSON body with the fields an execution requires', () => {
    const body = /-d '(.+)'$/s.exec(command)?.[1];
    expect(JSON.parse(body ?? '')).toMatchObject({
      promptId: 'support-reply',
      status: 'success',
      source: { type: 'api' },
      model: 'gpt-4o-mini',
    });
  });

  it('continues the header lines, so the command pastes into a shell as one', () => {
    const lines = command.split('\n');
    const headerLines = lines.slice(0, 3);
    expect(headerLines.every((line) => line.endsWith(' \\'))).toBe(true);
  });
});
