import type { ExecutionDetail, FileInput } from '@promptlog/contracts';
import { type ReactNode, useId, useState } from 'react';
import { CopyIconButton } from '../../components/copy-icon-button';
import { JsonTree } from '../../components/json-tree';
import { Markdown } from '../../components/markdown';
import { RedactedText } from '../../components/redacted-text';
import { StatusBadge } from '../../components/status-badge';
import {
  COST_ORIGIN_LABELS,
  formatBytes,
  formatCost,
  formatCount,
  formatDateTime,
  formatLatency,
} from '../../lib/format';
import { Link } from '../../lib/router';
import { conversationPath } from '../conversations/api';
import { tracePath } from '../traces/api';
import { signalsOf } from './api';
import { SignalChips, sourceLabel } from './columns';
import { displayRounds } from './drawer/timeline';
import { FilterValueButton } from './filter-action';
import { describeTrace } from './trace';

export function Section({
  title,
  children,
  count,
  level = 3,
}: {
  title: string;
  children: ReactNode;
  count?: number;
  /** 4 where the section sits under a heading of the drawer's own, as the Result does in the timeline. */
  level?: 3 | 4;
}) {
  const id = useId();
  const Heading = level === 4 ? 'h4' : 'h3';
  return (
    <section className="detail-section" aria-labelledby={id}>
      <Heading id={id} className="detail-section__title">
        {title}
        {count !== undefined && ` (${count})`}
      </Heading>
      {children}
    </section>
  );
}

export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFileInput(value: unknown): value is FileInput {
  return (
    isRecord(value) &&
    value.type === 'file' &&
    typeof value.name === 'string' &&
    typeof value.mimeType === 'string' &&
    typeof value.sizeBytes === 'number'
  );
}

const LIMITS = { normal: { chars: 600, lines: 10 }, compact: { chars: 240, lines: 3 } };

/**
 * Logged text, shown in full up to a limit, then behind "Show all"; the copy button beside it always copies all of
 * it. `compact` shows less before "Show all", for values in a grid.
 */
