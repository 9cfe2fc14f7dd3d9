import { useCallback, useRef } from 'react';
import { JsonView, type Props as JsonViewProps } from 'react-json-view-lite';

/** Class names only (styles.css, "JSON tree"): the CSP allows no inline styles, and none are needed. */
const STYLE: NonNullable<JsonViewProps['style']> = {
  container: 'json-tree__root',
  basicChildStyle: 'json-tree__node',
  childFieldsContainer: 'json-tree__children',
  label: 'json-tree__key',
  clickableLabel: 'json-tree__key',
  nullValue: 'json-tree__null',
  undefinedValue: 'json-tree__null',
  numberValue: 'json-tree__number',
  stringValue: 'json-tree__string',
  booleanValue: 'json-tree__boolean',
  otherValue: 'json-tree__omission',
  punctuation: 'json-tree__punctuation',
  expandIcon: 'json-tree__toggle json-tree__toggle--collapsed',
  collapseIcon: 'json-tree__toggle json-tree__toggle--expanded',
  collapsedContent: 'json-tree__collapsed',
  noQuotesForStringValues: false,
  quotesForFieldNames: true,
  stringifyStringValues: true,
  ariaLables: { expandJson: 'Expand', collapseJson: 'Collapse' },
};

type JsonTreeViewProps = {
  data: object;
  label: string;
  /** Levels open at first; every level while a search narrows the tree. */
  expandDepth: number;
};

/**
 * The tree itself (react-json-view-lite), loaded only when a payload is shown. Its keys are a treeview's: ↑ ↓ move,
 * → opens, ← closes; Enter and Space open and close too, as on any button.
 */
export default function JsonTreeView({ data, label, expandDepth }: JsonTreeViewProps) {
  const ref = useRef<HTMLDivElement>(null);
  const shouldExpandNode = useCallback((level: number) => level < expandDepth, [expandDepth]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: forwards Enter and Space to the tree's own toggle buttons
    <div
      ref={ref}
      className="json-tree__frame"
      onKeyDown={(event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        if (!(event.target instanceof HTMLElement) || event.target.getAttribute('role') !== 'button') return;
        if (!ref.current?.contains(event.target)) return;
        event.preventDefault();
        event.target.click();
      }}
    >
      <JsonView data={data} style={STYLE} shouldExpandNode={shouldExpandNode} aria-label={label} />
    </div>
  );
}
