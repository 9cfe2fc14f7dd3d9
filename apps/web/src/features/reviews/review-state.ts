import type { ExecutionReview, ReviewRating } from '@promptlog/contracts';

/** A review as the panel edits it and the API takes it: the whole review, each change sending all of it. */
export type ReviewDraft = { rating: ReviewRating | null; note: string; labels: string[] };

export const EMPTY_DRAFT: ReviewDraft = { rating: null, note: '', labels: [] };

export function draftOf(review: ExecutionReview | null): ReviewDraft {
  if (!review) return EMPTY_DRAFT;
  return { rating: review.rating, note: review.note, labels: review.labels.map((label) => label.id) };
}

/** Pressing the rating a review has takes it back; the other one replaces it. */
export function withRating(draft: ReviewDraft, rating: ReviewRating): ReviewDraft {
  return { ...draft, rating: draft.rating === rating ? null : rating };
}

export function withLabel(draft: ReviewDraft, labelId: string, on: boolean): ReviewDraft {
  const labels = draft.labels.filter((id) => id !== labelId);
  return { ...draft, labels: on ? [...labels, labelId] : labels };
}

export function withNote(draft: ReviewDraft, note: string): ReviewDraft {
  return { ...draft, note: note.trim() };
}

export function isEmptyDraft(draft: ReviewDraft): boolean {
  return draft.rating === null && draft.note === '' && draft.labels.length === 0;
}

export const RATING_WORDS: Record<ReviewRating, string> = { up: 'Thumbs up', down: 'Thumbs down' };

/** Who reviewed and when, in a sentence; the time as `formatTime` writes it. */
export function describeReviewer(review: ExecutionReview | null, formatTime: (iso: string) => string): string {
  if (!review) return 'Not reviewed yet';
  const who = review.reviewedBy ?? 'a former member';
  return `Reviewed by ${who} on ${formatTime(review.reviewedAt)}`;
}

/** What a saved change did, for a screen reader's status line. */
export function describeChange(before: ReviewDraft, after: ReviewDraft, labelName: (id: string) => string): string {
  if (isEmptyDraft(after)) return 'Review cleared';
  if (before.rating !== after.rating)
    return after.rating ? `Rated ${RATING_WORDS[after.rating].toLowerCase()}` : 'Rating removed';
  const added = after.labels.filter((id) => !before.labels.includes(id));
  const removed = before.labels.filter((id) => !after.labels.includes(id));
  if (added.length > 0) return `Label ${added.map(labelName).join(', ')} added`;
  if (removed.length > 0) return `Label ${removed.map(labelName).join(', ')} removed`;
  if (before.note !== after.note) return after.note ? 'Note saved' : 'Note removed';
  return 'Review saved';
}
