import { isViewParam, VIEW_PARAMS } from '@promptlog/contracts/rules';

export { VIEW_PARAMS };

/** The applied view's id, so a shared link names it. */
export const VIEW_PARAM = 'view';
/** Where the reader is rather than what a view shows: kept when a view is applied. */
const KEPT_PARAMS = ['project', 'tab'];

/** A page URL's view state as the server stores it: the view params, empty ones dropped, sorted by key. */
export function viewStateOf(search: URLSearchParams): string {
  const state = new URLSearchParams();
  for (const [name, value] of search) if (isViewParam(name) && value !== '') state.append(name, value);
  state.sort();
  return state.toString();
}

/** The page's search params with a view applied: its state and its id instead of the current filters. */
export function searchWithView(current: URLSearchParams, view: { id: string; state: string }): URLSearchParams {
  const next = new URLSearchParams();
  for (const [name, value] of current) if (KEPT_PARAMS.includes(name)) next.append(name, value);
  for (const [name, value] of new URLSearchParams(view.state)) next.append(name, value);
  next.set(VIEW_PARAM, view.id);
  next.sort();
  return next;
}

/** How the applied view relates to the page: none named, named and unchanged, changed since, or gone. */
export type AppliedView<View> =
  | { kind: 'none' }
  | { kind: 'applied'; view: View; changed: boolean }
  | { kind: 'missing'; id: string };

/** `views` is undefined while they load; a view id is missing only once the list says so. */
export function appliedView<View extends { id: string; state: string }>(
  search: URLSearchParams,
  views: readonly View[] | undefined,
): AppliedView<View> {
  const id = search.get(VIEW_PARAM);
  if (!id || !views) return { kind: 'none' };
  const view = views.find((candidate) => candidate.id === id);
  if (!view) return { kind: 'missing', id };
  return { kind: 'applied', view, changed: viewStateOf(search) !== view.state };
}

export const VIEW_NAME_MAX = 100;

/** The save and rename forms' check of a name, before the server's. */
export function nameError(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Name the view, e.g. “Errors this week”.';
  if (trimmed.length > VIEW_NAME_MAX) return `Use at most ${VIEW_NAME_MAX} characters.`;
  return undefined;
}
