import type { Measures } from '@promptlog/contracts';
import { RetryableError } from '../../components/error-message';
import { summaryTiles } from './prepare';

type SummaryStripProps = {
  label: string;
  query: { data?: Measures; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
};

export function SummaryStrip({ label, query }: SummaryStripProps) {
  if (query.isError) {
    return (
      <RetryableError size="sm" error={query.error} title="Could not load the totals" onRetry={() => query.refetch()} />
    );
  }
  const tiles = query.data ? summaryTiles(query.data) : null;
  return (
    <section aria-label={label} aria-busy={query.isPending || undefined}>
      <dl className="stat-strip">
        {(tiles ?? PLACEHOLDERS).map((tile) => (
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

const PLACEHOLDERS = ['Total calls', 'Success rate', 'Total tokens', 'Total cost', 'Avg latency', 'p95 latency'].map(
  (label) => ({ label, value: '', detail: null }),
);
