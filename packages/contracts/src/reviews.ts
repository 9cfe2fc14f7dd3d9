import { z } from 'zod';
import { StorableText } from './common';
import { ProjectQuery } from './executions-query';
import { DATASET_FORMATS, REVIEW_LABEL_COLORS, REVIEW_RATINGS } from './rules';

export const REVIEW_LABEL_NAME_MAX_LENGTH = 40;
export const REVIEW_NOTE_MAX_LENGTH = 4000;
export const MAX_LABELS_PER_REVIEW = 20;
/** How many labels a project may define, so the picker stays a short list. */
export const MAX_REVIEW_LABELS = 100;

export const ReviewRating = z.enum(REVIEW_RATINGS);
export type ReviewRating = z.infer<typeof ReviewRating>;

export const ReviewLabelColor = z.enum(REVIEW_LABEL_COLORS);
export type ReviewLabelColor = z.infer<typeof ReviewLabelColor>;

export const ReviewLabelName = StorableText.trim()
  .min(1, 'must not be empty')
  .max(REVIEW_LABEL_NAME_MAX_LENGTH, `must have at most ${REVIEW_LABEL_NAME_MAX_LENGTH} characters`);

export const ReviewLabel = z.object({
  id: z.uuid(),
  name: z.string(),
  color: ReviewLabelColor,
});
export type ReviewLabel = z.infer<typeof ReviewLabel>;

export const ReviewLabelList = z.object({
  items: z.array(ReviewLabel).describe('By name'),
  canManage: z.boolean().describe('Whether the caller may create, change and delete labels: editors and admins'),
});
export type ReviewLabelList = z.infer<typeof ReviewLabelList>;

export const CreateReviewLabelRequest = z.object({ name: ReviewLabelName, color: ReviewLabelColor });
export type CreateReviewLabelRequest = z.input<typeof CreateReviewLabelRequest>;

export const UpdateReviewLabelRequest = z
  .object({ name: ReviewLabelName.optional(), color: ReviewLabelColor.optional() })
  .refine((change) => change.name !== undefined || change.color !== undefined, 'send a new name, a new colour or both');
export type UpdateReviewLabelRequest = z.input<typeof UpdateReviewLabelRequest>;

export const ReviewLabelIdParams = z.object({ id: z.uuid() });

/** The whole review of one execution, as it should be after the request; all empty clears it. */
export const SaveReviewRequest = z.object({
  rating: ReviewRating.nullable().describe('Thumbs up or down; null for neither'),
  note: StorableText.trim()
    .max(REVIEW_NOTE_MAX_LENGTH, `must have at most ${REVIEW_NOTE_MAX_LENGTH} characters`)
    .default('')
    .describe('Free text; empty for none'),
  labels: z
    .array(z.uuid())
    .max(MAX_LABELS_PER_REVIEW, `must have at most ${MAX_LABELS_PER_REVIEW} labels`)
    .default([])
    .transform((ids) => [...new Set(ids)])
    .describe("Ids of the project's review labels"),
});
export type SaveReviewRequest = z.input<typeof SaveReviewRequest>;

export const ExecutionReview = z.object({
  rating: ReviewRating.nullable(),
  note: z.string(),
  labels: z.array(ReviewLabel).describe('By name'),
  reviewedBy: z.string().nullable().describe('Email of the member who last changed the review; null when unknown'),
  reviewedAt: z.string().describe('When the review last changed'),
});
export type ExecutionReview = z.infer<typeof ExecutionReview>;

export const ReviewState = z.object({
  executionId: z.uuid(),
  review: ExecutionReview.nullable().describe('Null until someone reviews the execution'),
  canReview: z.boolean().describe('Whether the caller may change the review: editors and admins'),
});
export type ReviewState = z.infer<typeof ReviewState>;

export const ReviewLabelsQuery = ProjectQuery;

export const DatasetFormat = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const DatasetParams = z.object({ format: DatasetFormat });
