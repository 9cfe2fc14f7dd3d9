import type { QueryRunner } from '@promptlog/db';

/**
 * A runner whose transactions run at most `limit` at a time; the others wait their turn before they take a
 * connection, so a waiting request holds no connection and no lock. Its other queries are not limited.
 */
export function limitTransactions(runner: QueryRunner, limit: number): QueryRunner {
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = (): Promise<void> => {
    if (running < limit) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const done = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return {
    db: runner.db,
    query: runner.query,
    transaction: async (work) => {
      await turn();
      try {
        return await runner.transaction(work);
      } finally {
        done();
      }
    },
  };
}
