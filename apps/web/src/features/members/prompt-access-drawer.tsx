import type { Member } from '@promptlog/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Drawer } from '../../components/drawer';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { promptsQuery } from '../prompts/api';
import { accessChoices, matchesPromptFilter } from './access';
import { grantPromptAccess, revokePromptAccess } from './api';

type PromptAccessDrawerProps = {
  projectId: string;
  /** Undefined when the member in the URL is not (or no longer) in the project. */
  member: Member | undefined;
  onClose: () => void;
  /** Refetches the member; resolves once the list shows the change. */
  onChanged: () => Promise<unknown>;
};

/** Grants a member the logs of chosen prompts, one checkbox per prompt of the project. */
export function PromptAccessDrawer({ projectId, member, onClose, onChanged }: PromptAccessDrawerProps) {
  return (
    <Drawer title={member ? `Prompt access of ${member.email}` : 'Prompt access'} onClose={onClose}>
      {member ? (
        <AccessList projectId={projectId} member={member} onChanged={onChanged} />
      ) : (
        <p>This person is not a member of the project any more.</p>
      )}
    </Drawer>
  );
}

type Choice = { promptId: string; grant: boolean };

function AccessList({
  projectId,
  member,
  onChanged,
}: {
  projectId: string;
  member: Member;
  onChanged: () => Promise<unknown>;
}) {
  const prompts = useQuery(promptsQuery(projectId));
  const [filter, setFilter] = useState('');
  const filterId = useId();
  // The box shows the choice at once and until the refetched member confirms (or an error reverts) it.
  const [choice, setChoice] = useState<Choice | null>(null);
  const mutation = useMutation({
    mutationFn: ({ promptId, grant }: Choice) =>
      grant
        ? grantPromptAccess(projectId, member.userId, promptId)
        : revokePromptAccess(projectId, member.userId, promptId),
    onSettled: async () => {
      await onChanged();
      setChoice(null);
    },
  });
  const choose = (next: Choice) => {
    if (choice) return;
    setChoice(next);
    mutation.mutate(next);
  };
  const granted = new Set(member.promptAccess);
  const choices = accessChoices(prompts.data?.items.map((prompt) => prompt.id) ?? [], member.promptAccess).filter(
    (promptId) => matchesPromptFilter(promptId, filter),
  );
  const pendingPrompt = choice?.promptId;

  return (
    <div className="stack">
      <p>
        {member.role === 'viewer' ? (
          <>
            As a viewer, {member.email} sees analytics of every prompt. Tick a prompt to let them read its logs too:
            inputs, outputs and errors.
          </>
        ) : (
          <>
            As {member.role === 'admin' ? 'an admin' : 'an editor'}, {member.email} already reads every prompt’s logs.
            Grants below apply if their role becomes viewer.
          </>
        )}
      </p>
      <ErrorMessage
        error={mutation.error}
        title={mutation.variables ? `Could not change access to ${mutation.variables.promptId}` : undefined}
      />
      {prompts.isPending ? (
        <Loading label="Loading prompts…" />
      ) : prompts.isError ? (
        <RetryableError
          size="sm"
          error={prompts.error}
          title="Could not load the prompts"
          onRetry={() => prompts.refetch()}
        />
      ) : (
        <>
          {prompts.data.items.length > 8 && (
            <div className="field">
              <label className="field__label" htmlFor={filterId}>
                Find a prompt
              </label>
              <input
                id={filterId}
                type="search"
                className="field__input"
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
              />
            </div>
          )}
          <fieldset className="checklist">
            <legend className="checklist__legend">Prompts whose logs {member.email} may read</legend>
            {choices.length === 0 && (
              <p className="muted">{filter ? 'No prompt matches.' : 'This project has no prompts yet.'}</p>
            )}
            {choices.map((promptId) => (
              <label key={promptId} className="checklist__item">
                <input
                  type="checkbox"
                  checked={choice?.promptId === promptId ? choice.grant : granted.has(promptId)}
                  aria-busy={pendingPrompt === promptId || undefined}
                  // Not disabled while saving: a disabled control loses keyboard focus, and Escape with it.
                  onChange={(event) => choose({ promptId, grant: event.target.checked })}
                />
                <span className="break">{promptId}</span>
                {pendingPrompt === promptId && <span className="spinner spinner--muted" aria-hidden="true" />}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </div>
  );
}
