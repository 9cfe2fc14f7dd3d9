import { foreignKey, index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { executionReviews } from './execution-reviews';
import { reviewLabels } from './review-labels';

/** The labels of a review; deleting a label takes it off every review, deleting a review takes its labels. */
export const executionReviewLabels = pgTable(
  'execution_review_labels',
  {
    projectId: uuid('project_id').notNull(),
    executionId: uuid('execution_id').notNull(),
    labelId: uuid('label_id').notNull(),
  },
  (t) => [
    // Also what the label filter probes: (project, execution) and any of the labels asked for.
    primaryKey({ columns: [t.projectId, t.executionId, t.labelId] }),
    index('execution_review_labels_label_idx').on(t.projectId, t.labelId),
    foreignKey({
      name: 'execution_review_labels_review_fk',
      columns: [t.projectId, t.executionId],
      foreignColumns: [executionReviews.projectId, executionReviews.executionId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'execution_review_labels_label_fk',
      columns: [t.projectId, t.labelId],
      foreignColumns: [reviewLabels.projectId, reviewLabels.id],
    }).onDelete('cascade'),
  ],
);
