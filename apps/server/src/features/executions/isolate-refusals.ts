import { isClientDataError } from '../../errors';

/**
 * Writes executions with `attempt` in one go; after a value the database refused, once more one by one, so only the
 * executions that carry such a value fail (with the database's error). Any other error fails them all.
 */
export async function insertIsolatingRefusals<T extends { id: string }>(
  items: T[],
  attempt: (items: T[]) => Promise<Set<string>>,
): Promise<{ ids: Set<string>; refused: Map<string, unknown> }> {
  try {
    return { ids: await attempt(items), refused: new Map() };
  } catch (error) {
    if (!isClientDataError(error)) throw error;
  }
  const ids = new Set<string>();
  const refused = new Map<string, unknown>();
  for (const item of items) {
    try {
      for (const id of await attempt([item])) ids.add(id);
    } catch (itemError) {
      if (!isClientDataError(itemError)) throw itemError;
      refused.set(item.id, itemError);
    }
  }
  return { ids, refused };
}
