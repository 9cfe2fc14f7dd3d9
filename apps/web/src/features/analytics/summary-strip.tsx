import type { Measures } from '@promptlog/contracts';
import { RetryableError } from '../../components/error-message';
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
  const tiles = query.data ? tilesOf(query.data) : null;
  return (
    <section aria-label={label} aria-busy={query.isPending || undefined}>
      <dl className="stat-strip">
        {(tiles ?? placeholders).map((tile) => (
          <div key={tile.label} className="stat">
            <dt className="stat__label">{tile.label}</dt>
            <dd className="stat__value numeric">{tiles ? tile.value : <span className="stat__skeleton">…</span>}</dd>
            {tile.detail && <dd className="stat__detail">{tile.detail}</dd>}
          </div>
        ))}
      </dl>
    </section>
  );
}

const placeholdersOf = (labels: string[]): Tile[] => labels.map((label) => ({ label, value: '', detail: null }));

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
    placeholders: placeholdersOf(['Refusal rate', 'Truncation rate', 'JSON-invalid rate', 'Avg output']),
  },
} satisfies Record<string, { tiles: (measures: Measures) => Tile[]; placeholders: Tile[] }>;
