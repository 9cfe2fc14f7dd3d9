import type { ProjectSummary } from '@promptlog/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { navigate } from '../../lib/router';
import { settingsKeys } from '../project-settings/api';
import { confirmsName, deleteProject, projectsChanged, renameProject, withoutProject, withProject } from './api';

/** Settings → Project: the project's name, and deleting it. */
export function ProjectTab({ project }: { project: ProjectSummary }) {
  return (
    <div className="settings-tab">
      <RenameSection project={project} />
      <DeleteSection project={project} />
    </div>
  );
}

function RenameSection({ project }: { project: ProjectSummary }) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [name, setName] = useState(project.name);
  const [clientError, setClientError] = useState<string | undefined>();
  const rename = useMutation({
    mutationFn: () => renameProject(project.id, { name: name.trim() }),
    onSuccess: (renamed) => {
      setName(renamed.name);
      projectsChanged(queryClient, (projects) => withProject(projects, renamed));
      void queryClient.invalidateQueries({ queryKey: settingsKeys.detail(project.id) });
    },
  });
  const server = fieldErrors(rename.error, ['name'] as const);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name.trim() === '') {
      setClientError('Enter a name for the project.');
      rename.reset();
      return;
    }
    setClientError(undefined);
    rename.mutate();
  };

  return (
    <section className="card stack" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId} className="card__title">
          Name
        </h2>
        <p className="muted">How the project is called in the header, the switcher and invite links.</p>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Project name">
        <ErrorMessage error={rename.error} issues={server.other} title="Could not rename the project" />
        <TextField
          label="Project name"
          name="name"
          className="project-name"
          autoComplete="off"
          maxLength={100}
          value={name}
          error={clientError ?? server.byField.name}
          onChange={(event) => {
            setName(event.target.value);
            if (rename.isSuccess) rename.reset();
          }}
        />
        <div className="form__actions form__actions--start">
          <Button type="submit" pending={rename.isPending}>
            Save name
          </Button>
        </div>
        <p role="status" className="success form__saved">
          {rename.isSuccess ? 'Saved.' : ''}
        </p>
      </form>
    </section>
  );
}

function DeleteSection({ project }: { project: ProjectSummary }) {
  const headingId = useId();
  const [asking, setAsking] = useState(false);
  return (
    <section className="card stack project-danger" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId} className="card__title">
          Delete this project
        </h2>
        <p className="muted">
          Deletes <strong className="break">{project.name}</strong> with everything in it: executions, payloads, traces,
          analytics, prompts, members, API keys, invites, custom prices and its audit log. Applications using its keys
          can no longer log. This cannot be undone.
        </p>
      </div>
      <div>
        <Button variant="danger" onClick={() => setAsking(true)}>
          Delete project…
        </Button>
      </div>
      {asking && <DeleteProjectDialog project={project} onCancel={() => setAsking(false)} />}
    </section>
  );
}

/**
 * Asks for the project's name before deleting it, so a project is never deleted by a stray click or the wrong
 * tab. A native modal <dialog>: focus stays inside, Escape cancels; focus starts in the name field.
 */
function DeleteProjectDialog({ project, onCancel }: { project: ProjectSummary; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const removal = useMutation({
    mutationFn: () => deleteProject(project.id),
    onSuccess: () => {
      projectsChanged(queryClient, (projects) => withoutProject(projects, project.id));
      navigate('/', { replace: true, carry: false });
    },
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    inputRef.current?.focus();
    return () => {
      dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirmsName(typed, project.name)) {
      setMismatch(true);
      inputRef.current?.focus();
      return;
    }
    removal.mutate();
  };

  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        if (!removal.isPending) onCancel();
      }}
    >
      <h2 id={`${id}-title`} className="confirm__title break">
        Delete {project.name}?
      </h2>
      <div id={`${id}-body`} className="confirm__body">
        <p>
          Its executions, analytics, prompts, members, API keys and audit log are deleted for good, for everyone in it.
          Applications using its keys can no longer log.
        </p>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={`Delete ${project.name}`}>
        <div className={['field', mismatch ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
          <label className="field__label" htmlFor={`${id}-name`}>
            Type <strong className="break">{project.name}</strong> to confirm
          </label>
          <input
            ref={inputRef}
            id={`${id}-name`}
            className="field__input"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            aria-invalid={mismatch ? true : undefined}
            aria-describedby={mismatch ? `${id}-error` : undefined}
            onChange={(event) => {
              setTyped(event.target.value);
              setMismatch(false);
            }}
          />
          {mismatch && (
            <p id={`${id}-error`} className="field__error">
              That is not the project's name; type it exactly as shown.
            </p>
          )}
        </div>
        <ErrorMessage error={removal.error} title="Could not delete the project" />
        <div className="form__actions">
          <Button variant="secondary" onClick={onCancel} disabled={removal.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={removal.isPending}>
            Delete project
          </Button>
        </div>
      </form>
    </dialog>
  );
}
