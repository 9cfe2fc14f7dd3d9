import { describe, expect, it } from 'vitest';
import { csvField, DATASET_COLUMNS, type DatasetRow, datasetLines } from './rows';

const ROW: DatasetRow = {
  id: '0190f0f0-0000-7000-8000-000000000001',
  promptId: 'triage',
  promptVersion: 3,
  model: 'gpt-4o',
  status: 'success',
  startedAt: '2026-11-22T09:00:00.000000Z',
  inputs: { ticket: 'Where is my order, "today"?' },
  systemPrompt: 'You answer support tickets.',
  messages: [{ role: 'user', content: 'Where is my order?' }],
  output: 'It ships Monday,\nas promised.',
  error: null,
  rating: 'down',
  note: '=HYPERLINK("http://evil.example")',
  labels: ['Wrong', 'Tone'],
  signals: [],
  reviewedBy: 'ada@example.com',
  reviewedAt: '2026-11-22T10:00:00.000000Z',
};

describe('dataset lines', () => {
  it('writes JSON Lines as the values are, one object per line', () => {
    const { head, line } = datasetLines('jsonl');
    expect(head).toBe('');
    const text = line(ROW);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(ROW);
  });

  it('writes CSV with a header, quoting commas, quotes and newlines, and lists joined', () => {
    const { head, line } = datasetLines('csv');
    expect(head).toBe(`\ufeff${DATASET_COLUMNS.join(',')}\r\n`);
    const fields = line(ROW);
    expect(fields.endsWith('\r\n')).toBe(true);
    expect(fields).toContain('"{""ticket"":""Where is my order, \\""today\\""?""}"');
    expect(fields).toContain('"It ships Monday,\nas promised."');
    expect(fields).toContain(',Wrong; Tone,');
    expect(fields).toContain(',3,gpt-4o,success,');
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(-2)).toBe("'-2");
  });
});
