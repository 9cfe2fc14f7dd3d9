import type { ExecutionReview } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import {
  describeChange,
  describeReviewer,
  draftOf,
  EMPTY_DRAFT,
  isEmptyDraft,
  withLabel,
  withNote,
  withRating,
} from './review-state';

const REVIEW: ExecutionReview = {
  rating: 'down',
  note: 'Refused a fair question',
  labels: [
    { id: 'l1', name: 'Bad refusal', color: 'red' },
    { id: 'l2', name: 'Tone', color: 'cyan' },
  ],
  reviewedBy: 'ada@example.com',
  reviewedAt: '2026-11-22T09:30:00.000000Z',
};

describe('a review draft', () => {
  it('starts from the saved review, or empty', () => {
    expect(draftOf(REVIEW)).toEqual({ rating: 'down', note: 'Refused a fair question', labels: ['l1', 'l2'] });
    expect(draftOf(null)).toEqual(EMPTY_DRAFT);
  });

  it('toggles a rating: the same one again takes it back, the other replaces it', () => {
    const down = draftOf(REVIEW);
    expect(withRating(down, 'down').rating).toBeNull();
    expect(withRating(down, 'up').rating).toBe('up');
    expect(withRating(EMPTY_DRAFT, 'up')).toEqual({ rating: 'up', note: '', labels: [] });
  });

  it('adds and removes labels once each, and trims the note', () => {
    const draft = draftOf(REVIEW);
    expect(withLabel(draft, 'l3', true).labels).toEqual(['l1', 'l2', 'l3']);
    expect(withLabel(draft, 'l1', true).labels).toEqual(['l2', 'l1']);
    expect(withLabel(draft, 'l1', false).labels).toEqual(['l2']);
    expect(withNote(EMPTY_DRAFT, '  why \n').note).toBe('why');
    expect(isEmptyDraft(withNote(EMPTY_DRAFT, '   '))).toBe(true);
  });
});

describe('review words', () => {
  it('says who reviewed and when, or that nobody has', () => {
    expect(describeReviewer(REVIEW, (iso) => iso.slice(0, 10))).toBe('Reviewed by ada@example.com on 2026-11-22');
    expect(describeReviewer({ ...REVIEW, reviewedBy: null }, () => 'today')).toBe(
      'Reviewed by a former member on today',
    );
    expect(describeReviewer(null, () => '')).toBe('Not reviewed yet');
  });

  it('says what a change did, for the status line', () => {
    const name = (id: string) => ({ l1: 'Bad refusal', l2: 'Tone' })[id] ?? id;
    const before = draftOf(REVIEW);
    expect(describeChange(EMPTY_DRAFT, withRating(EMPTY_DRAFT, 'up'), name)).toBe('Rated thumbs up');
    expect(describeChange(before, withRating(before, 'down'), name)).toBe('Rating removed');
    expect(describeChange(before, withLabel(before, 'l1', false), name)).toBe('Label Bad refusal removed');
    expect(describeChange(EMPTY_DRAFT, withLabel(EMPTY_DRAFT, 'l2', true), name)).toBe('Label Tone added');
    expect(describeChange(before, withNote(before, 'Better'), name)).toBe('Note saved');
    expect(describeChange(before, EMPTY_DRAFT, name)).toBe('Review cleared');
  });
});
