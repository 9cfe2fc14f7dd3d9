// Hostile HTTP requests as small, printable descriptions: fast-check generates and shrinks these and prints one as
// the counterexample, and they become bytes only when sent, so a 100,000-deep body or a gzip bomb stays one line in
// a report. Routes and their parameters come from the server's OpenAPI document, so new routes are covered too.
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------------------
// JSON as a request carries it, including what JavaScript values cannot say.

/** A JSON object as its entries: keys may repeat, and "__proto__" stays an ordinary key, as in a JSON text. */
export class Obj {
  constructor(readonly entries: readonly (readonly [string, Json])[]) {}
  [fc.toStringMethod](): string {
    return `{${this.entries.map(([key, value]) => `${fc.stringify(key)}:${fc.stringify(value)}`).join(',')}}`;
  }
}

/** JSON text put in as it is: numbers JavaScript cannot hold (1e400), or text that is no JSON at all. */
export class Raw {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `raw(${fc.stringify(this.text)})`;
  }
}

/** A string of `times` copies of `unit`, after `prefix`. */
export class Long {
  constructor(
    readonly unit: string,
    readonly times: number,
    readonly prefix = '',
  ) {}
  text(): string {
    return this.prefix + this.unit.repeat(this.times);
  }
  [fc.toStringMethod](): string {
    return `${this.prefix ? `${fc.stringify(this.prefix)}+` : ''}${fc.stringify(this.unit)}×${this.times}`;
  }
}

/** An array of `times` copies of `item`. */
export class Many {
  constructor(
    readonly item: Json,
    readonly times: number,
  ) {}
  [fc.toStringMethod](): string {
    return `[${fc.stringify(this.item)}]×${this.times}`;
  }
}

const NESTINGS = {
  object: ['{"a":', '1', '}'],
  array: ['[', '', ']'],
  otlpArray: ['{"arrayValue":{"values":[', '{"stringValue":"x"}', ']}}'],
  otlpKvlist: ['{"kvlistValue":{"values":[{"key":"a","value":', '{"stringValue":"x"}', '}]}}'],
} as const;

/** A value nested `depth` levels deep; `inString`: that JSON as the text of a string (as OTLP attributes carry it). */
export class Deep {
  constructor(
    readonly depth: number,
    readonly shape: keyof typeof NESTINGS,
    readonly inString = false,
  ) {}
  text(): string {
    const [open, leaf, close] = NESTINGS[this.shape];
    const json = `${open.repeat(this.depth)}${leaf}${close.repeat(this.depth)}`;
    return this.inString ? JSON.stringify(json) : json;
  }
  [fc.toStringMethod](): string {
    return `deep(${this.depth}, ${this.shape}${this.inString ? ', in a string' : ''})`;
  }
}

export type Json = null | boolean | number | string | Json[] | Obj | Raw | Long | Many | Deep;

export function jsonText(value: Json): string {
  if (value instanceof Obj) {
    return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  }
  if (value instanceof Raw) return value.text;
  if (value instanceof Long) return JSON.stringify(value.text());
  if (value instanceof Many) return `[${new Array<string>(value.times).fill(jsonText(value.item)).join(',')}]`;
  if (value instanceof Deep) return value.text();
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return JSON.stringify(value);
}

const obj = (record: Record<string, Json>) => new Obj(Object.entries(record));

// ---------------------------------------------------------------------------------------------------------------
// Hostile values.

const DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  '275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2024-02-30T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T00:00:00',
  '2024-01-01',
  '2024-01-01T00:00:00+99:99',
  '2024-01-01T00:00:00.1234567890123456789Z',
  '9999-12-31T23:59:59.999999Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '2024-01-01 00:00:00Z',
  'now',
  'infinity',
  '-infinity',
  'epoch',
];

const TEXTS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  "'",
  "''",
  "'; drop table executions; --",
  '" or 1=1 --',
  "' or '1'='1",
  '%',
  '_',
  '%_%',
  '\\',
  '\\\\',
  '$1',
  '::text',
  '/*',
  '*/',
  '{}',
  '[]',
  'null',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  '\u202e',
  '\ufeff',
  '🙂',
  '\r\n',
  '\t',
  'İ',
  'ß',
  '..',
  '../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as it is
  '${7*7}',
  '{{7*7}}',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  '0x10',
  'select pg_sleep(10)',
  '\\u0000',
  '[REDACTED:api_key]',
  'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz0123456789',
  'https://user:secret@example.com/',
  '(a+)+$',
  '.*',
  ...DATES,
];

const hostileChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', "'", '"', '\\', '%', '_', '\n', '\u2028') },
);

/** Texts to put in any string: NUL, lone surrogates, SQL and LIKE metacharacters, dates out of range, long ones. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TEXTS) },
  { weight: 3, arbitrary: fc.string({ unit: hostileChar, maxLength: 24 }) },
);

const hostileString: fc.Arbitrary<Json> = fc.oneof(
  { weight: 12, arbitrary: hostileText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', '\u0000', 'é', '\ud800', '🙂'), fc.constantFrom(1_000, 20_000))
      .map(([unit, times]) => new Long(unit, times)),
  },
);

const smallNumber = fc.constantFrom<Json>(-1, 0.5, 2 ** 31, 2 ** 53 + 2, 1e21, new Raw('1e400'), 'NaN');

const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    -1,
    -0.5,
    0.5,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    -(2 ** 63),
    -(2 ** 31) - 1,
    1e21,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc
    .constantFrom('1e400', '-1e400', '1e-400', '-0', '123456789012345678901234567890', '1E2', '0.1e1', '1e-7')
    .map((text) => new Raw(text)),
  fc.constantFrom<Json>(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '0x1F',
    '1_000',
    ' 1 ',
    '١٢٣',
    '-1',
    '1.5',
    '9'.repeat(400),
    new Long('9', 140_000),
    new Long('0', 20_000, '0.'),
  ),
);

const hostileKey: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '',
      '\u0000',
      'a\u0000',
      '\ud800',
      'meta.x',
      'a.b',
      '$where',
      "'",
      '"',
      'k'.repeat(1_000),
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: hostileChar, maxLength: 12 }) },
);

const DEPTHS = [8, 63, 64, 65, 100, 1_000, 5_000, 100_000];
const deepJson = fc
  .tuple(fc.constantFrom(...DEPTHS), fc.constantFrom('object' as const, 'array' as const))
  .map(([depth, shape]) => new Deep(depth, shape));

const hostileValues = new Map<number, fc.Arbitrary<Json>>();

/** Any JSON value a client might send where a field is expected: wrong types, hostile strings, deep, prototype keys. */
export function hostileValue(depth = 0): fc.Arbitrary<Json> {
  const cached = hostileValues.get(depth);
  if (cached) return cached;
  const leaves: fc.WeightedArbitrary<Json>[] = [
    { weight: 6, arbitrary: hostileString },
    { weight: 4, arbitrary: hostileNumber },
    { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], new Obj([])) },
    { weight: 1, arbitrary: deepJson },
  ];
  const arbitrary =
    depth >= 2
      ? fc.oneof(...leaves)
      : fc.oneof(
          ...leaves,
          { weight: 2, arbitrary: fc.array(hostileValue(depth + 1), { maxLength: 4 }) },
          { weight: 2, arbitrary: hostileObject(depth + 1) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.oneof(hostileText, smallNumber), fc.constantFrom(1_000, 100_000))
              .map(([item, times]) => new Many(item, times)),
          },
        );
  hostileValues.set(depth, arbitrary);
  return arbitrary;
}

