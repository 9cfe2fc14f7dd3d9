import type { ComparedSample, SamplePair, VersionSamples } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { isApiError } from '../../lib/api-client';
import { formatCost, formatDateTime, formatLatency, formatRelativeTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useProject } from '../auth/session';
import { SIGNAL_TONE } from '../logs/columns';
import { signalLabel } from '../logs/filter-action';
import { promptPath, promptQuery } from '../prompts/api';
import { samplesQuery } from './api';
import { inputsSummary, samplesNote } from './samples';
import type { ResolvedWindow } from './window';

type Props = { promptId: string; a: number; b: number; window: ResolvedWindow };

/**
 * The comparison's "Same inputs, side by side" part: calls of the two versions that had the same inputs, their answers
 * next to each other. Outputs are logged text, so the part is left out for a caller who may not read the logs.
 */
export function SameInputSamples({ promptId, a, b, window }: Props) {
  const id = useId();
  const { id: projectId } = useProject();
  const prompt = useQuery(promptQuery(projectId, promptId));
  const canViewLogs = prompt.data?.canViewLogs === true;
  const samples = useQuery({
    ...samplesQuery(projectId, promptId, { from: window.from, to: window.to }, a, b),
    enabled: canViewLogs,
  });
  if (!canViewLogs || isApiError(samples.error, 403)) return null;

  return (
    <section className="stack same-inputs" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="compare__subtitle">
        Same inputs, side by side
      </h4>
      {samples.isError ? (
        <RetryableError
          size="sm"
          error={samples.error}
          title="Could not load the calls with the same inputs"
          onRetry={() => void samples.refetch()}
        />
      ) : !samples.data ? (
        <Loading label="Finding calls with the same inputs…" />
      ) : (
        <Pairs samples={samples.data} promptId={promptId} a={a} b={b} />
      )}
    </section>
  );
}

function Pairs({ samples, promptId, a, b }: { samples: VersionSamples; promptId: string; a: number; b: number }) {
  const note = <p className="muted compare__note">{samplesNote(samples, a, b)}</p>;
  if (samples.pairs.length === 0) return note;
  return (
    <>
      {note}
      <ol className="same-inputs__pairs" aria-label={`Calls of v${a} and v${b} with the same inputs`}>
        {samples.pairs.map((pair) => (
          <Pair key={pair.inputsHash} pair={pair} promptId={promptId} a={a} b={b} />
        ))}
      </ol>
    </>
  );
}

function Pair({ pair, promptId, a, b }: { pair: SamplePair; promptId: string; a: number; b: number }) {
  const summary = inputsSummary(pair.inputs);
  return (
    <li className="same-inputs__pair" aria-label={`Inputs: ${summary}`}>
      <p className="same-inputs__inputs">
        <span className="muted">Inputs </span>
        <span className="same-inputs__inputs-text" title={pair.inputs?.text}>
          {summary}
        </span>
      </p>
      <div className="same-inputs__sides">
        <Side version={a} sample={pair.a} promptId={promptId} />
        <Side version={b} sample={pair.b} promptId={promptId} />
      </div>
    </li>
  );
}

function Side({ version, sample, promptId }: { version: number; sample: ComparedSample; promptId: string }) {
  return (
    <section className="same-inputs__side" aria-label={`v${version}'s call`}>
      <div className="same-inputs__meta">
        <strong>v{version}</strong>
        <StatusBadge status={sample.status} title={sample.errorType ?? undefined} />
        {sample.signals.length > 0 && (
          <ul className="signal-list" aria-label="Signals">
            {sample.signals.map((signal) => (
              <li key={signal}>
                <span className={`badge badge--${SIGNAL_TONE[signal]}`}>{signalLabel(signal)}</span>
              </li>
            ))}
          </ul>
        )}
        <span className="muted numeric">{formatLatency(sample.latencyMs)}</span>
        <span className="muted numeric">{formatCost(sample.costUsd)}</span>
        <time className="muted" dateTime={sample.startedAt} title={formatDateTime(sample.startedAt)}>
          {formatRelativeTime(sample.startedAt)}
        </time>
        <Link
          className="same-inputs__open"
          to={`${promptPath(promptId)}?execution=${encodeURIComponent(sample.id)}`}
          aria-label={`Open v${version}'s call in the Logs tab`}
        >
          Open in Logs
        </Link>
      </div>
      <Answer sample={sample} />
    </section>
  );
}

function Answer({ sample }: { sample: ComparedSample }) {
  if (sample.payload === 'omitted_by_policy') {
    return <p className="muted">Output not kept: the project's payload policy stored only this call's metadata.</p>;
  }
  return (
    <>
      {sample.errorMessage !== null && <p className="same-inputs__error">{sample.errorMessage}</p>}
      {sample.output ? (
        <pre className="same-inputs__output">
          {sample.output.text}
          {sample.output.truncated && '…'}
        </pre>
      ) : (
        sample.errorMessage === null && <p className="muted">No output.</p>
      )}
      {sample.output?.truncated && <p className="muted compare__note">Cut short here: open it for the whole answer.</p>}
    </>
  );
}
