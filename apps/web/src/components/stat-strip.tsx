import type { ReactNode } from 'react';

export type StatTile = {
  label: string;
  value: ReactNode;
  detail?: string | null;
  className?: string | undefined;
  title?: string | undefined;
};

/** Figures side by side: a labelled value each, with a detail line under it when there is one. */
export function StatStrip({ label, tiles, busy }: { label: string; tiles: StatTile[]; busy?: boolean }) {
  return (
    <section aria-label={label} aria-busy={busy || undefined}>
      <dl className="stat-strip">
        {tiles.map((tile) => (
          <div key={tile.label} className="stat">
            <dt className="stat__label">{tile.label}</dt>
            <dd className={['stat__value numeric', tile.className].filter(Boolean).join(' ')} title={tile.title}>
              {tile.value}
            </dd>
            {tile.detail && <dd className="stat__detail">{tile.detail}</dd>}
          </div>
        ))}
      </dl>
    </section>
  );
}