function hostileObject(depth: number): fc.Arbitrary<Obj> {
  return fc.array(fc.tuple(hostileKey, hostileValue(depth)), { maxLength: 4 }).map((entries) => new Obj(entries));
}

// ---------------------------------------------------------------------------------------------------------------
// The API as its OpenAPI document describes it.

export interface Schema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}

export interface ApiRoute {
  method: string;
  /** As OpenAPI writes it: /api/v1/executions/{id}. */
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export function apiRoutes(doc: OpenApiDocument): ApiRoute[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

/** What the generators draw on besides the document: ids that exist, so requests also reach past the lookups. */
export interface Known {
  projectId: string;
  ids: string[];
  promptIds: string[];
  traceIds: string[];
  cursors: string[];
  /** Bodies for routes whose OpenAPI body leaves its items open ("executions": [{}]), by "METHOD /path". */
  itemSchemas: Record<string, Schema>;
}

/** A value the schema allows; `mixed`: with a hostile value here and there at every level below. */
function plausible(schema: Schema, known: Known, depth: number, mixed = true): fc.Arbitrary<Json> {
  const child = (sub: Schema, level: number) =>
    mixed ? fromSchema(sub, known, level) : plausible(sub, known, level, false);
  if (schema.const !== undefined) return fc.constant(schema.const as Json);
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  const branches = schema.anyOf ?? schema.oneOf;
  // Of "string or number", the number is more often right: the document shows no pattern such strings must match.
  const weightOf = (branch: Schema) => (!mixed && branch.type === 'string' && branches && branches.length > 1 ? 1 : 3);
  if (branches?.length) {
    return fc.oneof(...branches.map((branch) => ({ weight: weightOf(branch), arbitrary: child(branch, depth) })));
  }
  if (schema.allOf?.[0]) return plausible(schema.allOf[0], known, depth, mixed);
  const value = plausibleOfType(schema, known, depth, child, mixed);
  return schema.nullable ? fc.option(value, { nil: null, freq: 8 }) : value;
}

type Child = (schema: Schema, depth: number) => fc.Arbitrary<Json>;

function plausibleOfType(
  schema: Schema,
  known: Known,
  depth: number,
  child: Child,
  mixed: boolean,
): fc.Arbitrary<Json> {
  switch (schema.type) {
    case 'string':
      return plausibleString(schema, known);
    case 'integer':
    case 'number': {
      const exclusive = (bound: boolean | number | undefined) => (bound === true ? 1 : 0);
      const min = Math.max((schema.minimum ?? 0) + exclusive(schema.exclusiveMinimum), -(2 ** 31));
      const max = Math.min((schema.maximum ?? 1_000_000) - exclusive(schema.exclusiveMaximum), 2 ** 31 - 1);
      return schema.type === 'integer'
        ? fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max))
        : fc.integer({ min: 0, max: 1_000 }).map((n) => min + ((max - min) * n) / 1_000);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(child(schema.items ?? {}, depth + 1), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return plausibleObject(schema, depth, child, mixed);
    default:
      return mixed ? hostileValue(Math.min(depth, 2)) : fc.jsonValue({ maxDepth: 2 }).map(toJson);
  }
}

function plausibleString(schema: Schema, known: Known): fc.Arbitrary<Json> {
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.uuid({ version: 7 }), fc.constantFrom(...known.ids));
    case 'date-time':
      // Later than now, where some fields (an API key's expiry) must be.
      return fc
        .date({ min: new Date(Date.now() + 86_400_000), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
  }
  if (schema.pattern) {
    try {
      const pattern = new RegExp(schema.pattern);
      return fc
        .stringMatching(pattern)
        .filter((text) => text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? 200));
    } catch {
      // A pattern JavaScript cannot compile: plain text below.
    }
  }
  return fc.oneof(
    fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) }),
    fc.constantFrom(...known.promptIds),
  );
}

function plausibleObject(schema: Schema, depth: number, child: Child, mixed: boolean): fc.Arbitrary<Json> {
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {}).map(([key, property]) =>
    fc.option(
      child(property, depth + 1).map((value): [string, Json] => [key, value]),
      { nil: undefined, freq: required.has(key) ? 12 : 2 },
    ),
  );
  const open = schema.additionalProperties;
  const keys = mixed ? fc.oneof(fc.string({ maxLength: 8 }), hostileKey) : fc.string({ maxLength: 8 });
  const additional =
    open && typeof open === 'object'
      ? fc.array(fc.tuple(keys, child(open, depth + 1)), { maxLength: 3 })
      : fc.constant([]);
  const unknown = mixed
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant([]) },
        {
          weight: 1,
          arbitrary: fc.array(fc.tuple(hostileKey, hostileValue(Math.min(depth + 1, 2))), { maxLength: 2 }),
        },
      )
    : fc.constant([]);
  return fc
    .tuple(fc.tuple(...properties), additional, unknown)
    .map(
      ([known, extra, hostile]) =>
        new Obj([...known.filter((entry): entry is [string, Json] => entry !== undefined), ...extra, ...hostile]),
    );
}

function toJson(value: fc.JsonValue): Json {
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return new Obj(Object.entries(value).map(([key, item]): [string, Json] => [key, toJson(item ?? null)]));
  }
  return value;
}

/** The nodes of a value in depth-first order, each as its parent (if any) and where in it. */
function nodes(value: Json, into: { parent: Json[] | Obj; at: number }[] = []) {
  const children = value instanceof Obj ? value.entries.map(([, item]) => item) : Array.isArray(value) ? value : [];
  children.forEach((item, at) => {
    into.push({ parent: value as Json[] | Obj, at });
    nodes(item, into);
  });
  return into;
}

/** The value with one node replaced (the `pick`-th of those `eligible`, counted round), or that node's key. */
function mutateOne(
  value: Json,
  pick: number,
  eligible: (node: Json) => boolean,
  replacement: Json,
  key: string | null,
): Json {
  const candidates = nodes(value).filter(({ parent, at }) =>
    eligible(parent instanceof Obj ? (parent.entries[at]?.[1] ?? null) : (parent[at] ?? null)),
  );
  const target = candidates[pick % Math.max(candidates.length, 1)];
  if (!target) return value;
  const copy = (node: Json): Json =>
    node instanceof Obj
      ? new Obj(
          node.entries.map(([k, item], at): [string, Json] =>
            node === target.parent && at === target.at
              ? [key ?? k, key === null ? replacement : item]
              : [k, copy(item)],
          ),
        )
      : Array.isArray(node)
        ? node.map((item, at) => (node === target.parent && at === target.at ? replacement : copy(item)))
        : node;
  return copy(value);
}

/** Text PostgreSQL cannot store (NUL, unpaired surrogates) or that SQL and LIKE treat specially. */
const UNSTORABLE = ['\u0000', 'a\u0000b', '\ud800', 'a\udfffb', '\udc00\ud800', "'; select 1; --", '%_\\'];

/**
 * A body the schema allows in every place but one, so that the bad value gets as far as it can: any value made
 * hostile, or a string or key (most often) given a NUL, an unpaired surrogate or SQL.
 */
export function oneHostileValue(schema: Schema, known: Known): fc.Arbitrary<Json> {
  const anyNode = fc.tuple(
    fc.constant((_: Json) => true),
    fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: hostileValue(1) }),
  );
  const stringNode = fc.tuple(
    fc.constant((node: Json) => typeof node === 'string'),
    fc
      .tuple(fc.constantFrom(...UNSTORABLE), fc.nat({ max: 3 }))
      .map(([bad, at]) => ['', 'x', 'valid', 'text'][at] + bad),
  );
  return fc
    .tuple(
      plausible(schema, known, 0, false),
      fc.nat(),
      fc.oneof({ weight: 2, arbitrary: anyNode }, { weight: 3, arbitrary: stringNode }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...UNSTORABLE) }),
    )
    .map(([value, pick, [eligible, replacement], key]) => mutateOne(value, pick, eligible, replacement, key));
}