export function LongText({
  text,
  label,
  className,
  compact = false,
}: {
  text: string;
  label: string;
  className?: string;
  compact?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const limit = LIMITS[compact ? 'compact' : 'normal'];
  const lines = text.split('\n');
  const long = text.length > limit.chars || lines.length > limit.lines;
  const shown = long && !expanded ? `${lines.slice(0, limit.lines).join('\n').slice(0, limit.chars)}…` : text;
  return (
    <div className="long-text">
      <div className="long-text__row">
        <pre id={id} className={['long-text__value', className ?? ''].filter(Boolean).join(' ')}>
          <RedactedText text={shown} />
        </pre>
        <CopyIconButton text={text} label={`Copy ${label}`} />
      </div>
      {long && (
        <button
          type="button"
          className="link-button long-text__toggle"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Show less' : `Show all (${formatCount(text.length)} characters)`}
        </button>
      )}
    </div>
  );
}

/** A logged value: text as text, objects and arrays as a JSON tree, other values as they print. */
export function PayloadValue({
  value,
  label,
  expandDepth,
  compact,
  className,
}: {
  value: unknown;
  label: string;
  expandDepth?: number;
  compact?: boolean;
  className?: string;
}) {
  if (typeof value === 'string') return <LongText text={value} label={label} compact={compact} className={className} />;
  if (typeof value === 'object' && value !== null)
    return <JsonTree value={value} label={label} expandDepth={expandDepth} />;
  return (
    <div className="long-text__row">
      <code className="payload-scalar">{value === undefined ? '—' : String(value)}</code>
      {value !== undefined && <CopyIconButton text={String(value)} label={`Copy ${label}`} />}
    </div>
  );
}

export const PAYLOAD_OMITTED = "Not stored: this project's payload policy keeps only metadata for this execution.";

export function InputsSection({ inputs, omitted = false }: { inputs: ExecutionDetail['inputs']; omitted?: boolean }) {
  const entries = Object.entries(inputs ?? {});
  return (
    <Section title="Inputs">
      {entries.length === 0 ? (
        <p className="muted">{omitted ? PAYLOAD_OMITTED : 'No inputs were logged.'}</p>
      ) : (
        <dl className="kv-grid">
          {entries.map(([name, value]) => (
            <div key={name} className="kv-grid__row">
              <dt className="kv-grid__name">{name}</dt>
              <dd className="kv-grid__value">
                {isFileInput(value) ? (
                  <p className="file-input">
                    <span className="file-input__kind">File</span>{' '}
                    <span className="file-input__name">{value.name}</span>{' '}
                    <span className="muted">
                      {value.mimeType} · {formatBytes(value.sizeBytes)}
                    </span>
                    {value.url && (
                      <>
                        {' '}
                        <SafeLink href={value.url}>Open file</SafeLink>
                      </>
                    )}
                  </p>
                ) : (
                  <PayloadValue value={value} label={name} compact expandDepth={1} />
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Section>
  );
}

type OutputView = 'text' | 'markdown' | 'json';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function ResultSection({ detail, level }: { detail: ExecutionDetail; level?: 3 | 4 }) {
  const { output, error, status } = detail;
  const hasOutput = output !== undefined && output !== null;
  const outputText = stringify(output);
  const [view, setView] = useState<OutputView>(typeof output === 'string' ? 'text' : 'json');
  const json =
    view === 'json' ? (typeof output === 'string' ? parseJson(output) : { ok: true as const, value: output }) : null;

  return (
    <Section title="Result" level={level}>
      {error && (
        <div className="error-detail">
          <dl className="meta-grid">
            <MetaRow label="Error type">{error.type ?? '—'}</MetaRow>
            <MetaRow label="Error code">{error.code ?? '—'}</MetaRow>
          </dl>
          <p className="error-detail__message">
            <RedactedText text={error.message} />
          </p>
          {error.stack && (
            <details className="error-detail__stack">
              <summary>Raw detail and stack</summary>
              <LongText text={error.stack} label="stack" />
            </details>
          )}
        </div>
      )}
      {hasOutput ? (
        <>
          <fieldset className="segmented">
            <legend className="visually-hidden">Show the output as</legend>
            {(['text', 'markdown', 'json'] as const).map((option) => (
              <button
                key={option}
                type="button"
                className="segmented__option"
                aria-pressed={view === option}
                onClick={() => setView(option)}
              >
                {option === 'json' ? 'JSON' : option === 'text' ? 'Text' : 'Markdown'}
              </button>
            ))}
          </fieldset>
          {view === 'text' && <LongText text={outputText} label="output" />}
          {view === 'markdown' && (
            <div className="long-text__row">
              <div className="output-markdown">
                <Markdown source={outputText} />
              </div>
              <CopyIconButton text={outputText} label="Copy output" />
            </div>
          )}
          {view === 'json' &&
            json &&
            (json.ok ? (
              <PayloadValue value={json.value} label="output" className="long-text__value--json" />
            ) : (
              <>
                <p className="muted">The output is not valid JSON; showing it as text.</p>
                <LongText text={outputText} label="output" />
              </>
            ))}
        </>
      ) : (
        (!error || detail.payload === 'omitted_by_policy') && (
          <p className="muted">
            {status === 'pending'
              ? 'Still running — no output yet.'
              : detail.payload === 'omitted_by_policy'
                ? PAYLOAD_OMITTED
                : 'No output was logged.'}
          </p>
        )
      )}
    </Section>
  );
}

export function MetaRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="meta-grid__row">
      <dt>{label}</dt>
      <dd>{children ?? '—'}</dd>
    </div>
  );
}

function SafeLink({ href, children }: { href: string; children: ReactNode }) {
  const safe = /^https?:\/\//i.test(href);
  if (!safe) return <span className="break">{href}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="break">
      {children}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

const JSON_VALIDITY: Record<string, string> = {
  true: 'valid',
  false: 'invalid: does not parse',
  null: 'not checked (not asked for, not JSON-like)',
};

export function MetadataSection({ detail }: { detail: ExecutionDetail }) {
  const usage = detail.usage;
  const metadata = Object.entries(detail.metadata ?? {});
  return (
    <Section title="Metadata">
      <dl className="meta-grid">
        <MetaRow label="Status">
          <FilterValueButton filter={{ key: 'status', value: detail.status }}>
            <StatusBadge status={detail.status} />
          </FilterValueButton>
        </MetaRow>
        <MetaRow label="Model">
          <FilterValueButton filter={{ key: 'model', value: detail.model }} />
        </MetaRow>
        <MetaRow label="Provider">{orDash(detail.provider)}</MetaRow>
        <MetaRow label="Input tokens">{formatCount(usage?.inputTokens)}</MetaRow>
        <MetaRow label="Output tokens">{formatCount(usage?.outputTokens)}</MetaRow>
        <MetaRow label="Cache read tokens">{formatCount(usage?.cacheReadTokens)}</MetaRow>
        <MetaRow label="Cache write tokens">{formatCount(usage?.cacheWriteTokens)}</MetaRow>
        <MetaRow label="Reasoning tokens">{formatCount(usage?.reasoningTokens)}</MetaRow>
        <MetaRow label="Cost">
          <span title={detail.costUsd ? `$${detail.costUsd}` : undefined}>
            {formatCost(detail.costUsd, detail.costOrigin)}
          </span>{' '}
          <span className="muted">({COST_ORIGIN_LABELS[detail.costOrigin]})</span>
        </MetaRow>
        <MetaRow label="Latency">{formatLatency(detail.latencyMs)}</MetaRow>
        <MetaRow label="Time to first token">{formatLatency(detail.timeToFirstTokenMs)}</MetaRow>
        <MetaRow label="Signals">
          <SignalChips signals={signalsOf(detail.signals)} />
        </MetaRow>
        <MetaRow label="Finish reason">{orDash(detail.signals.finishReason?.replace(/_/g, ' '))}</MetaRow>
        <MetaRow label="Output length">
          {detail.signals.outputChars === null ? '—' : `${formatCount(detail.signals.outputChars)} characters`}
        </MetaRow>
        <MetaRow label="JSON output">{JSON_VALIDITY[String(detail.signals.jsonValid)]}</MetaRow>
        <MetaRow label="Started">{formatDateTime(detail.startedAt)}</MetaRow>
        <MetaRow label="Source type">
          <FilterValueButton filter={{ key: 'source', value: detail.source.type }}>
            {sourceLabel(detail.source.type)}
          </FilterValueButton>
        </MetaRow>
        <MetaRow label="Source ID">{orDash(detail.source.id)}</MetaRow>
        <MetaRow label="Source link">
          {detail.source.url ? <SafeLink href={detail.source.url}>{detail.source.url}</SafeLink> : '—'}
        </MetaRow>
        <MetaRow label="Version">
          {detail.promptVersion ? (
            <FilterValueButton filter={{ key: 'version', value: String(detail.promptVersion) }}>
              v{detail.promptVersion}
            </FilterValueButton>
          ) : (
            '—'
          )}
        </MetaRow>
        <MetaRow label="Access key">{orDash(detail.accessKey)}</MetaRow>
        <MetaRow label="User email">{orDash(detail.user?.email)}</MetaRow>
        {detail.user?.id && <MetaRow label="User ID">{detail.user.id}</MetaRow>}
        <MetaRow label="Request ID">{orDash(detail.requestId)}</MetaRow>
        <MetaRow label="Attempt">{orDash(detail.attempt)}</MetaRow>
        <MetaRow label="Generation">{orDash(detail.generation)}</MetaRow>
        <MetaRow label="Triggered by">{orDash(detail.triggeredBy)}</MetaRow>
        <MetaRow label="Environment">{orDash(detail.environment)}</MetaRow>
        {detail.conversationId && (
          <MetaRow label="Conversation">
            <FilterValueButton filter={{ key: 'conversation', value: detail.conversationId }} />{' '}
            <Link to={conversationPath(detail.conversationId)}>Open conversation</Link>
          </MetaRow>
        )}
        {(detail.location?.node || detail.location?.field) && (
          <MetaRow label="Location">
            {[detail.location.node, detail.location.field].filter(Boolean).join(' · ')}
          </MetaRow>
        )}
        <MetaRow label="Tags">
          {(detail.tags ?? []).length === 0 ? (
            '—'
          ) : (
            <ul className="inline-list">
              {(detail.tags ?? []).map((tag) => (
                <li key={tag}>
                  <FilterValueButton filter={{ key: 'tag', value: tag }} />
                </li>
              ))}
            </ul>
          )}
        </MetaRow>
      </dl>
      {metadata.length > 0 && (
        <>
          <h4 className="detail-section__subtitle">Custom metadata</h4>
          <dl className="meta-grid">
            {metadata.map(([key, value]) => (
              <MetaRow key={key} label={key}>
                {typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? (
                  <FilterValueButton filter={{ key: 'meta', value: { key, value: String(value) } }}>
                    {String(value)}
                  </FilterValueButton>
                ) : (
                  <PayloadValue value={value} label={`metadata ${key}`} compact expandDepth={1} />
                )}
              </MetaRow>
            ))}
          </dl>
        </>
      )}
    </Section>
  );
}

/** The request as logged: the Timeline shows it as a conversation, this shows its data. */
export function RequestSection({ request }: { request: ExecutionDetail['request'] }) {
  const messages = request?.messages ?? [];
  const parameters = Object.entries(request?.parameters ?? {});
  if (!request || (!request.systemPrompt && messages.length === 0 && parameters.length === 0)) {
    return (
      <Section title="Request">
        <p className="muted">The request sent to the model was not logged.</p>
      </Section>
    );
  }
  return (
    <Section title="Request">
      {request.systemPrompt && (
        <>
          <h4 className="detail-section__subtitle">System prompt</h4>
          <LongText text={request.systemPrompt} label="system prompt" />
        </>
      )}
      {messages.length > 0 && (
        <>
          <h4 className="detail-section__subtitle">Messages</h4>
          <JsonTree value={messages} label="messages" />
        </>
      )}
      {parameters.length > 0 && (
        <>
          <h4 className="detail-section__subtitle">Parameters</h4>
          <dl className="meta-grid">
            {parameters.map(([key, value]) => (
              <MetaRow key={key} label={key}>
                <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
              </MetaRow>
            ))}
          </dl>
        </>
      )}
    </Section>
  );
}

function thinkingText(thinking: ExecutionDetail['thinking']): string {
  if (typeof thinking === 'string') return thinking;
  return (thinking ?? [])
    .map((block) => {
      if (typeof block === 'string') return block;
      if (isRecord(block)) {
        if (typeof block.thinking === 'string') return block.thinking;
        if (typeof block.text === 'string') return block.text;
      }
      return stringify(block);
    })
    .join('\n\n');
}

export function ThinkingSection({ thinking }: { thinking: ExecutionDetail['thinking'] }) {
  const text = thinkingText(thinking);
  if (!text) return null;
  return (
    <Section title="Thinking">
      <details className="thinking">
        <summary>Show the model’s thinking ({formatCount(text.length)} characters)</summary>
        <LongText text={text} label="thinking" />
      </details>
    </Section>
  );
}

export function ToolCallsSection({ toolCalls }: { toolCalls: ExecutionDetail['toolCalls'] }) {
  const calls = toolCalls ?? [];
  if (calls.length === 0) return null;
  const rounds = displayRounds(calls);
  return (
    <Section title="Tool calls" count={calls.length}>
      <ol className="tool-calls">
        {calls.map((call, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: tool calls are a fixed, ordered log
          <li key={index} className="tool-call">
            <p className="tool-call__header">
              <span className="muted">Round {rounds[index]}</span> <strong>{call.name}</strong>
              {call.latencyMs !== undefined && <span className="muted"> · {formatLatency(call.latencyMs)}</span>}
              {call.error !== undefined && call.error !== null && <span className="tool-call__failed"> · failed</span>}
            </p>
            <h5 className="tool-call__label">Arguments</h5>
            <PayloadValue value={call.arguments} label={`${call.name} arguments`} />
            {call.result !== undefined && (
              <>
                <h5 className="tool-call__label">Result</h5>
                <PayloadValue value={call.result} label={`${call.name} result`} />
              </>
            )}
            {call.error !== undefined && call.error !== null && (
              <>
                <h5 className="tool-call__label">Error</h5>
                <PayloadValue value={call.error} label={`${call.name} error`} className="long-text__value--error" />
              </>
            )}
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function TraceSection({
  detail,
  onOpen,
  traceLink = true,
}: {
  detail: ExecutionDetail;
  onOpen: (id: string) => void;
  /** Whether to link to the trace's page. */
  traceLink?: boolean;
}) {
  if (detail.traceSteps.length <= 1 && !detail.trace) return null;
  const entries = describeTrace(detail.traceSteps);
  return (
    <Section title="Trace">
      {detail.trace && (
        <p className="trace__header">
          <span className="muted break">
            Trace <code>{detail.trace.traceId}</code>
          </span>
          {traceLink && (
            <Link className="trace__open" to={tracePath(detail.trace.traceId)}>
              Open trace
            </Link>
          )}
        </p>
      )}
      <ol className="trace">
        {entries.map((entry) => {
          const current = entry.item.id === detail.id;
          const content = (
            <>
              <span className="trace__step">
                Step {entry.step}
                {entry.attempts > 1 && ` · attempt ${entry.attempt} of ${entry.attempts}`}
              </span>
              <span className="trace__type">{entry.item.traceStepType ?? 'step'}</span>
              {entry.item.promptId !== detail.promptId && <span className="trace__prompt">{entry.item.promptId}</span>}
              <StatusBadge status={entry.item.status} />
              <span className="trace__model">{entry.item.model}</span>
              <span className="numeric muted">{formatLatency(entry.item.latencyMs)}</span>
              <span className="numeric muted">{formatCost(entry.item.costUsd, entry.item.costOrigin)}</span>
              {entry.stoppedHere && <span className="trace__stopped">Execution stopped here</span>}
              {entry.attempts > 1 && entry.attempt < entry.attempts && entry.item.status === 'error' && (
                <span className="muted">fell back to the next attempt</span>
              )}
            </>
          );
          return (
            <li key={entry.item.id} className={`trace__item${entry.stoppedHere ? ' trace__item--stopped' : ''}`}>
              {current ? (
                <div className="trace__entry trace__entry--current" aria-current="step">
                  {content}
                  <span className="visually-hidden"> (shown)</span>
                </div>
              ) : (
                <button type="button" className="trace__entry" onClick={() => onOpen(entry.item.id)}>
                  {content}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}
