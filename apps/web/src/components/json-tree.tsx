import { lazy, Suspense, useDeferredValue, useId, useMemo, useState } from 'react';
import { CopyIconButton } from './copy-icon-button';
import { capJson, countValues, isContainer, searchJson } from './json-tree-data';

const JsonTreeView = lazy(() => import('./json-tree-view'));

/** About 1,500 lines of tree: enough for most payloads; larger ones show their outline first, then "Show all". */
const CAP = 1_500;
/** Fewer values than this are read at a glance: no search field. */
const SEARCHABLE_FROM = 12;

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

type JsonTreeProps = {
  /** An object or an array; other values are the caller's to show as text. */
  value: object;
  /** What the payload is, e.g. "output": names the tree, its search field and its copy button. */
  label: string;
  expandDepth?: number;
};

/**
 * A payload as a collapsible tree with its values coloured by type, searchable, and capped in size without cutting
 * any value short: past the cap, whole values are left out with a note of how many, until "Show all".
 */
export function JsonTree({ value, label, expandDepth = 3 }: JsonTreeProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [showAll, setShowAll] = useState(false);
  const search = useDeferredValue(query.trim());
  const total = useMemo(() => countValues(value), [value]);
  const found = useMemo(() => (search ? searchJson(value, search) : null), [value, search]);
  const base = found ? found.value : value;
  const limited = useMemo(() => capJson(base, CAP), [base]);
  const overCap = limited.shown < limited.total;
  const shown = showAll ? base : limited.value;
  const copy = useMemo(() => JSON.stringify(value, null, 2), [value]);

  const searchable = total >= SEARCHABLE_FROM;
  const copyButton = <CopyIconButton text={copy} label={`Copy ${label}`} />;
  const tree = (
    <div id={id} className="json-tree__body">
      {found && found.matches === 0 ? null : (
        <Suspense fallback={<p className="muted">Loading the tree…</p>}>
          <JsonTreeView
            key={search ? `search:${search}` : showAll ? 'all' : 'capped'}
            data={isContainer(shown) ? shown : {}}
            label={label}
            expandDepth={search ? Number.POSITIVE_INFINITY : expandDepth}
          />
        </Suspense>
      )}
    </div>
  );

  return (
    <div className="json-tree">
      {searchable ? (
        <>
          <div className="json-tree__toolbar">
            <input
              type="search"
              className="json-tree__search"
              aria-label={`Search in ${label}`}
              placeholder="Search keys and values"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            <span className="json-tree__status muted" aria-live="polite">
              {search ? (found?.matches ? plural(found.matches, 'match', 'matches') : 'No match') : ''}
            </span>
            {copyButton}
          </div>
          {tree}
        </>
      ) : (
        <div className="long-text__row">
          {tree}
          {copyButton}
        </div>
      )}
      {overCap && (
        <p className="json-tree__cap muted">
          {showAll
            ? `Showing all ${plural(limited.total, 'value', 'values')}.`
            : `Showing ${limited.shown.toLocaleString('en-US')} of ${plural(limited.total, 'value', 'values')}.`}{' '}
          <button
            type="button"
            className="link-button"
            aria-expanded={showAll}
            aria-controls={id}
            onClick={() => setShowAll(!showAll)}
          >
            {showAll ? 'Show less' : 'Show all'}
          </button>
        </p>
      )}
    </div>
  );
}
