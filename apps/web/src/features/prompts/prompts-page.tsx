import type { PromptSummary } from '@promptlog/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { useDocumentTitle } from '../../lib/document-title';
import { navigate } from '../../lib/router';
import { useSession } from '../auth/session';
import { FirstExecutionCard } from '../home/home-page';
import { useExecutionEvents } from '../logs/live';
import { promptKeys, promptPath, promptsQuery } from './api';
import { promptColumns } from './columns';

const getRowId = (prompt: PromptSummary) => prompt.id;

export function PromptsPage() {
  const { project } = useSession();
  useDocumentTitle(project?.name ?? 'Home');

  return (
    <div className="page">
      <header className="page__header">
        <p className="eyebrow">Project</p>
        <h1 className="page__title break">{project ? project.name : 'No project yet'}</h1>
        {!project && <p className="muted">You are not a member of any project. Ask an admin to add you to one.</p>}
      </header>
      {project && <PromptList projectId={project.id} />}
    </div>
  );
}

function PromptList({ projectId }: { projectId: string }) {
  const query = useQuery(promptsQuery(projectId));
  if (query.isPending) return <Loading label="Loading prompts…" />;
  if (query.isError) {
    return <RetryableError error={query.error} title="Could not load the prompts" onRetry={() => query.refetch()} />;
  }
  if (query.data.items.length === 0) return <NoPromptsYet projectId={projectId} />;
  return (
    <section className="stack stack--tight" aria-labelledby="prompts-title">
      <h2 id="prompts-title" className="section-title">
        Prompts
      </h2>
      <DataTable
        label="Prompts"
        columns={promptColumns}
        data={query.data.items}
        getRowId={getRowId}
        onOpenRow={(prompt) => navigate(promptPath(prompt.id))}
      />
    </section>
  );
}

/** The empty project: how to send a first execution, and the list as soon as one arrives. */
function NoPromptsYet({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: promptKeys.list(projectId) });
  const live = useExecutionEvents(projectId, null, {
    onEvent: (event) => {
      if (event.type === 'created') refresh();
    },
    onResync: refresh,
  });
  return (
    <div className="stack">
      <FirstExecutionCard />
      <p role="status" className="muted">
        {live === 'open' ? 'Waiting for the first execution: this page shows it as soon as it is logged.' : ''}
      </p>
    </div>
  );
}
