import type { ReviewLabel, ReviewLabelColor } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { Link } from '../../lib/router';
import { useProject } from '../auth/session';
import { deleteLabel, invalidateLabels, labelsQuery, updateLabel } from './api';
import { LABEL_COLOR_OPTIONS, LabelChip, NewLabelForm } from './review-panel';

/**
 * /review/labels: the project's review labels. Everyone who reads logs sees them; editors and admins rename,
 * recolour and delete them (a deleted label leaves every review that carried it) and create new ones.
 */
export function ReviewLabelsPage() {
  useDocumentTitle('Review labels');
  const project = useProject();
  const query = useQuery(labelsQuery(project.id));
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ReviewLabel | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const headingId = useId();
  const canManage = query.data?.canManage ?? false;

  return (
    <div className="page">
      <header className="page__header">
        <p className="eyebrow">
          <Link to="/review">Review queue</Link>
        </p>
        <h1 className="page__title">Review labels</h1>
        <p className="muted">
          Labels sort reviewed executions into kinds (a wrong answer, a good example) that the Logs tab filters by and
          datasets carry.{' '}
          {canManage
            ? 'Renaming or recolouring one changes it on every review that has it.'
            : 'Editors and admins manage them.'}
        </p>
      </header>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>

      {canManage && (
        <div className="card label-list-page__new">
          <NewLabelForm projectId={project.id} onCreated={(label) => setAnnouncement(`Created ${label.name}`)} />
        </div>
      )}

      <section className="stack stack--tight" aria-labelledby={headingId}>
        <h2 id={headingId} className="section-title">
          Labels
        </h2>
        {query.isPending ? (
          <Loading label="Loading the labels…" />
        ) : query.isError ? (
          <RetryableError error={query.error} title="Could not load the labels" onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <p className="muted">
            This project has no review labels yet.
            {canManage ? ' Create the first above, or from Labels in any execution’s review.' : ''}
          </p>
        ) : (
          <ul className="label-list" aria-labelledby={headingId}>
            {query.data.items.map((label) =>
              editing === label.id ? (
                <li key={label.id} className="label-list__item">
                  <EditLabelForm
                    projectId={project.id}
                    label={label}
                    onDone={(saved) => {
                      setEditing(null);
                      if (saved) setAnnouncement(`Saved ${saved.name}`);
                    }}
                  />
                </li>
              ) : (
                <li key={label.id} className="label-list__item">
                  <LabelChip label={label} />
                  <span className="muted">{label.color}</span>
                  {canManage && (
                    <span className="row-actions">
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={`Edit ${label.name}`}
                        onClick={() => setEditing(label.id)}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={`Delete ${label.name}`}
                        onClick={() => setDeleting(label)}
                      >
                        Delete
                      </Button>
                    </span>
                  )}
                </li>
              ),
            )}
          </ul>
        )}
      </section>

      {deleting && (
        <DeleteLabelDialog
          projectId={project.id}
          label={deleting}
          onDone={(deleted) => {
            setDeleting(null);
            if (deleted) setAnnouncement(`Deleted ${deleting.name}`);
          }}
        />
      )}
    </div>
  );
}

function EditLabelForm({
  projectId,
  label,
  onDone,
}: {
  projectId: string;
  label: ReviewLabel;
  onDone: (saved: ReviewLabel | null) => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(label.name);
  const [color, setColor] = useState<ReviewLabelColor>(label.color);
  const formRef = useRef<HTMLFormElement>(null);
  const mutation = useMutation({
    mutationFn: () => updateLabel(projectId, label.id, { name, color }),
    onSuccess: (saved) => {
      void invalidateLabels(queryClient);
      onDone(saved);
    },
    // Save was disabled while it ran, which took the focus away: give it back to the name, where the error is.
    onError: () => formRef.current?.querySelector('input')?.focus(),
  });
  const { byField, other } = fieldErrors(mutation.error, ['name', 'color']);
  return (
    <form
      ref={formRef}
      className="label-list__form"
      aria-label={`Edit ${label.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) mutation.mutate();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !mutation.isPending) onDone(null);
      }}
    >
      <TextField
        label="Name"
        value={name}
        maxLength={40}
        autoFocus
        error={byField.name}
        onChange={(event) => setName(event.target.value)}
      />
      <SelectField label="Colour" value={color} options={LABEL_COLOR_OPTIONS} onChange={setColor} />
      <span className="row-actions">
        <Button type="submit" size="sm" pending={mutation.isPending} disabled={!name.trim()}>
          Save
        </Button>
        <Button variant="secondary" size="sm" disabled={mutation.isPending} onClick={() => onDone(null)}>
          Cancel
        </Button>
      </span>
      {!byField.name && !byField.color && <ErrorMessage error={mutation.error} issues={other} />}
    </form>
  );
}

function DeleteLabelDialog({
  projectId,
  label,
  onDone,
}: {
  projectId: string;
  label: ReviewLabel;
  onDone: (deleted: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => deleteLabel(projectId, label.id),
    onSuccess: () => {
      void invalidateLabels(queryClient);
      onDone(true);
    },
  });
  return (
    <ConfirmDialog
      title={`Delete the label “${label.name}”?`}
      confirmLabel="Delete label"
      pending={mutation.isPending}
      error={mutation.error}
      onConfirm={() => mutation.mutate()}
      onCancel={() => onDone(false)}
    >
      <p>
        It is taken off every review that carries it. Those reviews keep their rating, their note and their other
        labels. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
