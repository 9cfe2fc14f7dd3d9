import type { SavedView } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ChangeEvent,
  type FocusEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { Button } from '../../components/button';
import { Choice } from '../../components/choice';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { hrefWithSearch, Link, useLocation, useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { createView, deleteView, updateView, viewKeys, viewsQuery } from './api';
import { appliedView, nameError, searchWithView, VIEW_PARAM, viewStateOf } from './state';

type Dialog = { kind: 'save' } | { kind: 'rename'; view: SavedView } | { kind: 'delete'; view: SavedView };

const ROW_KEYS = ['ArrowDown', 'ArrowUp', 'Home', 'End'];

/**
 * The Logs tab's saved views: a button that opens the list (apply, rename, delete) and "Save view…", which names the
 * current filters. A view is a link to the tab with its params and `view=<id>`; a link to a deleted view keeps its
 * filters and says the view is gone.
 */
export function ViewsMenu({ promptId }: { promptId: string }) {
  const project = useProject();
  const queryClient = useQueryClient();
  const { pathname } = useLocation();
  const [search, setSearch] = useSearchParams();
  const query = useQuery(viewsQuery(project.id, promptId));
  const views = query.data?.items;
  const applied = appliedView(search, views);
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  const refresh = () => queryClient.invalidateQueries({ queryKey: viewKeys.project(project.id) });
  const replaceState = useMutation({
    mutationFn: (view: SavedView) => updateView(project.id, view.id, { state: viewStateOf(search) }),
    onSuccess: refresh,
  });
  const removal = useMutation({
    mutationFn: (view: SavedView) => deleteView(project.id, view.id),
    onSuccess: async (_, view) => {
      setDialog(null);
      if (new URLSearchParams(window.location.search).get(VIEW_PARAM) === view.id) {
        setSearch({ [VIEW_PARAM]: null }, { replace: true });
      }
      await refresh();
      toggleRef.current?.focus();
    },
  });

  const close = (focusToggle: boolean) => {
    setOpen(false);
    if (focusToggle) toggleRef.current?.focus();
  };

  // Opening the list moves the focus into it, once it has loaded, unless the reader has moved it elsewhere since.
  const loaded = query.isSuccess;
  useEffect(() => {
    if (!open || !loaded) return;
    const focused = document.activeElement;
    if (focused !== toggleRef.current && focused !== document.body && focused !== null) return;
    const panel = panelRef.current;
    const first = ['[data-view-link][aria-current="true"]', '[data-view-link]', 'button']
      .map((selector) => panel?.querySelector<HTMLElement>(selector))
      .find(Boolean);
    first?.focus();
  }, [open, loaded]);

  useEffect(() => {
    if (!open || dialog) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, dialog]);

  const onPanelBlur = (event: FocusEvent<HTMLElement>) => {
    if (dialog || !open) return;
    if (event.relatedTarget instanceof Node && !rootRef.current?.contains(event.relatedTarget)) setOpen(false);
  };

  const onPanelKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
      return;
    }
    if (!ROW_KEYS.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    const rows = [...(panelRef.current?.querySelectorAll<HTMLElement>('[data-view-row]') ?? [])];
    if (rows.length === 0) return;
    const current = rows.findIndex((row) => row.contains(document.activeElement));
    const last = rows.length - 1;
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? last
          : event.key === 'ArrowDown'
            ? Math.min(current + 1, last)
            : Math.max(current - 1, 0);
    event.preventDefault();
    rows[next]?.querySelector<HTMLElement>('[data-view-link]')?.focus();
  };

  const openDialog = (next: Dialog) => {
    removal.reset();
    setDialog(next);
  };
  const closeDialog = () => setDialog(null);

  const current = applied.kind === 'applied' ? applied.view : null;
  const canCreate = query.data?.canCreate ?? false;

  return (
    <div className="views-menu" ref={rootRef}>
      {applied.kind === 'missing' && (
        <div className="views-menu__missing">
          <p role="status">The view in this link was deleted; its filters are kept.</p>
          <Button variant="ghost" size="sm" onClick={() => setSearch({ [VIEW_PARAM]: null }, { replace: true })}>
            Dismiss
          </Button>
        </div>
      )}
      <Button
        ref={toggleRef}
        variant="secondary"
        size="sm"
        className="views-menu__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        title={
          current
            ? `Applied view: ${current.name}${applied.kind === 'applied' && applied.changed ? ', with changed filters' : ''}`
            : undefined
        }
        onClick={() => setOpen(!open)}
      >
        <span className="views-menu__label">
          {current
            ? `Views: ${current.name}${applied.kind === 'applied' && applied.changed ? ' (changed)' : ''}`
            : 'Views'}
        </span>
        <span className="views-menu__chevron" aria-hidden="true">
          ▾
        </span>
      </Button>

      {open && (
        <section
          ref={panelRef}
          id={panelId}
          className="views-menu__panel"
          aria-label="Saved views"
          onKeyDown={onPanelKeyDown}
          onBlur={onPanelBlur}
        >
          {query.isPending ? (
            <Loading label="Loading views…" />
          ) : query.isError ? (
            <RetryableError error={query.error} title="Could not load the views" onRetry={() => query.refetch()} />
          ) : (
            <>
              {canCreate && (
                <div className="views-menu__actions">
                  <Button size="sm" onClick={() => openDialog({ kind: 'save' })}>
                    Save view…
                  </Button>
                  {current && applied.kind === 'applied' && applied.changed && current.canEdit && (
                    <Button
                      size="sm"
                      variant="secondary"
                      pending={replaceState.isPending}
                      onClick={() => replaceState.mutate(current)}
                    >
                      Update “{current.name}”
                    </Button>
                  )}
                </div>
              )}
              <ErrorMessage error={replaceState.error} title="Could not update the view" />
              {views && views.length > 0 ? (
                <ul className="views-menu__list" aria-label="Views">
                  {views.map((view) => (
                    <li key={view.id} className="views-menu__item" data-view-row="">
                      <Link
                        to={hrefWithSearch(pathname, searchWithView(search, view))}
                        className="views-menu__apply"
                        data-view-link=""
                        aria-current={current?.id === view.id ? 'true' : undefined}
                        onClick={() => close(true)}
                      >
                        <span className="views-menu__name">{view.name}</span>
                        <span className="views-menu__scope">
                          {view.promptId === null ? 'All prompts' : 'This prompt'}
                          {view.createdBy ? ` · ${view.createdBy}` : ''}
                        </span>
                      </Link>
                      {view.canEdit && (
                        <span className="views-menu__item-actions">
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Rename ${view.name}`}
                            onClick={() => openDialog({ kind: 'rename', view })}
                          >
                            Rename
                          </Button>
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Delete ${view.name}`}
                            onClick={() => openDialog({ kind: 'delete', view })}
                          >
                            Delete
                          </Button>
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted views-menu__empty">
                  No saved views yet.
                  {canCreate ? ' Save the current filters to come back to them, or share them with the project.' : ''}
                </p>
              )}
            </>
          )}
        </section>
      )}

      {dialog?.kind === 'save' && (
        <SaveViewDialog
          projectId={project.id}
          promptId={promptId}
          state={viewStateOf(search)}
          onCancel={closeDialog}
          onSaved={async (view) => {
            await refresh();
            setSearch({ [VIEW_PARAM]: view.id }, { replace: true });
            closeDialog();
          }}
        />
      )}
      {dialog?.kind === 'rename' && (
        <RenameViewDialog
          projectId={project.id}
          view={dialog.view}
          onCancel={closeDialog}
          onRenamed={async () => {
            await refresh();
            closeDialog();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete “${dialog.view.name}”?`}
          confirmLabel="Delete view"
          pending={removal.isPending}
          error={removal.error}
          onConfirm={() => removal.mutate(dialog.view)}
          onCancel={closeDialog}
        >
          <p>
            The view is removed for everyone in the project. Links to it keep their filters but no longer name the view.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const FIELDS = ['name'] as const;

/** A modal native <dialog> with a form: focus starts in its first field, Escape cancels unless it is saving. */
function FormDialog({
  title,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const server = fieldErrors(error, FIELDS);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };

  return (
    <dialog
      ref={ref}
      className="confirm views-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={`${id}-title`} className="confirm__title break">
        {title}
      </h2>
      <form className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        {children}
        <ErrorMessage
          error={server.byField.name ? null : error}
          issues={server.other}
          title={`Could not ${submitLabel.toLowerCase()}`}
        />
        <div className="form__actions">
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

function SaveViewDialog({
  projectId,
  promptId,
  state,
  onSaved,
  onCancel,
}: {
  projectId: string;
  promptId: string;
  state: string;
  onSaved: (view: SavedView) => Promise<void>;
  onCancel: () => void;
}) {
  const [everyPrompt, setEveryPrompt] = useState(false);
  const scopeId = useId();
  const form = useNameForm(
    '',
    (name) => createView(projectId, { name, promptId: everyPrompt ? null : promptId, state }),
    onSaved,
  );

  return (
    <FormDialog
      title="Save view"
      submitLabel="Save view"
      pending={form.mutation.isPending}
      error={form.mutation.error}
      onCancel={onCancel}
      onSubmit={form.submit}
    >
      <TextField {...form.field} hint="Everyone in the project who can read these logs sees it." />
      <fieldset className="choice-group" aria-describedby={`${scopeId}-saves`}>
        <legend className="field__label">Show it on</legend>
        <Choice
          type="radio"
          name="scope"
          checked={!everyPrompt}
          onChange={() => setEveryPrompt(false)}
          title="This prompt’s Logs tab"
        />
        <Choice
          type="radio"
          name="scope"
          checked={everyPrompt}
          onChange={() => setEveryPrompt(true)}
          title="Every prompt’s Logs tab"
        />
      </fieldset>
      <p id={`${scopeId}-saves`} className="muted views-dialog__state">
        Saves the time range, filters and search shown now{state ? '' : ' (none set: the defaults)'}.
      </p>
    </FormDialog>
  );
}

function RenameViewDialog({
  projectId,
  view,
  onRenamed,
  onCancel,
}: {
  projectId: string;
  view: SavedView;
  onRenamed: () => Promise<void>;
  onCancel: () => void;
}) {
  const form = useNameForm(view.name, (name) => updateView(projectId, view.id, { name }), onRenamed);

  return (
    <FormDialog
      title={`Rename “${view.name}”`}
      submitLabel="Rename view"
      pending={form.mutation.isPending}
      error={form.mutation.error}
      onCancel={onCancel}
      onSubmit={form.submit}
    >
      <TextField {...form.field} />
    </FormDialog>
  );
}

/** A view's name field and the mutation that saves it: the name is checked here first, the server's refusal shown on the field. */
function useNameForm<T>(initial: string, save: (name: string) => Promise<T>, onSaved: (result: T) => Promise<void>) {
  const [name, setName] = useState(initial);
  const [clientError, setClientError] = useState<string | undefined>();
  const mutation = useMutation({ mutationFn: () => save(name.trim()), onSuccess: onSaved });
  return {
    mutation,
    field: {
      label: 'Name',
      name: 'name',
      autoComplete: 'off',
      value: name,
      error: clientError ?? fieldErrors(mutation.error, FIELDS).byField.name,
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        setName(event.target.value);
        setClientError(undefined);
      },
    },
    submit: () => {
      const found = nameError(name);
      setClientError(found);
      if (found) {
        mutation.reset();
        return;
      }
      mutation.mutate();
    },
  };
}
