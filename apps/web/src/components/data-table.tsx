import { type DisplayColumnDef, type RowData, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import { isPageRowKey, OWN_KEYS_SELECTOR } from '../lib/page-row-keys';

export const dataTableFeatures = tableFeatures({
  columnMeta: {} as {
    /** A CSS width for the column; the table lays out fixed so virtualized rows never shift. */
    width?: string;
    align?: 'start' | 'end';
    /** The key the list can be ordered by through this column's header; see DataTableProps.sort. */
    sortKey?: string;
  },
});
export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableColumn<TData extends RowData> = DisplayColumnDef<DataTableFeatures, TData, unknown>;

export type DataTableSort = { key: string; direction: 'asc' | 'desc' };

export type DataTableHandle = {
  /** Moves keyboard focus to a row, scrolling it into view first. */
  focusRow: (id: string) => void;
};

type DataTableProps<TData extends RowData> = {
  label: string;
  columns: ReadonlyArray<DataTableColumn<TData>>;
  data: readonly TData[];
  getRowId: (row: TData) => string;
  /** Enter or a click on a row; clicks on links and buttons inside a row do their own thing. */
  onOpenRow?: (row: TData) => void;
  /** The row shown elsewhere (e.g. in a drawer), marked with aria-current. */
  activeRowId?: string | null;
  /** Called when the reader scrolls near the last loaded row. */
  onEndReached?: () => void;
  rowHeight?: number;
  maxHeight?: string;
  footer?: ReactNode;
  /** Rows that form a tree, drawn in tree order: the table becomes a treegrid. */
  tree?: DataTableTree<TData>;
  /** An extra class for a row, to mark it. */
  rowClassName?: (row: TData) => string | undefined;
  /**
   * j or k pressed anywhere on the page (outside fields, widgets and dialogs) focuses the table's current row, the
   * first one until another was chosen, so the first press is never lost; the table's main list should say so.
   */
  pageKeys?: boolean;
  /**
   * The order the rows are in (the caller sorts them): the header of the column with that `meta.sortKey` says so in
   * `aria-sort`, and with `onSort` every sortable header is a button that asks for its key.
   */
  sort?: DataTableSort;
  onSort?: (key: string) => void;
  ref?: Ref<DataTableHandle>;
};

export type DataTableTree<TData> = {
  /** 1 for a root. */
  level: (row: TData) => number;
  /** Whether its children are shown; undefined for a row without children. */
  expanded: (row: TData) => boolean | undefined;
  parentId: (row: TData) => string | null;
  onToggle: (row: TData, expand: boolean) => void;
};

const INTERACTIVE = 'a, button, input, select, textarea, summary, [role="button"]';

/**
 * Spread on an element around controls in a row that a tap meant for the row must not trigger. On a touch screen a tap
 * there opens the row, as a tap anywhere else on it does, unless the row is open already; the open row (a drawer)
 * offers the same actions. A mouse or pen click, or the keyboard, uses the control at once. A long press does nothing
 * more, so every tap does one predictable thing.
 */
export const ROW_TAP = { 'data-row-tap': '' } as const;
const ROW_TAP_SELECTOR = '[data-row-tap]';

/**
 * The one table of the app: renders only the rows in view (thousands stay smooth) and gives the rows
 * a roving focus — arrow keys or j/k move, Home/End jump, Enter opens. As a tree, → expands a row or moves
 * to its first child and ← collapses it or moves to its parent.
 */
export function DataTable<TData extends RowData>({
  label,
  columns,
  data,
  getRowId,
  onOpenRow,
  activeRowId,
  onEndReached,
  rowHeight = 44,
  maxHeight = 'min(70vh, 52rem)',
  footer,
  tree,
  rowClassName,
  pageKeys = false,
  sort,
  onSort,
  ref,
}: DataTableProps<TData>) {
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row) => getRowId(row),
  });
  const rows = table.getRowModel().rows;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const rowRefs = useRef(new Map<number, HTMLTableRowElement>());
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  // The kind of pointer pressed on the rows, until its click: a click event need not say (older Safari).
  const pressedWith = useRef<string | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollPaddingStart: rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const lastIndex = items.at(-1)?.index ?? -1;
  const safeFocus = Math.min(focusIndex, Math.max(0, rows.length - 1));

  useEffect(() => {
    if (onEndReached && rows.length > 0 && lastIndex >= rows.length - 10) onEndReached();
  }, [lastIndex, rows.length, onEndReached]);

  const applyPendingFocus = useCallback(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const element = rowRefs.current.get(index);
    if (element) {
      pendingFocus.current = null;
      element.focus({ preventScroll: true });
    }
  }, []);

  // A row scrolled into view renders a frame later; focus follows once it exists.
  useEffect(() => {
    if (pendingFocus.current === null) return;
    applyPendingFocus();
    if (pendingFocus.current === null) return;
    let frames = 0;
    let handle = 0;
    const retry = () => {
      applyPendingFocus();
      frames += 1;
      if (pendingFocus.current !== null && frames < 10) handle = requestAnimationFrame(retry);
    };
    handle = requestAnimationFrame(retry);
    return () => cancelAnimationFrame(handle);
  });

  const moveFocus = useCallback(
    (index: number) => {
      if (rows.length === 0) return;
      const next = Math.max(0, Math.min(rows.length - 1, index));
      setFocusIndex(next);
      pendingFocus.current = next;
      virtualizer.scrollToIndex(next, { align: 'auto' });
      // The row may already be rendered, in which case no re-render follows to run the effect above.
      applyPendingFocus();
    },
    [rows.length, virtualizer, applyPendingFocus],
  );

  const focusCurrentRow = useRef(() => {});
  focusCurrentRow.current = () => moveFocus(safeFocus);
  useEffect(() => {
    if (!pageKeys) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      // A focused row moves with its own handler.
      if (target && bodyRef.current?.contains(target)) return;
      if (!isPageRowKey(event, Boolean(target?.closest(OWN_KEYS_SELECTOR)))) return;
      event.preventDefault();
      focusCurrentRow.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [pageKeys]);

  useImperativeHandle(
    ref,
    () => ({
      focusRow: (id: string) => {
        const index = rows.findIndex((row) => row.id === id);
        if (index >= 0) moveFocus(index);
      },
    }),
    [rows, moveFocus],
  );

  // Keeps the row shown elsewhere in view and makes it the row that Tab lands on.
  useEffect(() => {
    if (!activeRowId) return;
    const index = rows.findIndex((row) => row.id === activeRowId);
    if (index < 0) return;
    setFocusIndex(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [activeRowId, rows, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (!(event.target instanceof HTMLTableRowElement)) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Number(event.target.dataset.index);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      j: index + 1,
      ArrowUp: index - 1,
      k: index - 1,
      PageDown: index + 10,
      PageUp: index - 10,
      Home: 0,
      End: rows.length - 1,
    };
    const current = rows[index];
    const treeMove = current ? treeKey(event.key, current.original, index) : undefined;
    if (treeMove === null) {
      event.preventDefault();
      return;
    }
    const target = treeMove ?? moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveFocus(target);
      return;
    }
    if (event.key === 'Enter' && onOpenRow) {
      const row = rows[index];
      if (row) {
        event.preventDefault();
        onOpenRow(row.original);
      }
    }
  };

  /** The row a tree key moves to, null when it only expanded or collapsed, undefined when not a tree key. */
  const treeKey = (key: string, row: TData, index: number): number | null | undefined => {
    if (!tree || (key !== 'ArrowRight' && key !== 'ArrowLeft')) return undefined;
    const expanded = tree.expanded(row);
    if (key === 'ArrowRight') {
      if (expanded === false) tree.onToggle(row, true);
      return expanded ? index + 1 : null;
    }
    if (expanded) {
      tree.onToggle(row, false);
      return null;
    }
    const parentId = tree.parentId(row);
    const parentIndex = parentId === null ? -1 : rows.findIndex((candidate) => candidate.id === parentId);
    return parentIndex >= 0 ? parentIndex : null;
  };

  const onClick = (event: MouseEvent<HTMLTableSectionElement>) => {
    if (!(event.target instanceof Element) || event.target.closest(INTERACTIVE)) return;
    const element = event.target.closest('tr');
    const index = Number(element?.dataset.index);
    const row = rows[index];
    if (!row || !onOpenRow) return;
    setFocusIndex(index);
    onOpenRow(row.original);
  };

  const onClickCapture = (event: MouseEvent<HTMLTableSectionElement>) => {
    const native = event.nativeEvent;
    const pointer = 'pointerType' in native && typeof native.pointerType === 'string' && native.pointerType;
    // A click from the keyboard has detail 0.
    const touch = event.detail !== 0 && (pointer || pressedWith.current) === 'touch';
    pressedWith.current = null;
    if (!touch || !onOpenRow || !(event.target instanceof Element)) return;
    const element = event.target.closest(ROW_TAP_SELECTOR)?.closest('tr');
    if (!element || element.getAttribute('aria-current') === 'true') return;
    const index = Number(element.dataset.index);
    const row = rows[index];
    if (!row) return;
    // Neither the control's own handler nor a link's navigation runs: the tap opens the row.
    event.preventDefault();
    event.stopPropagation();
    setFocusIndex(index);
    onOpenRow(row.original);
  };

  const columnCount = table.getAllLeafColumns().length;

  return (
    <div className="data-table">
      <div className="data-table__scroller" ref={scrollerRef} style={{ maxHeight }}>
        <table
          className="data-table__table"
          role={tree ? 'treegrid' : undefined}
          aria-label={label}
          aria-rowcount={rows.length + 1}
        >
          <colgroup>
            {table.getAllLeafColumns().map((column) => (
              <col key={column.id} style={{ width: column.columnDef.meta?.width }} />
            ))}
          </colgroup>
          <thead className="data-table__head">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sortKey = header.column.columnDef.meta?.sortKey;
                  const direction = sortKey !== undefined && sort?.key === sortKey ? sort.direction : undefined;
                  const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sortKey === undefined
                          ? undefined
                          : direction === 'asc'
                            ? 'ascending'
                            : direction
                              ? 'descending'
                              : 'none'
                      }
                      className={header.column.columnDef.meta?.align === 'end' ? 'data-table__cell--end' : undefined}
                    >
                      {sortKey !== undefined && onSort ? (
                        <button type="button" className="data-table__sort" onClick={() => onSort(sortKey)}>
                          {content}
                          <span className="data-table__sort-icon" aria-hidden="true">
                            {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        content
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody
            ref={bodyRef}
            onKeyDown={onKeyDown}
            onClick={onClick}
            onClickCapture={onClickCapture}
            onPointerDown={(event) => {
              pressedWith.current = event.pointerType;
            }}
            onPointerCancel={() => {
              pressedWith.current = null;
            }}
          >
            {paddingTop > 0 && (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row of the virtualized list holds nothing and takes no focus
              <tr aria-hidden="true" className="data-table__spacer">
                <td colSpan={columnCount} style={{ height: paddingTop }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <tr
                  key={row.id}
                  ref={(element) => {
                    if (element) rowRefs.current.set(item.index, element);
                    else rowRefs.current.delete(item.index);
                  }}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  aria-current={row.id === activeRowId ? 'true' : undefined}
                  aria-level={tree?.level(row.original)}
                  aria-expanded={tree?.expanded(row.original)}
                  tabIndex={item.index === safeFocus ? 0 : -1}
                  onFocus={() => setFocusIndex(item.index)}
                  className={[
                    'data-table__row',
                    onOpenRow ? 'data-table__row--interactive' : '',
                    rowClassName?.(row.original) ?? '',
                  ]
                    .filter(Boolean)
                    .join(' ')}
                  style={{ height: rowHeight }}
                >
                  {row.getAllCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={cell.column.columnDef.meta?.align === 'end' ? 'data-table__cell--end' : undefined}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row of the virtualized list holds nothing and takes no focus
              <tr aria-hidden="true" className="data-table__spacer">
                <td colSpan={columnCount} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {footer}
      </div>
    </div>
  );
}
