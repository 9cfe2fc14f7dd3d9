import type { RepricingJob } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { isRepricing, modelPriceKeys, repricingJobsQuery, retryRepricing } from './api';
import { repricingBar, repricingProgress } from './form';

/**
 * The re-pricings to show: every one under way or failed, and those this page started, once done. Polls while one
 * runs; when one this page watches finishes, every query is read again, since costs changed everywhere.
 */
export function RepricingProgress({ projectId, watching }: { projectId: string; watching: ReadonlySet<string> }) {
  const queryClient = useQueryClient();
  const jobs = useQuery(repricingJobsQuery(projectId));
  const shown = (jobs.data?.items ?? []).filter(
    (job) => isRepricing(job) || job.state === 'failed' || watching.has(job.id),
  );

  const finished = useRef(new Set<string>());
  const doneNow = shown.filter((job) => job.state === 'done' && !finished.current.has(job.id)).map((job) => job.id);
  const doneKey = doneNow.join(',');
  useEffect(() => {
    if (doneKey === '') return;
    for (const id of doneKey.split(',')) finished.current.add(id);
    void queryClient.invalidateQueries();
  }, [doneKey, queryClient]);

  if (shown.length === 0) return null;
  return (
    <ul className="repricing-list" aria-label="Re-pricing">
      {shown.map((job) => (
        <RepricingItem key={job.id} projectId={projectId} job={job} />
      ))}
    </ul>
  );
}

function RepricingItem({ projectId, job }: { projectId: string; job: RepricingJob }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryRepricing(projectId, job.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: modelPriceKeys.repricing(projectId) }),
  });
  const { value, max } = repricingBar(job);
  const label = `Re-pricing ${job.model}`;
  return (
    <li className={`repricing-item repricing-item--${job.state}`}>
      {job.state !== 'failed' && (
        <div
          className="repricing-item__bar"
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={max}
          aria-valuenow={value}
          aria-valuetext={repricingProgress(job)}
        >
          <span style={{ width: max === 0 ? '100%' : `${(100 * value) / max}%` }} />
        </div>
      )}
      <span role="status">{repricingProgress(job)}</span>
      {job.state === 'failed' && (
        <>
          <Button size="sm" variant="secondary" pending={retry.isPending} onClick={() => retry.mutate()}>
            Retry
            <span className="visually-hidden"> re-pricing {job.model}</span>
          </Button>
          <ErrorMessage error={retry.error} title="Could not retry the re-pricing" />
        </>
      )}
    </li>
  );
}
