import type { SearchPatch } from '../../lib/router';

/** The Conversations page's time ranges: how recently a conversation was active. */
export const CONVERSATION_RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
  { value: 'all', label: 'All time', ms: null },
] as const;
export type ConversationRange = (typeof CONVERSATION_RANGES)[number]['value'];
export const DEFAULT_CONVERSATION_RANGE: ConversationRange = '7d';

export interface ConversationFilters {
  range: ConversationRange;
  /** Part of a conversation id. */
  q: string;
}

function isRange(value: string | null): value is ConversationRange {
  return CONVERSATION_RANGES.some((range) => range.value === value);
}

/** The filters a page URL holds; unknown values fall back to the defaults. */
export function parseConversationFilters(search: URLSearchParams): ConversationFilters {
  const range = search.get('range');
  return { range: isRange(range) ? range : DEFAULT_CONVERSATION_RANGE, q: search.get('q')?.trim() ?? '' };
}

export function conversationFiltersPatch(filters: ConversationFilters): SearchPatch {
  return { range: filters.range === DEFAULT_CONVERSATION_RANGE ? null : filters.range, q: filters.q || null };
}

/** The query string for GET /api/v1/conversations, a relative range resolved against `now`. */
export function toConversationParams(filters: ConversationFilters, now: number): URLSearchParams {
  const params = new URLSearchParams();
  const range = CONVERSATION_RANGES.find((candidate) => candidate.value === filters.range);
  if (range?.ms) params.set('from', new Date(now - range.ms).toISOString());
  if (filters.q) params.set('q', filters.q);
  return params;
}
