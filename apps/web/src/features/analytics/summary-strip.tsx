import type { Measures } from '@promptlog/contracts';
import { RetryableError } from '../../components/error-message';
import { StatStrip, type StatTile } from '../../components/stat-strip';
import { signalTiles, summaryTiles, type Tile } from './prepare';

type SummaryStripProps = {
  label: string;
  query: { data?: Measures; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  /** Which tiles: the totals (calls, success, tokens, cost, latency) or the output signals. */
  kind?: keyof typeof KINDS;
};

export function SummaryStrip({ label, query, kind = 'totals' }: SummaryStripProps) {
  const { tiles: tilesOf, placeholders } = KINDS[kind];
  if (query.isError) {
    // One query feeds both strips: the totals strip says it failed, once.
    if (kind !== 'totals') return null;
    return (
      <RetryableError size="sm" error={query.error} title="Could not load the totals" onRetry={() => query.refetch()} />
    );
  }
  return <StatStrip label={label} busy={query.isPending} tiles={query.data ? tilesOf(query.data) : placeholders} />;
}

const placeholdersOf = (labels: string[]): StatTile[] =>
  labels.map((label) => ({ label, value: <span className="stat__skeleton">…</span> }));

const KINDS = {
  totals: {
    tiles: summaryTiles,
    placeholders: placeholdersOf([
      'Total calls',
      'Success rate',
      'Total tokens',
      'Total cost',
      'Avg latency',
      'p95 latency',
    ]),
  },
  signals: {
    tiles: signalTiles,
    placeholders: placeholdersOf(['Refusal rate', 'Truncation rate', 'JSON-invalid rate', 'Avg output', 'p95 output']),
  },
} satisfies Record<string, { tiles: (measures: Measures) => Tile[]; placeholders: StatTile[] }>;
