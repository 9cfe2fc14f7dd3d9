import type { CreatedProject } from '@promptlog/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { ErrorMessage } from '../../components/error-message';
import { SecretField } from '../../components/secret-field';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { executionCurlExample } from '../../lib/curl-example';
import { useDocumentTitle } from '../../lib/document-title';
import { navigate } from '../../lib/router';
import { projectHomePath } from '../auth/current-project';
import { createProject, projectsChanged, withProject } from './api';

/** /projects/new: any logged-in user starts a project of their own, and gets its first API key, shown once. */
export function NewProjectPage() {
  useDocumentTitle('New project');
  const [created, setCreated] = useState<CreatedProject | null>(null);
  return (
    <div className="page page--narrow">
      <header className="page__header">
        <h1 className="page__title">New project</h1>
        <p className="muted">
          A project keeps its own prompts, logs, analytics, members, API keys and settings. You will be its admin, and
          can invite others from its settings.
        </p>
      </header>
      {created ? <CreatedProjectCard created={created} /> : <NewProjectForm onCreated={setCreated} />}
    </div>
  );
}

function NewProjectForm({ onCreated }: { onCreated: (created: CreatedProject) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const mutation = useMutation({
    mutationFn: () => createProject({ name: name.trim() }),
    onSuccess: (created) => {
      projectsChanged(queryClient, (projects) => withProject(projects, created.project));
      onCreated(created);
    },
  });
  const server = fieldErrors(mutation.error, ['name'] as const);
  const error = clientError ?? server.byField.name;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name.trim() === '') {
      setClientError('Enter a name for the project.');
      mutation.reset();
      event.currentTarget.querySelector('input')?.focus();
      return;
    }
    setClientError(undefined);
    mutation.mutate();
  };

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label="New project">
      <ErrorMessage error={mutation.error} issues={server.other} title="Could not create the project" />
      <TextField
        label="Project name"
        name="name"
        autoComplete="off"
        maxLength={100}
        hint="The app or team whose prompts it logs, e.g. “Billing assistant”."
        value={name}
        error={error}
        onChange={(event) => setName(event.target.value)}
      />
      <div className="form__actions form__actions--start">
        <Button type="submit" pending={mutation.isPending}>
          Create project
        </Button>
      </div>
    </form>
  );
}

function CreatedProjectCard({ created }: { created: CreatedProject }) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const { project, apiKey } = created;
  return (
    <section className="card stack reveal" aria-labelledby={`${id}-title`}>
      <p className="eyebrow">Project created</p>
      <h2 id={`${id}-title`} className="card__title break" tabIndex={-1} ref={headingRef}>
        Save the API key of “{project.name}”
      </h2>
      <p>
        Applications use this key to log executions to <strong className="break">{project.name}</strong>.{' '}
        <strong>It is shown only once</strong> — copy it now and keep it where the application reads its secrets. More
        keys can be made in the project's settings.
      </p>
      <SecretField label="API key" value={apiKey.key} copyLabel="Copy API key" />
      <CodeBlock code={executionCurlExample(window.location.origin, apiKey.key)} label="curl" />
      <div className="form__actions form__actions--start">
        <Button onClick={() => navigate(projectHomePath(project.id))}>Open {project.name}</Button>
      </div>
    </section>
  );
}
