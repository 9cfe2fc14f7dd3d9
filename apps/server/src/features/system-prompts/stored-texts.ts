import { jsonForPostgres } from '../executions/json-for-postgres';

/**
 * The (project, hash) pairs whose text this process saw stored, so a large text is not sent on every call. A hint
 * only: a text deleted since is reported missing by the ingest statement and written again, so nothing needs to clear
 * it (a purge, a restart); bounded, it starts over when full.
 */
const STORED_TEXTS_KEPT = 10_000;
const storedTexts = new Set<string>();

const keyOf = (projectId: string, hash: string) => `${projectId}:${hash}`;

/** What an ingest statement needs of the texts its rows were prepared with. */
export interface StatementTexts {
  remember(): void;
  missingJson(hashes: readonly string[]): string;
}

/** The system prompt texts one ingest request sends: each at most once, and none the process saw stored. */
export class SystemPromptTexts implements StatementTexts {
  /** The texts of several requests written in one statement. */
  static together(parts: readonly SystemPromptTexts[]): StatementTexts {
    if (parts.length === 1 && parts[0]) return parts[0];
    return {
      remember: () => {
        for (const part of parts) part.remember();
      },
      missingJson: (hashes) =>
        missingTextsJson(hashes, (hash) => parts.find((part) => part.withheld.has(hash))?.withheld.get(hash)),
    };
  }

  private readonly sent = new Set<string>();
  /** Every text a row refers to without carrying it, in case the statement finds it missing. */
  readonly withheld = new Map<string, string>();

  constructor(private readonly projectId: string) {}

  /** The text a row carries: null when an earlier row of the request carries it or it is already stored. */
  toSend(hash: string, text: string): string | null {
    if (this.sent.has(hash) || storedTexts.has(keyOf(this.projectId, hash))) {
      this.withheld.set(hash, text);
      return null;
    }
    this.sent.add(hash);
    return text;
  }

  /** After the statement: the texts it sent are stored now (or were already). */
  remember(): void {
    if (storedTexts.size + this.sent.size > STORED_TEXTS_KEPT) storedTexts.clear();
    for (const hash of this.sent) storedTexts.add(keyOf(this.projectId, hash));
  }

  /** The withheld texts among `hashes`, as the JSON the repair statement reads. */
  missingJson(hashes: readonly string[]): string {
    return missingTextsJson(hashes, (hash) => this.withheld.get(hash));
  }
}

function missingTextsJson(hashes: readonly string[], textOf: (hash: string) => string | undefined): string {
  return jsonForPostgres(
    hashes.flatMap((hash) => {
      const text = textOf(hash);
      return text === undefined ? [] : [{ hash, text }];
    }),
  );
}
