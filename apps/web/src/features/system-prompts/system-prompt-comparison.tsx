import type { SystemPromptItem, SystemPromptList } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { isApiError } from '../../lib/api-client';
import { useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { systemPromptsQuery } from './api';
import {
  chosenDrift,
  chosenTexts,
  type Drift,
  driftSentence,
  driftsOf,
  mainText,
  textOptionLabel,
  usageText,
  versionParam,
} from './drift';
import { TextDiff } from './text-diff';

type Props = { promptId: string; a: number | undefined; b: number | undefined };

/** The comparison's "System prompt" part: the two versions' texts word by word, and any two texts of one that drifted. */
export function SystemPromptComparison({ promptId, a, b }: Props) {
  const id = useId();
  const [search] = useSearchParams();
  const { id: projectId } = useProject();
  const list = useQuery(systemPromptsQuery(projectId, promptId));
  const section = useRef<HTMLElement>(null);
  const linkedTo = search.has('driftVersion');
  const loaded = list.data !== undefined;

  // Opened from the prompt page's drift notice: bring the part it links to into view once it is there.
  useEffect(() => {
    if (linkedTo && loaded) section.current?.scrollIntoView({ block: 'start' });
  }, [linkedTo, loaded]);

  return (
    <section ref={section} className="stack system-prompts" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="compare__subtitle">
        System prompt
      </h4>
      {list.isError ? (
        isApiError(list.error, 403) ? (
          <p className="muted">System prompts are logged text: reading them needs access to this prompt's logs.</p>
        ) : (
          <RetryableError
            size="sm"
            error={list.error}
            title="Could not load the system prompts"
            onRetry={() => void list.refetch()}
          />
        )
      ) : !list.data ? (
        <Loading label="Loading the system prompts…" />
      ) : (
        <>
          {a !== undefined && b !== undefined && a !== b && <VersionsDiff list={list.data} a={a} b={b} />}
          <DriftDiff list={list.data} />
        </>
      )}
    </section>
  );
}

function VersionsDiff({ list, a, b }: { list: SystemPromptList; a: number; b: number }) {
  const textA = mainText(list, a);
  const textB = mainText(list, b);
  return (
    <div className="stack stack--tight">
      <p className="muted">
        v{b}'s system prompt against v{a}'s
        {textA && textB
          ? ` (each version's most used; ${sourceNote(list, a, textA)}; ${sourceNote(list, b, textB)}).`
          : '.'}
      </p>
      {!textA || !textB ? (
        <>
          {!textA && <p>No system prompt was logged for v{a}.</p>}
          {!textB && <p>No system prompt was logged for v{b}.</p>}
        </>
      ) : (
        <Texts a={textA} b={textB} label={`System prompt of v${b} against v${a}`} />
      )}
    </div>
  );
}

function sourceNote(list: SystemPromptList, version: number, text: SystemPromptItem): string {
  const distinct = list.versions.find((v) => v.promptVersion === version)?.distinctTexts ?? 1;
  return distinct > 1 ? `v${version}: ${usageText(text)}, one of ${distinct} texts` : `v${version}: ${usageText(text)}`;
}

/** Two texts word by word, or why they cannot be shown. */
function Texts({ a, b, label }: { a: SystemPromptItem; b: SystemPromptItem; label: string }) {
  if (a.text === null || b.text === null) {
    return (
      <p className="notice notice--neutral" role="note">
        {a.hash === b.hash ? 'Both are the same system prompt, but its' : 'The two system prompts differ, but their'}{' '}
        text was not kept: the project's payload policy stores no payloads (or none of these calls'), or retention has
        deleted it.
      </p>
    );
  }
  return <TextDiff a={a.text} b={b.text} label={label} />;
}

function DriftDiff({ list }: { list: SystemPromptList }) {
  const [search, setSearch] = useSearchParams();
  const id = useId();
  const drifts = driftsOf(list);
  const drift = chosenDrift(drifts, search.get('driftVersion'));
  if (list.items.length === 0) {
    return <p className="muted">No system prompt was logged for this prompt.</p>;
  }
  if (!drift) return <p className="muted">Every version was logged with one system prompt throughout.</p>;
  const pair = chosenTexts(drift.texts, search.get('driftA'), search.get('driftB'));
  return (
    <section className="stack stack--tight drift-diff" aria-labelledby={`${id}-title`}>
      <h5 id={`${id}-title`} className="drift-diff__title">
        {driftSentence(drift)}
      </h5>
      <div className="compare__pickers drift-diff__pickers">
        {drifts.length > 1 && (
          <Picker
            label="Version that drifted"
            value={versionParam(drift.version)}
            options={drifts.map((d: Drift) => ({ value: versionParam(d.version), label: d.label }))}
            onChange={(value) => setSearch({ driftVersion: value, driftA: null, driftB: null }, { replace: true })}
          />
        )}
        {pair && (
          <>
            <Picker
              label="Text A"
              value={pair[0].hash}
              options={drift.texts.map((t, i) => ({ value: t.hash, label: textOptionLabel(t, i) }))}
              onChange={(value) => setSearch({ driftA: value }, { replace: true })}
            />
            <Picker
              label="Text B"
              value={pair[1].hash}
              options={drift.texts.map((t, i) => ({ value: t.hash, label: textOptionLabel(t, i) }))}
              onChange={(value) => setSearch({ driftB: value }, { replace: true })}
            />
          </>
        )}
      </div>
      {pair ? (
        pair[0].hash === pair[1].hash ? (
          <p className="muted">Choose two different texts.</p>
        ) : (
          <Texts a={pair[0]} b={pair[1]} label={`Text B against text A of ${drift.label}`} />
        )
      ) : (
        <p className="muted">Only one of its texts is listed here.</p>
      )}
    </section>
  );
}

function Picker(props: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="field compare__field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <select
        id={id}
        className="field__input"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
