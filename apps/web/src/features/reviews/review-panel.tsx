import type { ReviewLabel, ReviewLabelColor, ReviewRating, ReviewState } from '@promptlog/contracts';
import { REVIEW_LABEL_COLORS } from '@promptlog/contracts/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type Ref, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { usePopover } from '../../components/popover';
import { SelectField } from '../../components/select-field';
import { isApiError } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { executionKeys } from '../logs/api';
import { createLabel, invalidateLabels, labelsQuery, reviewKeys, reviewQuery, saveReview } from './api';
import {
  describeChange,
  describeReviewer,
  draftOf,
  RATING_WORDS,
  type ReviewDraft,
  withLabel,
  withNote,
  withRating,
} from './review-state';

/** What the review queue's keys do to the panel of the execution in focus. */
export type ReviewPanelHandle = {
  rate: (rating: ReviewRating) => void;
  openLabels: () => void;
  focusNote: () => void;
};

type ReviewPanelProps = {
  projectId: string;
  executionId: string;
  ref?: Ref<ReviewPanelHandle>;
  /** Called after each saved change, with the review as it is now. */
  onSaved?: (state: ReviewState) => void;
};

/**
 * An execution's review: thumbs up or down, labels from the project's list, a note, and who reviewed it when. Each
 * change is saved at once (the note on "Save note" or Ctrl+Enter), one request after another, each carrying the whole
 * review. Editors and admins change it; everyone who reads the execution sees it.
 */
export function ReviewPanel({ projectId, executionId, ref, onSaved }: ReviewPanelProps) {
  const headingId = useId();
  const query = useQuery(reviewQuery(executionId));
  const labels = useQuery(labelsQuery(projectId));
  const queryClient = useQueryClient();
  // The latest change asked for, shown at once while the requests before it finish.
  const [pending, setPending] = useState<ReviewDraft | null>(null);
  const latest = useRef<ReviewDraft | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const labelsRef = useRef<LabelPickerHandle>(null);
  const saved = draftOf(query.data?.review ?? null);
  const shown = pending ?? saved;
  const [note, setNote] = useState<string | null>(null);
  const noteText = note ?? shown.note;

  const labelName = (id: string) => labels.data?.items.find((label) => label.id === id)?.name ?? 'unknown';
  const mutation = useMutation({
    mutationFn: (draft: ReviewDraft) => saveReview(executionId, draft),
    // One at a time, in the order asked: each request carries the whole review, so the last one asked wins.
    scope: { id: `review:${executionId}` },
    onSuccess: (state, draft) => {
      queryClient.setQueryData(reviewKeys.review(executionId), state);
      // Lists filtered by review are stale now; they are read again when next shown, not under the reader.
      void queryClient.invalidateQueries({ queryKey: executionKeys.lists(), refetchType: 'none' });
      if (latest.current === draft) {
        latest.current = null;
        setPending(null);
      }
      onSaved?.(state);
    },
    onError: () => {
      latest.current = null;
      setPending(null);
    },
  });

  // What a change starts from: the last one asked for, even before it is drawn, so quick keys build on each other.
  const base = () => latest.current ?? shown;
  const change = (next: ReviewDraft) => {
    setAnnouncement(describeChange(base(), next, labelName));
    latest.current = next;
    setPending(next);
    mutation.mutate(next);
  };

  const canReview = query.data?.canReview ?? false;
  // A key pressed in the queue before this execution's review has loaded is kept and applied once it has.
  const [waitingRating, setWaitingRating] = useState<ReviewRating | null>(null);
  useEffect(() => {
    if (waitingRating === null || query.isPending) return;
    setWaitingRating(null);
    if (canReview) change(withRating(base(), waitingRating));
  });
  useImperativeHandle(ref, () => ({
    rate: (rating) => {
      if (query.isPending) setWaitingRating(rating);
      else if (canReview) change(withRating(base(), rating));
    },
    openLabels: () => labelsRef.current?.open(),
    focusNote: () => noteRef.current?.focus(),
  }));

  const saveNote = () => {
    if (noteText.trim() === shown.note) return;
    change(withNote(base(), noteText));
    setNote(null);
  };
  const onNoteSubmit = (event: FormEvent) => {
    event.preventDefault();
    saveNote();
  };

  const review = query.data?.review ?? null;
  const chosen = shown.labels
    .map((id) => labels.data?.items.find((label) => label.id === id) ?? review?.labels.find((label) => label.id === id))
    .filter((label): label is ReviewLabel => label !== undefined);

  return (
    <section className="review-panel" aria-labelledby={headingId}>
      <h3 id={headingId} className="review-panel__title">
        Review
      </h3>
      {query.isPending ? (
        <p className="muted">Loading the review…</p>
      ) : query.isError ? (
        <ErrorMessage error={query.error} title="Could not load the review" />
      ) : (
        <>
          <div className="review-panel__row">
            {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not form fields to fieldset */}
            <div className="review-panel__rating" role="group" aria-label="Rating">
              {(['up', 'down'] as const).map((rating) => (
                <button
                  key={rating}
                  type="button"
                  className={`rating-button rating-button--${rating}`}
                  aria-pressed={shown.rating === rating}
                  aria-label={RATING_WORDS[rating]}
                  title={
                    canReview
                      ? `${RATING_WORDS[rating]} (${rating === 'up' ? 'u' : 'd'} in the review queue)`
                      : undefined
                  }
                  disabled={!canReview}
                  onClick={() => change(withRating(base(), rating))}
                >
                  <ThumbIcon rating={rating} />
                </button>
              ))}
            </div>
            <ul className="review-labels" aria-label="Labels">
              {chosen.map((label) => (
                <li key={label.id}>
                  <LabelChip label={label} />
                </li>
              ))}
            </ul>
            {canReview && (
              <LabelPicker
                ref={labelsRef}
                projectId={projectId}
                labels={labels.data?.items ?? []}
                canManage={labels.data?.canManage ?? false}
                chosen={shown.labels}
                onToggle={(labelId, on) => change(withLabel(base(), labelId, on))}
              />
            )}
          </div>
          {canReview ? (
            <form className="review-panel__note" onSubmit={onNoteSubmit}>
              <label className="field__label" htmlFor={`${headingId}-note`}>
                Note
              </label>
              <textarea
                id={`${headingId}-note`}
                ref={noteRef}
                className="field__input review-panel__textarea"
                rows={2}
                maxLength={4000}
                value={noteText}
                placeholder="What is wrong, or right, with this answer?"
                onChange={(event) => setNote(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                    event.preventDefault();
                    saveNote();
                  }
                  if (event.key === 'Escape') event.currentTarget.blur();
                }}
              />
              <div className="review-panel__actions">
                <Button type="submit" variant="secondary" size="sm" disabled={noteText.trim() === shown.note}>
                  Save note
                </Button>
                <span className="muted review-panel__hint">Ctrl+Enter saves</span>
              </div>
            </form>
          ) : (
            review?.note && <p className="review-panel__note-text">{review.note}</p>
          )}
          <p className="muted review-panel__who">{describeReviewer(review, formatDateTime)}</p>
          <ErrorMessage error={mutation.error} title="Could not save the review" />
          <p className="visually-hidden" role="status">
            {mutation.isSuccess || mutation.isPending ? announcement : ''}
          </p>
        </>
      )}
    </section>
  );
}

