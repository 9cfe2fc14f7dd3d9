/**
 * A `/api/v1` URL whose project scope was decided. The api client accepts no other `/api/v1` path, so a
 * request cannot forget its project: a user in several projects gets a 400 from the server without it.
 */
export type ScopedUrl = string & { readonly __scope: 'project' | 'caller' };

export type ApiV1Path = `/api/v1/${string}`;
export type QueryParams = URLSearchParams | string | Record<string, string>;

/** `path?projectId=<id>&…params`: a route that acts on one project, the one the app is showing. */
export function projectApiUrl(projectId: string, path: ApiV1Path, params?: QueryParams): ScopedUrl {
  assertBarePath(path);
  const search = new URLSearchParams({ projectId });
  for (const [key, value] of new URLSearchParams(params)) if (key !== 'projectId') search.append(key, value);
  return scoped(`${path}?${search}`);
}

/** A route that finds its record in any of the caller's projects itself, such as one execution by id. */
export function callerApiUrl(path: ApiV1Path): ScopedUrl {
  assertBarePath(path);
  return scoped(path);
}

function assertBarePath(path: string): void {
  if (/[?#]/.test(path)) throw new Error(`Pass the query of ${path} as params, so projectId is added once`);
}

// The two builders above are the only makers of a ScopedUrl; the brand is what lets the client refuse the rest.
function scoped(url: string): ScopedUrl {
  return url as ScopedUrl;
}