/** A value for the schema: mostly one it allows, sometimes one of the wrong type or a hostile one. */
export function fromSchema(schema: Schema, known: Known, depth = 0): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 6, arbitrary: plausible(schema, known, depth) },
    { weight: 1, arbitrary: hostileValue(Math.min(depth, 2)) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Requests.

/** `{key}`, `{key-1}` (one character short), `{session}` and `{csrf}` are filled in when the request is sent. */
export type Credentials =
  | 'apiKey'
  | 'session'
  | 'session without CSRF token'
  | 'session with a wrong CSRF token'
  | 'API key and session'
  | 'none'
  | { authorization: string }
  | { cookie: string };

export type Payload =
  | { json: Json }
  | { text: string }
  | { bytes: number[] }
  /** `count` gzip streams one after another, each of `gzipOfZeros` zero bytes (a bomb when large). */
  | { gzipOfZeros: number; count: number }
  | { protobuf: Pb };

export interface RequestSpec {
  /** The route (or family) it was made for, to count coverage. */
  target: string;
  method: string;
  /** Path and query as sent, percent-encoded already. */
  url: string;
  credentials: Credentials;
  headers: [string, string][];
  body?: { contentType: string | null; encoding?: string; payload: Payload };
}

const pct = (text: string): string => {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate has no UTF-8; send the bytes its generalised form (WTF-8) would have.
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(text[i] ?? '');
    }
  }
  return out;
};

const MALFORMED_ESCAPES = ['%', '%zz', '%C0%AF', '%E0%A4%A', '%ED%A0%80', '%00', '%FF', '+', '%2B', '&', '=', '%%'];

const urlText = fc.oneof(
  { weight: 5, arbitrary: hostileText.map(pct) },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES) },
);

function queryValues(schema: Schema, known: Known): fc.Arbitrary<string[]> {
  const scalar = (value: Json) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? pct(String(value)) : null;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: plausible(schema, known, 2).map((value) =>
        (Array.isArray(value) ? value : [value]).map(scalar).filter((v): v is string => v !== null),
      ),
    },
    { weight: 2, arbitrary: fc.array(urlText, { minLength: 1, maxLength: 3 }) },
  );
}

function query(route: ApiRoute, known: Known): fc.Arbitrary<string> {
  const params = route.parameters.filter((p) => p.in === 'query');
  const cursor = fc.oneof(
    fc.constantFrom(...known.cursors),
    fc.constantFrom(...known.cursors).map(tamper),
    fc.constantFrom(
      '!!!!',
      '====',
      'AAAA',
      '',
      '%00',
      b64('{"t":1e400}'),
      b64('[]'),
      b64('null'),
      b64('\u0000|\u0000'),
      b64('0000-01-01T00:00:00.000000Z|00000000-0000-0000-0000-000000000000'),
      b64('2024-13-45T99:99:99.000000Z|01900000-0000-7000-8000-000000000000'),
      b64('2024-01-01T00:00:00.000000Z|------------------------------------'),
      b64('9999-12-31T23:59:59.999999Z|ffffffff-ffff-ffff-ffff-ffffffffffff'),
      b64('01900000-0000-7000-8000-00000000000g'),
      b64('x'.repeat(150)),
    ),
  );
  const known_ = params.map((p) =>
    fc.option(
      (p.name === 'cursor' ? cursor.map((c) => [c]) : queryValues(p.schema, known)).map((values) =>
        values.map((v) => `${p.name}=${v}`),
      ),
      { nil: undefined, freq: 3 },
    ),
  );
  const metadataFilter =
    route.path === '/api/v1/executions' || route.path === '/api/v1/executions/export'
      ? fc.array(fc.tuple(urlText, urlText), { maxLength: 2 }).map((pairs) => pairs.map(([k, v]) => `meta.${k}=${v}`))
      : fc.constant([]);
  const unknown = fc.oneof(
    { weight: 5, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(urlText, urlText), { maxLength: 2 }).map((p) => p.map(([k, v]) => `${k}=${v}`)),
    },
    { weight: 1, arbitrary: fc.constantFrom(['a'], ['='], ['&&'], ['a=1&a=2&a=3'], ['limit=1&limit=2', 'q']) },
  );
  return fc.tuple(fc.tuple(...known_), metadataFilter, unknown).map(([parts, meta, extra]) => {
    const all = [...parts.flatMap((p) => p ?? []), ...meta, ...extra];
    return all.length ? `?${all.join('&')}` : '';
  });
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A cursor the API returned, with its timestamp or id changed. */
function tamper(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  return b64(text.replace(/\d/, '9').replace(/[0-9a-f]$/, 'z'));
}

const HOSTILE_SEGMENTS = [
  '',
  '%00',
  '%ED%A0%80',
  '..',
  '%2e%2e',
  '%2F',
  '%zz',
  'null',
  '-1',
  '1e400',
  "'",
  '%27%3B--',
  'a'.repeat(101),
  'a'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{01900000-0000-7000-8000-000000000000}',
  '0190000000007000800000000000000a',
  '01900000-0000-7000-8000-00000000000G',
];

function pathSegment(name: string, known: Known): fc.Arbitrary<string> {
  const plausibleValues =
    name === 'traceId' ? known.traceIds : name === 'promptId' ? known.promptIds : name === 'token' ? ['x'] : known.ids;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...plausibleValues).map(pct) },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 2, arbitrary: urlText },
  );
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH'];

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;',
  'application/json; charset="',
  'application/jsonx',
  'text/json',
  'application/vnd.api+json',
];
const OTHER_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/octet-stream',
  'application/x-protobuf',
  '',
  '*/*',
  '; ;',
];

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom<string | null>(...OTHER_TYPES, null) },
);

const BROKEN_JSON = [
  '',
  '{',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1e400}',
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":"\\x00"}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"status":"success","status":"error"}',
  'promptId=x&status=success',
  '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  ' '.repeat(10_000),
];

/** A body that is not the JSON the route wants, or no JSON at all. */
const wrongBody = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BROKEN_JSON).map((text): Payload => ({ text })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map((bytes): Payload => ({ bytes: [...bytes] })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('ff', 'c0af', 'ed a0 80', 'f4 90 80 80', 'fe ff', '00')
      .map((hex): Payload => ({ bytes: [...Buffer.from(`{"a":"${'x'.repeat(3)}`), ...hexBytes(hex), 0x22, 0x7d] })),
  },
  { weight: 2, arbitrary: hostileValue().map((json): Payload => ({ json })) },
);

function hexBytes(hex: string): number[] {
  return [...Buffer.from(hex.replaceAll(' ', ''), 'hex')];
}

const MANGLED_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'bearer {key}',
  'BEARER {key}',
  'Bearer {key}x',
  'Bearer {key-1}',
  'Bearer  {key}',
  'Basic {key}',
  'Bearer {key} {key}',
  'Token {key}',
  '{key}',
  'Bearer pl_',
  'Bearer %00',
  'Bearer \u00ff\u00fe',
  `Bearer ${'a'.repeat(5_000)}`,
  "Bearer ' or 1=1 --",
];

const MANGLED_COOKIES = [
  'promptlog_session=',
  'promptlog_session={session}x',
  'promptlog_session=garbage',
  'promptlog_session=%ZZ',
  'promptlog_session=%E0%A4%A',
  'promptlog_session="{session}"',
  'promptlog_session={session}; promptlog_session=other',
  'promptlog_session',
  '=; ;=',
  `promptlog_session=${'a'.repeat(5_000)}`,
  'promptlog_session=%00',
  'promptlog_session=\u00ff',
  '__proto__=x; constructor=y',
];