/** Feather's thumbs-up and thumbs-down (MIT), drawn in the text colour: no emoji font is needed. */
const THUMB_PATHS: Record<ReviewRating, string> = {
  up: 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
  down: 'M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17',
};

function ThumbIcon({ rating }: { rating: ReviewRating }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={THUMB_PATHS[rating]} />
    </svg>
  );
}

/** The label palette as the colour select's options; the web app maps each name to colours readable in both themes. */
export const LABEL_COLOR_OPTIONS = REVIEW_LABEL_COLORS.map((color) => ({ value: color, label: color }));

export function LabelChip({ label }: { label: Pick<ReviewLabel, 'name' | 'color'> }) {
  return <span className={`review-label review-label--${label.color}`}>{label.name}</span>;
}

type LabelPickerHandle = { open: () => void };

/** "Labels": the project's labels as checkboxes, and for editors and admins a new label's name and colour. */
function LabelPicker({
  projectId,
  labels,
  canManage,
  chosen,
  onToggle,
  ref,
}: {
  projectId: string;
  labels: readonly ReviewLabel[];
  canManage: boolean;
  chosen: readonly string[];
  onToggle: (labelId: string, on: boolean) => void;
  ref?: Ref<LabelPickerHandle>;
}) {
  const { open, toggle, rootRef, buttonRef } = usePopover();
  const id = useId();
  const firstRef = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({
    open: () => {
      if (!open) toggle();
      requestAnimationFrame(() => (firstRef.current ?? rootRef.current?.querySelector('input'))?.focus());
    },
  }));
  return (
    <div className="label-picker" ref={rootRef}>
      <Button
        ref={buttonRef}
        variant="secondary"
        size="sm"
        aria-expanded={open}
        aria-controls={`${id}-options`}
        title="Add or remove labels (l in the review queue)"
        onClick={toggle}
      >
        Labels <span aria-hidden="true">▾</span>
      </Button>
      {open && (
        <div id={`${id}-options`} className="label-picker__popover">
          <fieldset className="label-picker__options">
            <legend className="visually-hidden">Labels</legend>
            {labels.length === 0 && <p className="muted">No labels yet{canManage ? ': create the first below' : ''}</p>}
            {labels.map((label, index) => (
              <label key={label.id} className="multi-select__option">
                <input
                  ref={index === 0 ? firstRef : undefined}
                  type="checkbox"
                  checked={chosen.includes(label.id)}
                  onChange={(event) => onToggle(label.id, event.target.checked)}
                />
                <LabelChip label={label} />
              </label>
            ))}
          </fieldset>
          {canManage && <NewLabelForm projectId={projectId} onCreated={(label) => onToggle(label.id, true)} />}
        </div>
      )}
    </div>
  );
}

export function NewLabelForm({ projectId, onCreated }: { projectId: string; onCreated: (label: ReviewLabel) => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [color, setColor] = useState<ReviewLabelColor>('gray');
  const mutation = useMutation({
    mutationFn: () => createLabel(projectId, { name, color }),
    onSuccess: (label) => {
      setName('');
      void invalidateLabels(queryClient);
      onCreated(label);
    },
  });
  const nameError = isApiError(mutation.error)
    ? mutation.error.issues.find((issue) => issue.path === 'name')?.message
    : undefined;
  return (
    <form
      className="label-picker__new"
      aria-label="New label"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) mutation.mutate();
      }}
    >
      <div className={nameError ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor={`${id}-name`}>
          New label
        </label>
        <input
          id={`${id}-name`}
          className="field__input"
          value={name}
          maxLength={40}
          placeholder="e.g. Wrong answer"
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-error` : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {nameError && (
          <p id={`${id}-error`} className="field__error">
            {nameError}
          </p>
        )}
      </div>
      <SelectField label="Colour" value={color} options={LABEL_COLOR_OPTIONS} onChange={setColor} />
      <Button type="submit" size="sm" pending={mutation.isPending} disabled={!name.trim()}>
        Create label
      </Button>
      {!nameError && <ErrorMessage error={mutation.error} />}
    </form>
  );
}
