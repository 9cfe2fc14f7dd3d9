import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useMemo, useSyncExternalStore } from 'react';

export type SearchValue = string | number | boolean | readonly (string | number)[] | null | undefined;
/** Keys set to null, undefined or '' are removed; arrays become repeated keys. */
export type SearchPatch = Record<string, SearchValue>;
/** `carry: false` lets the URL drop the current project (see PROJECT_PARAM). */
export type NavigateOptions = { replace?: boolean; carry?: boolean };

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/**
 * The current project's id (features/auth/current-project.ts). It says where the user is rather than what a
 * view shows, so every in-app link and navigation keeps it unless it names a project itself.
 */
export const PROJECT_PARAM = 'project';

/** Pure: `to` with the current URL's project added when `to` names none. */
export function withCarriedParams(to: string, currentSearch: string): string {
  const project = new URLSearchParams(currentSearch).get(PROJECT_PARAM);
  if (project === null) return to;
  const url = new URL(to, 'http://promptlog.invalid/');
  if (url.origin !== 'http://promptlog.invalid' || url.searchParams.has(PROJECT_PARAM)) return to;
  url.searchParams.set(PROJECT_PARAM, project);
  return url.pathname + url.search + url.hash;
}

export function navigate(to: string, { replace = false, carry = true }: NavigateOptions = {}): void {
  const url = new URL(carry ? withCarriedParams(to, window.location.search) : to, window.location.href);
  const next = url.pathname + url.search + url.hash;
  const pathChanged = url.pathname !== window.location.pathname;
  if (replace) window.history.replaceState(null, '', next);
  else window.history.pushState(null, '', next);
  if (pathChanged && !replace) window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(current, 'http://promptlog.invalid');
    return { pathname: url.pathname, search: url.searchParams };
  }, [current]);
}

/** Pure: returns a copy of `params` with `patch` applied. */
export function applySearchPatch(params: URLSearchParams, patch: SearchPatch): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch)) {
    next.delete(key);
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) next.append(key, String(item));
    } else {
      next.set(key, String(value));
    }
  }
  next.sort();
  return next;
}

export function hrefWithSearch(pathname: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * The current URL's search params and a setter that merges a patch into them,
 * so filters, sort and cursor live in the URL and every view is a shareable link.
 */
export function useSearchParams(): [URLSearchParams, (patch: SearchPatch, options?: NavigateOptions) => void] {
  const { search } = useLocation();
  const setSearch = useCallback((patch: SearchPatch, options?: NavigateOptions) => {
    const current = new URLSearchParams(window.location.search);
    navigate(hrefWithSearch(window.location.pathname, applySearchPatch(current, patch)), options);
  }, []);
  return [search, setSearch];
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  const { search } = useLocation();
  const href = withCarriedParams(to, search.toString());
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (target && target !== '_self') return;
    event.preventDefault();
    navigate(to, { replace });
  };
  return <a href={href} target={target} onClick={handleClick} {...rest} />;
}