const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Credentials>('apiKey') },
  { weight: 8, arbitrary: fc.constant<Credentials>('session') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Credentials>(
      'session without CSRF token',
      'session with a wrong CSRF token',
      'API key and session',
      'none',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MANGLED_AUTHORIZATION).map((authorization) => ({ authorization })) },
  { weight: 1, arbitrary: fc.constantFrom(...MANGLED_COOKIES).map((cookie) => ({ cookie })) },
);

const latin1 = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

const hostileHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'x-csrf-token',
      'accept',
      'last-event-id',
      'x-forwarded-for',
      'x-forwarded-proto',
      'origin',
      'if-none-match',
      'if-modified-since',
      'accept-language',
      'user-agent',
      'referer',
    ),
    hostileText.map(latin1),
  ),
  fc.constantFrom<[string, string]>(
    ['accept', 'text/event-stream'],
    ['accept', 'application/x-protobuf'],
    ['accept-encoding', 'gzip, br, zstd, x-garbage'],
    ['range', 'bytes=0-0'],
    ['range', 'bytes=-1'],
    ['range', 'bytes=999999999-'],
    ['range', 'bytes=a-b'],
    ['range', `bytes=${Array.from({ length: 200 }, (_, i) => `${i}-${i}`).join(',')}`],
    ['if-none-match', '*'],
    ['if-modified-since', 'Thu, 01 Jan 2099 00:00:00 GMT'],
    ['content-encoding', 'gzip'],
    ['content-encoding', 'br'],
    ['content-encoding', 'GZIP'],
    ['content-encoding', 'gzip, gzip'],
    ['content-encoding', 'x-garbage'],
    ['expect', '100-continue'],
    ['x-http-method-override', 'DELETE'],
    ['host', 'evil.example:99999'],
    ['x-long', 'a'.repeat(20_000)],
    ['cookie', 'a=1; b=2; promptlog_session=x; promptlog_session=y'],
  ),
);

const headers = fc.oneof(
  { weight: 6, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 1, arbitrary: fc.array(hostileHeader, { minLength: 1, maxLength: 3 }) },
);

/**
 * Requests for one route of the OpenAPI document: half of them well-formed but for one hostile value (in the body,
 * the query or the path) sent with valid credentials, so it gets as far into the server as it can; the others
 * hostile anywhere: method, path, query, credentials, headers, content type and body.
 */
export function routeRequests(route: ApiRoute, known: Known): fc.Arbitrary<RequestSpec> {
  return fc.oneof(oneBadValueRequests(route, known), mixedRequests(route, known));
}

function routeUrl(route: ApiRoute, segments: string[], query: string[]): string {
  let i = 0;
  const path = route.path.replace(/\{\w+\}/g, () => segments[i++] ?? '');
  return query.length ? `${path}?${query.join('&')}` : path;
}

function plausibleSegment(name: string, known: Known): fc.Arbitrary<string> {
  const values = name === 'traceId' ? known.traceIds : name === 'promptId' ? known.promptIds : known.ids;
  return fc.oneof(fc.constantFrom(...values), fc.uuid({ version: 7 }));
}

const queryText = (value: Json) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [pct(String(value))] : [];

function oneBadValueRequests(route: ApiRoute, known: Known): fc.Arbitrary<RequestSpec> {
  const name = `${route.method} ${route.path}`;
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const queryParams = route.parameters.filter((p) => p.in === 'query' && p.name !== 'projectId');
  const bodySchema = known.itemSchemas[name] ?? route.body;
  const query = fc
    .tuple(
      fc.option(fc.constant(`projectId=${known.projectId}`), { nil: undefined }),
      ...queryParams.map((p) =>
        fc.option(
          plausible(p.schema, known, 2, false).map((v) => queryText(Array.isArray(v) ? (v[0] ?? '') : v)),
          {
            nil: undefined,
            freq: 2,
          },
        ),
      ),
    )
    .map(([project, ...values]) => [
      ...(project ? [project] : []),
      ...values.flatMap((v, i) => (v ?? []).map((text) => `${queryParams[i]?.name}=${text}`)),
    ]);
  const badText = fc.oneof(fc.constantFrom(...UNSTORABLE), hostileText).map(pct);
  const where = fc.constantFrom(
    ...(bodySchema ? ['body', 'body', 'body'] : []),
    ...(queryParams.length ? ['query'] : []),
    ...(pathParams.length ? ['path'] : []),
    ...(route.path === '/api/v1/executions' || route.path === '/api/v1/executions/export' ? ['meta'] : []),
    'query',
  );
  return fc
    .record({
      where,
      credentials: route.path.startsWith('/api/auth/logout')
        ? fc.constant<Credentials>('apiKey')
        : fc.constantFrom<Credentials>('apiKey', 'session'),
      segments: fc.tuple(...pathParams.map((param) => plausibleSegment(param, known))),
      query,
      body: bodySchema ? plausible(bodySchema, known, 0, false) : fc.constant(undefined),
      badBody: bodySchema ? oneHostileValue(bodySchema, known) : fc.constant(undefined),
      badText,
      pick: fc.nat(),
    })
    .map(
      ({
        where: place,
        credentials: creds,
        segments,
        query: search,
        body,
        badBody,
        badText: bad,
        pick,
      }): RequestSpec => {
        const param = queryParams[pick % Math.max(queryParams.length, 1)]?.name ?? 'q';
        const params =
          place === 'query'
            ? [...search, `${param}=${bad}`]
            : place === 'meta'
              ? [...search, `meta.${bad}=${bad}`]
              : search;
        const path = place === 'path' ? segments.map((s, i) => (i === pick % segments.length ? bad : s)) : segments;
        const json = place === 'body' ? badBody : body;
        return {
          target: name,
          method: route.method,
          url: routeUrl(route, path, params),
          credentials: creds,
          headers: [],
          body: json === undefined ? undefined : { contentType: 'application/json', payload: { json } },
        };
      },
    );
}

function mixedRequests(route: ApiRoute, known: Known): fc.Arbitrary<RequestSpec> {
  const name = `${route.method} ${route.path}`;
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const bodySchema = known.itemSchemas[name] ?? route.body;
  const body = fc.oneof(
    {
      weight: bodySchema ? 12 : 1,
      arbitrary: fc
        .tuple(contentType, bodySchema ? fromSchema(bodySchema, known) : hostileValue())
        .map(([type, json]) => ({ contentType: type, payload: { json } as Payload })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(contentType, wrongBody).map(([type, payload]) => ({ contentType: type, payload })),
    },
    { weight: bodySchema ? 1 : 12, arbitrary: fc.constant(undefined) },
  );
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      segments: fc.tuple(...pathParams.map((param) => pathSegment(param, known))),
      query: query(route, known),
      credentials: route.path.startsWith('/api/auth/logout')
        ? credentials.filter((c) => c !== 'session' && c !== 'API key and session')
        : credentials,
      headers,
      body,
    })
    .map(({ method, segments, query: search, credentials: creds, headers: extra, body: sent }) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\}/g, () => segments[i++] ?? '');
      return { target: name, method, url: path + search, credentials: creds, headers: extra, body: sent };
    });
}

/**
 * Executions: the ingest routes with one payload field nested deep (up to 100,000 levels), over-long or beyond the
 * body limit, and numbers and dates at the edges of what the database holds.
 */
