import type { ExecutionDetail } from '@promptlog/contracts';
import { useId, useMemo } from 'react';
import { formatCount, formatLatency } from '../../../lib/format';
import { LongText, PAYLOAD_OMITTED, PayloadValue, ResultSection } from '../execution-sections';
import { buildTimeline, type TimelineEvent, type TimelinePart, type ToolCallEvent } from './timeline';

const ROLE_LABELS: Record<string, string> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  model: 'Assistant',
  tool: 'Tool',
  message: 'Message',
};

/** Roles with a look of their own; any other role a log names is shown as written, in the neutral look. */
const STYLED_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'model', 'tool']);

function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

const ATTACHMENT_LABELS = { image: 'Image', audio: 'Audio', file: 'File' } as const;

function Parts({ parts, label }: { parts: TimelinePart[]; label: string }) {
  return parts.map((part, index) => {
    const partLabel = parts.length > 1 ? `${label} part ${index + 1}` : label;
    if (part.type === 'text') {
      // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed, ordered log
      return <LongText key={index} text={part.text} label={partLabel} />;
    }
    if (part.type === 'attachment') {
      return (
        // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed, ordered log
        <p key={index} className="timeline__attachment">
          <span className="file-input__kind">{ATTACHMENT_LABELS[part.kind]}</span>{' '}
          <span className="break">{part.label}</span>
        </p>
      );
    }
    // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed, ordered log
    return <PayloadValue key={index} value={part.value} label={partLabel} expandDepth={2} />;
  });
}

function ToolCall({ event }: { event: ToolCallEvent }) {
  const pending = !event.result && !event.error;
  return (
    <>
      <p className="timeline__who">
        <span className="timeline__role">Tool call</span> <strong className="timeline__tool">{event.name}</strong>
        {event.round !== null && <span className="muted"> · round {event.round}</span>}
        {event.latencyMs !== null && <span className="muted"> · {formatLatency(event.latencyMs)}</span>}
        {(event.error || event.result?.failed) && <span className="tool-call__failed"> · failed</span>}
      </p>
      <h5 className="tool-call__label">Arguments</h5>
      <PayloadValue value={event.arguments} label={`${event.name} arguments`} expandDepth={2} />
      {event.result && (
        <>
          <h5 className="tool-call__label">Result</h5>
          <PayloadValue
            value={event.result.value}
            label={`${event.name} result`}
            expandDepth={2}
            className={event.result.failed ? 'long-text__value--error' : undefined}
          />
        </>
      )}
      {event.error && (
        <>
          <h5 className="tool-call__label">Error</h5>
          <PayloadValue
            value={event.error.value}
            label={`${event.name} error`}
            expandDepth={2}
            className="long-text__value--error"
          />
        </>
      )}
      {pending && (
        <p className="muted timeline__note">
          {event.phase === 'response'
            ? 'Asked for by the model: its result goes to the next call.'
            : 'No result in the logged conversation.'}
        </p>
      )}
    </>
  );
}

function Event({ event, index, detail }: { event: TimelineEvent; index: number; detail: ExecutionDetail }) {
  switch (event.kind) {
    case 'system':
    case 'message': {
      const name = event.kind === 'message' ? event.name : null;
      return (
        <>
          <p className="timeline__who">
            <span className="timeline__role">{roleLabel(event.role)}</span>
            {name && <span className="muted"> · {name}</span>}
          </p>
          <Parts parts={event.parts} label={`${roleLabel(event.role).toLowerCase()} message ${index + 1}`} />
        </>
      );
    }
    case 'thinking':
      return event.redacted ? (
        <p className="timeline__who">
          <span className="timeline__role">Thinking</span>{' '}
          <span className="muted">redacted by the provider: only that it happened was recorded</span>
        </p>
      ) : (
        <details className="thinking">
          <summary>
            Thinking <span className="muted">· {formatCount(event.text.length)} characters</span>
          </summary>
          <LongText text={event.text} label={`thinking ${index + 1}`} />
        </details>
      );
    case 'tool-call':
      return <ToolCall event={event} />;
    case 'tool-result':
      return (
        <>
          <p className="timeline__who">
            <span className="timeline__role">Tool result</span>
            {(event.name ?? event.id) && <span className="muted"> · {event.name ?? event.id}</span>}
            {event.failed && <span className="tool-call__failed"> · failed</span>}
          </p>
          <PayloadValue value={event.value} label={`tool result ${index + 1}`} expandDepth={2} />
        </>
      );
    case 'output':
      return <ResultSection key={detail.id} detail={detail} level={4} />;
  }
}

function eventClass(event: TimelineEvent): string {
  const role = 'role' in event && STYLED_ROLES.has(event.role) ? ` timeline__event--${event.role}` : '';
  return `timeline__event timeline__event--${event.kind}${role}`;
}

function Group({
  title,
  events,
  empty,
  detail,
}: {
  title: string;
  events: TimelineEvent[];
  empty: string;
  detail: ExecutionDetail;
}) {
  const id = useId();
  return (
    <section className="timeline__group" aria-labelledby={id}>
      <h3 id={id} className="timeline__heading">
        {title}
      </h3>
      {events.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ol className="timeline__events">
          {events.map((event, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is a fixed, ordered log
            <li key={index} className={eventClass(event)}>
              <Event event={event} index={index} detail={detail} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * The execution as a conversation, in the order it happened: what was sent to the model, then its answer with its
 * thinking, tool calls and output (the Result, with its error if it failed).
 */
export function TimelineView({ detail }: { detail: ExecutionDetail }) {
  const timeline = useMemo(() => buildTimeline(detail), [detail]);
  return (
    <div className="timeline">
      <Group
        title="Sent to the model"
        events={timeline.request}
        empty={
          detail.payload === 'omitted_by_policy' ? PAYLOAD_OMITTED : 'The request sent to the model was not logged.'
        }
        detail={detail}
      />
      <Group title="Response" events={timeline.response} empty="" detail={detail} />
    </div>
  );
}
