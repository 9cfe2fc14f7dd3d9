import type { Attributes, AttributeValue, OtlpSpan } from './otlp-model';

/** Where promptlog.* attributes may also arrive: the AI SDK passes telemetry metadata under this prefix. */
const AI_SDK_METADATA = 'ai.telemetry.metadata.';

/** Reads one span's attributes, with its resource's attributes behind them. */
export class SpanView {
  private sortedKeys: string[] | undefined;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly span: OtlpSpan,
    readonly resource: Attributes,
  ) {}

  get(key: string): AttributeValue | undefined {
    return this.span.attributes[key];
  }

  fromResource(key: string): AttributeValue | undefined {
    return this.resource[key];
  }

  /** Our own `promptlog.<name>`: on the span, as AI SDK telemetry metadata, or on the resource, in that order. */
  ours(name: string): AttributeValue | undefined {
    const key = `promptlog.${name}`;
    return this.span.attributes[key] ?? this.span.attributes[`${AI_SDK_METADATA}${key}`] ?? this.resource[key];
  }

  /** The span's attributes whose keys start with `prefix`, with the prefix cut off, in key order. */
  withPrefix(prefix: string): [string, AttributeValue][] {
    this.sortedKeys ??= Object.keys(this.span.attributes).sort();
    const found: [string, AttributeValue][] = [];
    for (const key of this.sortedKeys) {
      if (key.startsWith(prefix)) found.push([key.slice(prefix.length), this.span.attributes[key] ?? null]);
    }
    return found;
  }

  hasPrefix(prefix: string): boolean {
    for (const key in this.span.attributes) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Computes a derived value once per span, for sources that several fields read (e.g. the output messages). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The first event with this name, if any. */
  event(name: string) {
    return this.span.events.find((e) => e.name === name);
  }
}

export function text(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value.length ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function count(value: AttributeValue | undefined): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export function finite(value: AttributeValue | undefined): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A value that may have been sent as JSON text (most instrumentations serialise structures that way). */
export function json(value: AttributeValue | undefined): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export function jsonObject(value: AttributeValue | undefined): Record<string, unknown> | undefined {
  const parsed = json(value);
  return isRecord(parsed) ? parsed : undefined;
}

export function jsonArray(value: AttributeValue | undefined): unknown[] | undefined {
  const parsed = json(value);
  return Array.isArray(parsed) ? parsed : undefined;
}

export function stringList(value: AttributeValue | undefined): string[] | undefined {
  const parsed = json(value);
  if (Array.isArray(parsed)) return parsed.map((v) => text(v as AttributeValue)).filter((v) => v !== undefined);
  if (typeof parsed === 'string') {
    const items = parsed
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length ? items : undefined;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