export function ingestRequests(known: Known, execution: Schema): fc.Arbitrary<RequestSpec> {
  const field = fc.constantFrom('inputs', 'metadata', 'output', 'request', 'thinking', 'toolCalls', 'error');
  const deep = fc
    .tuple(field, fc.constantFrom(...DEPTHS), fc.constantFrom('object' as const, 'array' as const))
    .map(([key, depth, shape]): [string, Json] => {
      const nested = new Deep(depth, shape);
      if (key === 'inputs' || key === 'metadata') return [key, obj({ nested })];
      if (key === 'request') return [key, obj({ messages: [nested], parameters: obj({ nested }) })];
      if (key === 'thinking') return [key, [nested]];
      if (key === 'toolCalls') return [key, [obj({ round: 0, name: 't', arguments: nested, result: nested })]];
      if (key === 'error') return [key, obj({ message: 'x', stack: nested })];
      return [key, nested];
    });
  const big = fc
    .tuple(field, fc.constantFrom(100_000, 2_500_000, 11_000_000))
    .map(([key, bytes]): [string, Json] =>
      key === 'inputs' || key === 'metadata'
        ? [key, obj({ big: new Long('x', bytes) })]
        : key === 'toolCalls'
          ? [key, new Many(obj({ round: 0, name: 't', arguments: 'x'.repeat(100) }), Math.ceil(bytes / 130))]
          : [key, new Long('x', bytes)],
    );
  const edge = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'),
        hostileNumber,
      )
      .map(([key, n]): [string, Json] => ['usage', obj({ [key]: n })]),
    fc
      .tuple(
        fc.constantFrom('latencyMs', 'timeToFirstTokenMs', 'attempt', 'generation', 'promptVersion', 'costUsd'),
        hostileNumber,
      )
      .map(([key, n]): [string, Json] => [key, n]),
    fc
      .tuple(fc.constantFrom('startedAt', 'endedAt'), fc.constantFrom(...DATES))
      .map(([key, d]): [string, Json] => [key, d]),
    fc.constantFrom<[string, Json]>(
      ['latencyMs', 2 ** 31 - 1],
      ['endedAt', '0001-01-01T00:00:00Z'],
      ['trace', obj({ traceId: 'x', stepIndex: 2 ** 31 })],
      ['toolCalls', [obj({ round: 2 ** 31, name: 'x', arguments: null, latencyMs: 2 ** 40 })]],
    ),
  );
  const base = (fields: [string, Json][]) =>
    new Obj([
      ['promptId', 'reliability'],
      ['status', 'success'],
      ['source', obj({ type: 'api' })],
      ['model', 'gpt-4o'],
      ...fields,
    ]);
  return fc
    .record({
      route: fc.constantFrom('single', 'batch', 'patch'),
      fields: fc.array(
        fc.oneof({ arbitrary: deep, weight: 6 }, { arbitrary: big, weight: 1 }, { arbitrary: edge, weight: 12 }),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
      others: fc.array(fromSchema(execution, known), { maxLength: 2 }),
    })
    .map(({ route, fields, others }): RequestSpec => {
      const record = base(fields);
      const payload: Payload =
        route === 'batch'
          ? { json: obj({ executions: [record, ...others] }) }
          : route === 'patch'
            ? { json: new Obj([['status', 'success'], ...fields]) }
            : { json: record };
      return {
        target: `ingest (${route})`,
        method: route === 'patch' ? 'PATCH' : 'POST',
        url:
          route === 'batch'
            ? '/api/v1/executions/batch'
            : route === 'patch'
              ? `/api/v1/executions/${known.ids[0] ?? ''}`
              : '/api/v1/executions',
        credentials: 'apiKey',
        headers: [],
        body: { contentType: 'application/json', payload },
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// OTLP: JSON and protobuf exports with hostile spans and attribute values, deep nesting and gzip bombs.

const OTLP_KEYS = [
  'gen_ai.system',
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'llm.input_messages.0.message.content',
  'llm.invocation_parameters',
  'llm.prompt_template.variables',
  'input.value',
  'output.value',
  'ai.prompt.messages',
  'ai.response.text',
  'openinference.span.kind',
  'promptlog.prompt_id',
  'promptlog.metadata.x',
  'traceloop.prompt.template_variables.x',
  'exception.stacktrace',
  'llm.input_messages.__proto__.environment',
  'llm.output_messages.0.__proto__.provider',
  'gen_ai.prompt.__proto__.environment',
  'llm.tools.constructor.prototype.environment',
  'traceloop.prompt.template_variables.__proto__',
  '__proto__',
];

/** Keys the OTLP mappers split at dots: thousands of segments. */
const SPLIT_KEYS: Json[] = [
  new Long('0.', 20_000, 'llm.input_messages.'),
  new Long('a.', 20_000, 'gen_ai.prompt.'),
  new Long('__proto__.', 2_000, 'llm.tools.'),
];

const anyValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: hostileString.map((s) => obj({ stringValue: s })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '[{"role":"user","content":"hi"}]',
          '{"a":[1,2]}',
          '[{"role":"assistant","parts":[{"type":"text"}]}]',
        )
        .map((s) => obj({ stringValue: s })),
    },
    { weight: 1, arbitrary: fc.boolean().map((b) => obj({ boolValue: b })) },
    { weight: 2, arbitrary: hostileNumber.map((n) => obj({ intValue: n })) },
    { weight: 1, arbitrary: hostileNumber.map((n) => obj({ doubleValue: n })) },
    { weight: 1, arbitrary: hostileText.map((s) => obj({ bytesValue: s })) },
    {
      weight: 1,
      arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((values) => obj({ arrayValue: obj({ values }) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...OTLP_KEYS), hostileKey), tie('value')), { maxLength: 3 })
        .map((kvs) => obj({ kvlistValue: obj({ values: kvs.map(([key, value]) => obj({ key, value })) }) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(64, 1_000, 5_000, 100_000), fc.constantFrom('otlpArray' as const, 'otlpKvlist' as const))
        .map(([depth, shape]) => new Deep(depth, shape)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(64, 1_000, 5_000, 100_000), fc.constantFrom('object' as const, 'array' as const))
        .map(([depth, shape]) => obj({ stringValue: new Deep(depth, shape, true) })),
    },
    { weight: 1, arbitrary: hostileValue(1) },
  ),
})).value;

const attributes = fc.array(
  fc.tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<Json>(...OTLP_KEYS) },
      { weight: 2, arbitrary: hostileKey.map((key): Json => key) },
      { weight: 1, arbitrary: fc.constantFrom(...SPLIT_KEYS) },
    ),
    anyValue,
  ),
  { maxLength: 5 },
);

const hexId = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const nanos = fc.oneof(
  fc.bigInt({ min: 1_600_000_000_000_000_000n, max: 1_900_000_000_000_000_000n }).map((n) => n.toString()),
  hostileNumber,
);

const otlpSpan = fc
  .record({
    traceId: fc.oneof({ weight: 4, arbitrary: hexId(16) }, { weight: 1, arbitrary: hostileString }),
    spanId: fc.oneof({ weight: 4, arbitrary: hexId(8) }, { weight: 1, arbitrary: hostileString }),
    parentSpanId: fc.option(fc.oneof(hexId(8), hostileString), { nil: undefined }),
    name: hostileString,
    kind: fc.oneof(fc.integer({ min: 0, max: 5 }), hostileNumber),
    startTimeUnixNano: nanos,
    endTimeUnixNano: nanos,
    attributes,
    status: fc.option(
      fc.record({
        code: fc.oneof(fc.constantFrom<Json>(0, 1, 2, 'STATUS_CODE_ERROR'), hostileNumber),
        message: hostileString,
      }),
      { nil: undefined },
    ),
  })
  .map(({ attributes: attrs, status, parentSpanId, ...span }) =>
    obj({
      ...span,
      ...(parentSpanId === undefined ? {} : { parentSpanId }),
      ...(status ? { status: obj(status) } : {}),
      attributes: attrs.map(([key, value]) => obj({ key, value })),
    }),
  );

