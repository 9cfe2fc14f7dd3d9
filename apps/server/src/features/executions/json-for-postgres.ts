// Postgres cannot store NUL characters or unpaired UTF-16 surrogates in text or jsonb; JSON.stringify
// escapes both. Replacing them with U+FFFD keeps such input storable instead of failing the request.
const UNSTORABLE_ESCAPE =
  /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})d[c-f][0-9a-f]{2})/gi;
const MAYBE_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/** JSON text whose strings Postgres can turn into text and jsonb values. */
export function jsonForPostgres(value: unknown): string {
  const json = JSON.stringify(value);
  // Only a \u escape can be unstorable, and JSON.stringify writes it in lower case: includes() rules most text out
  // much faster than the case-insensitive regex.
  return json.includes('\\u') && MAYBE_UNSTORABLE.test(json) ? json.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : json;
}
