import type { QueryRunner } from '@promptlog/db';
import { SystemPromptTexts } from '../system-prompts/stored-texts';
import { insertIsolatingRefusals } from './isolate-refusals';
import { insertExecutions } from './queries';

/** One execution, prepared and serialised, waiting to be written. */
interface Waiting {
  id: string;
  json: string;
  texts: SystemPromptTexts;
  resolve: (created: boolean) => void;
  reject: (error: unknown) => void;
}

type Outcome = { created: boolean } | { error: unknown };

export interface GroupedWritesOptions {
  /** Statements written at once; the rest of the requests wait for one of them to finish. */
  maxInFlight: number;
  /** Executions one statement carries at most. */
  maxRows: number;
  /** Serialised bytes one statement carries at most (one execution larger than this goes alone). */
  maxBytes: number;
}

export const GROUPED_WRITES: GroupedWritesOptions = { maxInFlight: 2, maxRows: 100, maxBytes: 4 * 1024 * 1024 };

/**
 * Writes executions sent one per request, several to a statement when requests arrive together. While `maxInFlight`
 * statements run, later requests wait, and each one that finishes takes the waiting executions of one project as its
 * next statement. Nothing waits for a timer, so a lone request is written at once; under load the statement's fixed
 * cost (about 0.4 ms of PostgreSQL CPU, a round trip and a commit) is shared by all it carries. Every caller is
 * answered only after its statement has committed.
 */
export class GroupedWrites {
  /** Waiting executions by project, in arrival order; projects take turns. */
  private readonly waiting = new Map<string, Waiting[]>();
  private inFlight = 0;

  constructor(
    private readonly handle: QueryRunner,
    private readonly options: GroupedWritesOptions = GROUPED_WRITES,
  ) {}

  /** Writes one execution of a project; true when it was new, false when an execution with its id was stored. */
  write(projectId: string, execution: { id: string; json: string }, texts: SystemPromptTexts): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const queue = this.waiting.get(projectId);
      const entry = { ...execution, texts, resolve, reject };
      if (queue) queue.push(entry);
      else this.waiting.set(projectId, [entry]);
      this.startStatements();
    });
  }

  private startStatements(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const next = this.takeGroup();
      if (!next) return;
      this.inFlight += 1;
      this.writeGroup(next.projectId, next.group).finally(() => {
        this.inFlight -= 1;
        this.startStatements();
      });
    }
  }

  /** The next project's waiting executions, up to a statement's limits; the rest keep its turn for later. */
  private takeGroup(): { projectId: string; group: Waiting[] } | null {
    const first = this.waiting.entries().next();
    if (first.done) return null;
    const [projectId, queue] = first.value;
    this.waiting.delete(projectId);
    let count = 0;
    let bytes = 0;
    while (count < queue.length && count < this.options.maxRows) {
      const size = queue[count]?.json.length ?? 0;
      if (count > 0 && bytes + size > this.options.maxBytes) break;
      bytes += size;
      count += 1;
    }
    const group = queue.splice(0, count);
    if (queue.length > 0) this.waiting.set(projectId, queue);
    return { projectId, group };
  }

  private async writeGroup(projectId: string, group: Waiting[]): Promise<void> {
    // An id sent twice at once (a retry racing its original) is written once: the later ones were not new.
    const firstById = new Map<string, Waiting>();
    const repeats: { entry: Waiting; first: Waiting }[] = [];
    for (const entry of group) {
      const first = firstById.get(entry.id);
      if (first) repeats.push({ entry, first });
      else firstById.set(entry.id, entry);
    }
    const unique = [...firstById.values()];
    const outcomes = await this.insertEach(projectId, unique);
    for (const entry of unique) settle(entry, outcomes.get(entry));
    for (const { entry, first } of repeats) {
      const outcome = outcomes.get(first);
      settle(entry, outcome && 'created' in outcome ? { created: false } : outcome);
    }
  }

  /** Writes executions in one statement; after a value the database refused, one by one, so only its sender fails. */
  private async insertEach(projectId: string, entries: Waiting[]): Promise<Map<Waiting, Outcome>> {
    const outcomes = new Map<Waiting, Outcome>();
    try {
      const { ids, refused } = await insertIsolatingRefusals(entries, (some) => this.insert(projectId, some));
      for (const entry of entries) {
        const error = refused.get(entry.id);
        outcomes.set(entry, error === undefined ? { created: ids.has(entry.id) } : { error });
      }
    } catch (error) {
      for (const entry of entries) outcomes.set(entry, { error });
    }
    return outcomes;
  }

  private insert(projectId: string, entries: Waiting[]): Promise<Set<string>> {
    const json = `[${entries.map((entry) => entry.json).join(',')}]`;
    return insertExecutions(this.handle, projectId, json, SystemPromptTexts.together(entries.map((e) => e.texts)));
  }
}

function settle(entry: Waiting, outcome: Outcome | undefined): void {
  if (outcome && 'created' in outcome) entry.resolve(outcome.created);
  else entry.reject(outcome?.error ?? new Error(`no outcome for execution ${entry.id}`));
}