const otlpJson = fc.tuple(fc.array(otlpSpan, { minLength: 1, maxLength: 3 }), attributes).map(([spans, resource]) =>
  obj({
    resourceSpans: [
      obj({
        resource: obj({ attributes: resource.map(([key, value]) => obj({ key, value })) }),
        scopeSpans: [obj({ scope: obj({ name: 'fuzz' }), spans })],
      }),
    ],
  }),
);

/** A protobuf message as fields: varints, or length-delimited bytes, text or nested messages. */
export type Pb = PbField[] | { deep: number; shape: 'array' | 'kvlist' };
export type PbField = [number, number | bigint | string | number[] | PbField[]];

/** One LLM span in protobuf, its attribute nesting `depth` levels deep. */
function deepProtobufExport(depth: number, shape: 'array' | 'kvlist'): Uint8Array {
  const leaf = pbEncode([[1, 'x']]);
  // Each level: AnyValue{array_value(5)=ArrayValue{values(1)=inner}} or AnyValue{kvlist_value(6)=KeyValueList{values(1)=KeyValue{key(1)="a",value(2)=inner}}}.
  const lengths: number[] = [leaf.length];
  for (let level = 0; level < depth; level++) {
    const inner = lengths[lengths.length - 1] ?? 0;
    const list =
      shape === 'array'
        ? 1 + varintLength(inner) + inner
        : 1 + varintLength(3 + 1 + varintLength(inner) + inner) + 3 + 1 + varintLength(inner) + inner;
    lengths.push(1 + varintLength(list) + list);
  }
  const total = lengths[lengths.length - 1] ?? 0;
  const out = Buffer.alloc(total);
  let at = 0;
  const write = (byte: number) => {
    out[at++] = byte;
  };
  const writeVarint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      write((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    write(v);
  };
  for (let level = depth; level > 0; level--) {
    const inner = lengths[level - 1] ?? 0;
    if (shape === 'array') {
      write(0x2a);
      writeVarint(1 + varintLength(inner) + inner);
      write(0x0a);
      writeVarint(inner);
    } else {
      const keyValue = 3 + 1 + varintLength(inner) + inner;
      write(0x32);
      writeVarint(1 + varintLength(keyValue) + keyValue);
      write(0x0a);
      writeVarint(keyValue);
      write(0x0a);
      write(1);
      write(0x61);
      write(0x12);
      writeVarint(inner);
    }
  }
  out.set(leaf, at);
  const value = out;
  const span = pbEncode([
    [1, [...Buffer.alloc(16, 1)]],
    [2, [...Buffer.alloc(8, 2)]],
    [5, 'chat'],
    [7, 1_700_000_000_000_000_000n],
    [8, 1_700_000_001_000_000_000n],
    [
      9,
      [
        [1, 'gen_ai.system'],
        [2, [[1, 'openai']]],
      ],
    ],
    [
      9,
      [
        [1, 'gen_ai.request.model'],
        [2, [[1, 'gpt-4o']]],
      ],
    ],
    [
      9,
      [
        [1, 'gen_ai.prompt'],
        [2, [...value]],
      ],
    ],
  ]);
  return pbEncode([[1, [[2, [[2, [...span]]]]]]]);
}

function varintLength(value: number): number {
  let length = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) length++;
  return length;
}

function pbEncode(fields: PbField[]): Uint8Array {
  const parts: number[] = [];
  const varint = (value: bigint) => {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    parts.push(Number(v));
  };
  for (const [field, value] of fields) {
    if (typeof value === 'number' || typeof value === 'bigint') {
      varint(BigInt(field << 3));
      varint(BigInt(value));
      continue;
    }
    const bytes =
      typeof value === 'string'
        ? [...Buffer.from(value)]
        : value.length > 0 && Array.isArray(value[0])
          ? [...pbEncode(value as PbField[])]
          : (value as number[]);
    varint(BigInt((field << 3) | 2));
    varint(BigInt(bytes.length));
    for (const byte of bytes) parts.push(byte);
  }
  return Uint8Array.from(parts);
}

const pbText = fc.oneof(
  hostileText,
  fc.constantFrom('gen_ai.system', 'gen_ai.request.model', 'gen_ai.prompt', 'gen_ai.usage.input_tokens'),
);
const pbAnyValue: fc.Arbitrary<PbField[]> = fc.letrec<{ value: PbField[] }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    pbText.map((s): PbField[] => [[1, s]]),
    fc.uint8Array({ maxLength: 8 }).map((b): PbField[] => [[1, [...b]]]),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map((n): PbField[] => [[3, n]]),
    fc.array(tie('value'), { maxLength: 3 }).map((values): PbField[] => [[5, values.map((v): PbField => [1, v])]]),
    fc.array(fc.tuple(pbText, tie('value')), { maxLength: 3 }).map((kvs): PbField[] => [
      [
        6,
        kvs.map(
          ([k, v]): PbField => [
            1,
            [
              [1, k],
              [2, v],
            ],
          ],
        ),
      ],
    ]),
  ),
})).value;

const pbSpan = fc
  .record({
    traceId: fc.uint8Array({ minLength: 0, maxLength: 20 }),
    spanId: fc.uint8Array({ minLength: 0, maxLength: 10 }),
    name: pbText,
    start: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    end: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    attributes: fc.array(fc.tuple(pbText, pbAnyValue), { maxLength: 4 }),
  })
  .map(({ traceId, spanId, name, start, end, attributes: attrs }): PbField[] => [
    [1, [...traceId]],
    [2, [...spanId]],
    [5, name],
    [7, start],
    [8, end],
    ...attrs.map(
      ([key, value]): PbField => [
        9,
        [
          [1, key],
          [2, value],
        ],
      ],
    ),
  ]);

const protobufPayload: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 6, arbitrary: pbSpan.map((span): Payload => ({ protobuf: [[1, [[2, [[2, span]]]]]] })) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b): Payload => ({ bytes: [...b] })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(64, 65, 1_000, 1_000, 5_000, 100_000),
        fc.constantFrom('array' as const, 'kvlist' as const),
      )
      .map(([deep, shape]): Payload => ({ protobuf: { deep, shape } })),
  },
);

export function otlpRequests(): fc.Arbitrary<RequestSpec> {
  const json = fc.tuple(
    fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8'),
    fc.oneof(
      { weight: 4, arbitrary: otlpJson.map((j): Payload => ({ json: j })) },
      { weight: 1, arbitrary: wrongBody },
    ),
  );
  const protobuf = fc.tuple(fc.constant<string | null>('application/x-protobuf'), protobufPayload);
  const other = fc.tuple(fc.constantFrom<string | null>(...OTHER_TYPES, null), wrongBody);
  const bomb = fc.tuple(
    fc.constantFrom<string | null>('application/json', 'application/x-protobuf'),
    fc.constantFrom<Payload>(
      { gzipOfZeros: 50_000_000, count: 1 },
      { gzipOfZeros: 10_000_000, count: 100 },
      { gzipOfZeros: 1_000, count: 1 },
    ),
  );
  return fc
    .record({
      sent: fc.oneof(
        { weight: 18, arbitrary: json.map((s) => ({ sent: s, bomb: false })) },
        { weight: 12, arbitrary: protobuf.map((s) => ({ sent: s, bomb: false })) },
        { weight: 3, arbitrary: other.map((s) => ({ sent: s, bomb: false })) },
        { weight: 1, arbitrary: bomb.map((s) => ({ sent: s, bomb: true })) },
      ),
      encoding: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constant('gzip') },
        { weight: 1, arbitrary: fc.constantFrom('deflate', 'br', 'GZIP', 'gzip, gzip', 'identity', 'x-garbage') },
      ),
      credentials: fc.oneof(
        { weight: 8, arbitrary: fc.constant<Credentials>('apiKey') },
        { weight: 1, arbitrary: credentials },
      ),
    })
    .map(
      ({
        sent: {
          sent: [type, payload],
          bomb: isBomb,
        },
        encoding,
        credentials: creds,
      }): RequestSpec => ({
        target: 'POST /api/otel/v1/traces',
        method: 'POST',
        url: '/api/otel/v1/traces',
        credentials: creds,
        headers: [],
        body: { contentType: type, encoding: isBomb ? 'gzip' : encoding, payload },
      }),
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Paths outside the API: the web app's files and whatever a scanner tries.

export function staticRequests(assetPath: string): fc.Arbitrary<RequestSpec> {
  const path = fc.oneof(
    fc.constantFrom(
      '/',
      '/logs',
      '/index.html',
      assetPath,
      `${assetPath}?v=1`,
      `${assetPath}/..`,
      '/assets/',
      '/assets/missing.js',
      '/assets/../../../../etc/passwd',
      '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/%00',
      '/assets/%ED%A0%80',
      '/%',
      '//',
      '//evil.example',
      '/\\evil',
      '/.env',
      '/.git/config',
      '/api',
      '/api/',
      '/api/nope',
      '/api/v1/nope',
      '/api/docs',
      '/api/docs/',
      '/api/docs/json',
      '/api/docs/yaml',
      '/api/docs/static/index.html',
      '/api/docs/static/../../../../etc/passwd',
      `/${'a'.repeat(20_000)}`,
      `/assets/${'a/'.repeat(2_000)}`,
      '/favicon.ico',
      '/*',
      '/?',
      '/#',
    ),
    urlText.map((segment) => `/${segment}`),
    urlText.map((segment) => `/assets/${segment}`),
  );
  return fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant('GET') },
        { weight: 2, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path,
      credentials: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Credentials>('none') },
        { weight: 1, arbitrary: credentials },
      ),
      headers,
    })
    .map(({ method, path: url, credentials: creds, headers: extra }) => ({
      target: 'static files and unknown paths',
      method,
      url,
      credentials: creds,
      headers: extra,
    }));
}

/** A place in a body: a property, an array item, or a new key of an open object (a record). */
type Step = string | number | { newKey: true };

/** Every place in a schema that holds text: string properties and items, and the keys of records. */
function textPlaces(schema: Schema, path: Step[] = [], depth = 0): Step[][] {
  if (depth > 6) return [];
  const branches = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (branches) return branches.flatMap((branch) => textPlaces(branch, path, depth + 1));
  if (schema.type === 'string' && !schema.enum) return [path];
  if (schema.type === 'array') return textPlaces(schema.items ?? {}, [...path, 0], depth + 1);
  if (schema.type !== 'object') return [];
  const open = typeof schema.additionalProperties === 'object' ? [[...path, { newKey: true as const }]] : [];
  return [
    ...open,
    ...Object.entries(schema.properties ?? {}).flatMap(([key, sub]) => textPlaces(sub, [...path, key], depth + 1)),
  ];
}

/** The value with `text` put at the place (creating what is missing on the way). */
function putText(value: Json, path: Step[], text: string): Json {
  const [step, ...rest] = path;
  if (step === undefined) return text;
  if (typeof step === 'number') {
    const items = Array.isArray(value) ? [...value] : [];
    items[0] = putText(items[0] ?? null, rest, text);
    return items;
  }
  const entries = value instanceof Obj ? [...value.entries] : [];
  if (typeof step === 'object') return new Obj([...entries, [text, 'value']]);
  const at = entries.findIndex(([key]) => key === step);
  const entry: [string, Json] = [step, putText(at === -1 ? null : (entries[at]?.[1] ?? null), rest, text)];
  if (at === -1) entries.push(entry);
  else entries[at] = entry;
  return new Obj(entries);
}

/**
 * Every text field of every route's body (object keys of records too), and every query parameter, given a NUL, an
 * unpaired surrogate or SQL in an otherwise well-formed request with valid credentials.
 */
export function everyTextField(routes: ApiRoute[], known: Known): fc.Arbitrary<RequestSpec> {
  const places = routes.flatMap((route) => {
    const schema = known.itemSchemas[`${route.method} ${route.path}`] ?? route.body;
    const body = schema ? textPlaces(schema).map((path) => ({ route, schema, path, inQuery: false })) : [];
    const query = route.parameters
      .filter((p) => p.in === 'query')
      .map((p) => ({ route, schema, path: [p.name] as Step[], inQuery: true }));
    return [...body, ...query];
  });
  return fc.constantFrom(...places).chain(({ route, schema, path, inQuery }) =>
    fc
      .record({
        text: fc.tuple(fc.constantFrom('', 'x'), fc.constantFrom(...UNSTORABLE)).map(([before, bad]) => before + bad),
        credentials: fc.constantFrom<Credentials>('apiKey', 'session'),
        segments: fc.tuple(...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => plausibleSegment(m[1] ?? '', known))),
        body: schema ? plausible(schema, known, 0, false) : fc.constant(undefined),
      })
      .map(({ text, credentials: creds, segments, body }): RequestSpec => {
        const json = body !== undefined && !inQuery ? putText(body, path, text) : body;
        const name = String(path[0]);
        return {
          target: `${route.method} ${route.path}`,
          method: route.method,
          url: routeUrl(route, segments, inQuery ? [`${name}=${pct(text)}`] : []),
          credentials: route.path.startsWith('/api/auth/logout') ? 'apiKey' : creds,
          headers: [],
          body: json === undefined ? undefined : { contentType: 'application/json', payload: { json } },
        };
      }),
  );
}

/** URLs and headers past what the server reads (16 KiB of headers, 100-character path parameters). */
export function oversizedRequests(routes: ApiRoute[]): fc.Arbitrary<RequestSpec> {
  return fc
    .record({
      route: fc.constantFrom(...routes),
      where: fc.constantFrom('query', 'header', 'path', 'headers'),
      size: fc.constantFrom(8_000, 17_000, 70_000),
    })
    .map(({ route, where, size }): RequestSpec => {
      const path = route.path.replace(/\{\w+\}/g, where === 'path' ? 'a'.repeat(size) : 'x');
      return {
        target: 'oversized URLs and headers',
        method: route.method,
        url: where === 'query' ? `${path}?q=${'a'.repeat(size)}` : path,
        credentials: 'apiKey',
        headers:
          where === 'header'
            ? [['x-padding', 'a'.repeat(size)]]
            : where === 'headers'
              ? Array.from({ length: Math.ceil(size / 1_000) }, (_, i): [string, string] => [
                  `x-h${i}`,
                  'a'.repeat(990),
                ])
              : [],
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Sending, and judging the answer.

export interface Identity {
  apiKey: string;
  sessionToken: string;
  csrfToken: string;
}

export interface Answer {
  /** 0: the connection was closed before an answer came. */
  status: number;
  contentType: string;
  body: string;
  /** The size of the request body, and of its URL and headers. */
  sentBytes: number;
  headerBytes: number;
}

const gzipped = new Map<string, Buffer>();

function payloadBytes(payload: Payload): Buffer {
  if ('json' in payload) return Buffer.from(jsonText(payload.json));
  if ('text' in payload) return Buffer.from(payload.text);
  if ('bytes' in payload) return Buffer.from(payload.bytes);
  if ('protobuf' in payload) {
    const pb = payload.protobuf;
    return Buffer.from(Array.isArray(pb) ? pbEncode(pb) : deepProtobufExport(pb.deep, pb.shape));
  }
  const key = `${payload.gzipOfZeros}×${payload.count}`;
  let bomb = gzipped.get(key);
  if (!bomb) {
    const member = gzipSync(Buffer.alloc(payload.gzipOfZeros), { level: 9 });
    bomb = Buffer.concat(new Array<Buffer>(payload.count).fill(member));
    gzipped.set(key, bomb);
  }
  return bomb;
}

function fill(template: string, identity: Identity): string {
  return template
    .replaceAll('{key-1}', identity.apiKey.slice(0, -1))
    .replaceAll('{key}', identity.apiKey)
    .replaceAll('{session}', identity.sessionToken)
    .replaceAll('{csrf}', identity.csrfToken);
}

function credentialHeaders(credentials: Credentials, identity: Identity): [string, string][] {
  const cookie = `promptlog_session=${identity.sessionToken}`;
  if (typeof credentials === 'object') {
    return 'authorization' in credentials
      ? [['authorization', fill(credentials.authorization, identity)]]
      : [['cookie', fill(credentials.cookie, identity)]];
  }
  switch (credentials) {
    case 'apiKey':
      return [['authorization', `Bearer ${identity.apiKey}`]];
    case 'session':
      return [
        ['cookie', cookie],
        ['x-csrf-token', identity.csrfToken],
      ];
    case 'session without CSRF token':
      return [['cookie', cookie]];
    case 'session with a wrong CSRF token':
      return [
        ['cookie', cookie],
        ['x-csrf-token', `${identity.csrfToken.slice(1)}x`],
      ];
    case 'API key and session':
      return [
        ['authorization', `Bearer ${identity.apiKey}`],
        ['cookie', cookie],
        ['x-csrf-token', identity.csrfToken],
      ];
    case 'none':
      return [];
  }
}

const MAX_BODY_READ = 4 * 1024 * 1024;

/** Sends the request and reads at most 4 MiB of the answer (an event stream is cut off once it has begun). */
export function send(baseUrl: string, spec: RequestSpec, identity: Identity): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const existing = name === 'host' ? undefined : headers[name];
    headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  for (const [name, value] of credentialHeaders(spec.credentials, identity)) add(name, value);
  for (const [name, value] of spec.headers) add(name, fill(value, identity));
  let body: Buffer | undefined;
  if (spec.body) {
    const raw = payloadBytes(spec.body.payload);
    const gzip = spec.body.encoding?.toLowerCase().includes('gzip') && !('gzipOfZeros' in spec.body.payload);
    body = gzip ? gzipSync(raw) : raw;
    if (spec.body.contentType !== null) add('content-type', spec.body.contentType);
    if (spec.body.encoding) add('content-encoding', spec.body.encoding);
    headers['content-length'] = String(body.length);
  }
  const url = new URL(baseUrl);
  const sentBytes = body?.length ?? 0;
  const headerBytes =
    spec.url.length +
    Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + String(value).length, 0);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: spec.method,
        path: spec.url,
        headers,
        agent: false,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        const contentType = String(res.headers['content-type'] ?? '');
        const finish = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, contentType, body: text, sentBytes, headerBytes });
        };
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          finish();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length <= MAX_BODY_READ) chunks.push(chunk);
        });
        res.on('end', finish);
        res.on('error', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // HPE_*: Node's parser answered past-limit headers with a body, even to HEAD.
      const closed = error.code === 'EPIPE' || error.code === 'ECONNRESET' || error.code?.startsWith('HPE_');
      if (!closed) reject(error);
      // The answer, if any, may still be on its way when the write fails.
      else
        setTimeout(() => resolve({ status: 0, contentType: '', body: error.code ?? '', sentBytes, headerBytes }), 200);
    });
    req.end(body);
  });
}

const INTERNALS = /Failed query|\bselect\b[\s\S]*\bfrom\b|\binsert into\b|\n\s+at |node_modules|\.ts:\d+/i;

/**
 * What is wrong with the answer, or null: a 5xx, a closed connection, or a 4xx whose body does not say what was
 * wrong (and where). A server answering before it has read a large body, or refusing headers past Node's 16 KiB,
 * closes the connection while the client may still be sending, and the answer can be lost in the reset; on no other
 * request may the connection close without an answer.
 */
export function problemWith(spec: RequestSpec, answer: Answer): string | null {
  if (answer.status === 0) {
    const unread = answer.sentBytes >= 1024 * 1024 || answer.headerBytes >= 16 * 1024;
    return unread ? null : `the connection was closed (${answer.body}) without an answer`;
  }
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400 || spec.method === 'HEAD') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    if (spec.url.startsWith('/api/otel/') && answer.contentType.startsWith('application/x-protobuf')) {
      return answer.body.length > 0 ? null : `answered ${answer.status} with an empty google.rpc.Status`;
    }
    return `answered ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  const { error, code, message } = (parsed ?? {}) as { error?: unknown; code?: unknown; message?: unknown };
  if (spec.url.startsWith('/api/otel/') && typeof code === 'number') {
    return typeof message === 'string' && message.trim()
      ? leaks(message, answer)
      : `answered ${answer.status} without a message`;
  }
  if (typeof error === 'string' && typeof message === 'string' && message && [400, 408, 431].includes(answer.status)) {
    // Answered by Fastify's client error handler, from Node's HTTP parser, before any route or error handler runs.
    return null;
  }
  if (typeof error !== 'object' || error === null) {
    return `answered ${answer.status} without { error: { code, message } }: ${answer.body.slice(0, 300)}`;
  }
  const e = error as { code?: unknown; message?: unknown; issues?: unknown };
  if (typeof e.code !== 'string' || !e.code)
    return `answered ${answer.status} without an error code: ${answer.body.slice(0, 300)}`;
  if (typeof e.message !== 'string' || !e.message.trim()) {
    return `answered ${answer.status} without an error message: ${answer.body.slice(0, 300)}`;
  }
  if (e.code === 'validation_failed') {
    const issues = Array.isArray(e.issues) ? (e.issues as { path?: unknown; message?: unknown }[]) : [];
    if (
      issues.length === 0 ||
      issues.some((i) => typeof i.path !== 'string' || !i.path || typeof i.message !== 'string' || !i.message)
    ) {
      return `answered ${answer.status} validation_failed without issues that name a path: ${answer.body.slice(0, 300)}`;
    }
  }
  return leaks(e.message, answer);
}

function leaks(message: string, answer: Answer): string | null {
  return INTERNALS.test(message)
    ? `answered ${answer.status} with internals in the message: ${message.slice(0, 300)}`
    : null;
}

/** One line for a report: the request without its bulk. */
export function describeRequest(spec: RequestSpec): string {
  const url = spec.url.length > 200 ? `${spec.url.slice(0, 200)}…(${spec.url.length} chars)` : spec.url;
  const body = spec.body
    ? ` ${spec.body.contentType ?? '(no content-type)'}${spec.body.encoding ? ` ${spec.body.encoding}` : ''} ${fc.stringify(spec.body.payload).slice(0, 300)}`
    : '';
  return `${spec.method} ${url} as ${fc.stringify(spec.credentials)}${spec.headers.length ? ` +${spec.headers.map(([n]) => n).join(',')}` : ''}${body}`;
}
