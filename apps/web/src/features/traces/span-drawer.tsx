import type { TraceSpanNode } from '@promptlog/contracts';
import { CopyButton } from '../../components/copy-button';
import { Drawer } from '../../components/drawer';
import { RedactedText } from '../../components/redacted-text';
import { formatDateTime, formatLatency } from '../../lib/format';
import { StepButtons, stepKeyHandler } from '../logs/execution-drawer';
import { LongText, MetaRow, Section, stringify } from '../logs/execution-sections';
import { KindBadge, NodeStatus } from './columns';

type SpanDrawerProps = {
  node: TraceSpanNode;
  previousId: string | null;
  nextId: string | null;
  onOpen: (id: string, options?: { replace?: boolean }) => void;
  onClose: () => void;
};

/** A step that is not an LLM call: its timing, status and attributes, all shown as text. */
export function SpanDrawer({ node, previousId, nextId, onOpen, onClose }: SpanDrawerProps) {
  return (
    <Drawer
      title="Step details"
      onClose={onClose}
      onKeyDown={stepKeyHandler(previousId, nextId, onOpen)}
      actions={<StepButtons noun="step" previousId={previousId} nextId={nextId} onOpen={onOpen} />}
    >
      <div className="drawer-summary">
        <KindBadge kind={node.kind} />
        <span className="drawer-summary__model break">{node.name}</span>
        <NodeStatus node={node} />
        <span className="muted">{node.durationMs === null ? 'running' : formatLatency(node.durationMs)}</span>
      </div>
      <div className="detail">
        <Section title="Step">
          <dl className="meta-grid">
            <MetaRow label="Kind">{node.kind}</MetaRow>
            <MetaRow label="Service">{node.serviceName ?? '—'}</MetaRow>
            <MetaRow label="Started">{formatDateTime(node.startedAt)}</MetaRow>
            <MetaRow label="Into the trace">{formatLatency(node.offsetMs)}</MetaRow>
            <MetaRow label="Ended">{node.endedAt ? formatDateTime(node.endedAt) : 'still running'}</MetaRow>
            <MetaRow label="Duration">{formatLatency(node.durationMs)}</MetaRow>
            <MetaRow label="Span ID">
              <code>{node.id}</code>
            </MetaRow>
            <MetaRow label="Parent">{node.parentId ? <code>{node.parentId}</code> : 'none (a root)'}</MetaRow>
          </dl>
          {node.statusMessage && (
            <>
              <h4 className="detail-section__subtitle">Status message</h4>
              <LongText text={node.statusMessage} label="status message" />
            </>
          )}
        </Section>
        <AttributesSection node={node} />
      </div>
    </Drawer>
  );
}

const SHORT_VALUE = 120;

function AttributesSection({ node }: { node: TraceSpanNode }) {
  if (node.payloadHidden) {
    return (
      <Section title="Attributes">
        <p className="muted">
          Hidden: a step's attributes and status message are shown to those who may read the logs of every prompt in
          this trace. Ask a project admin for access to them.
        </p>
      </Section>
    );
  }
  const entries = Object.entries(node.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Section title="Attributes" count={entries.length}>
      {entries.length === 0 ? (
        <p className="muted">No attributes were recorded.</p>
      ) : (
        <>
          <div>
            <CopyButton text={JSON.stringify(node.attributes, null, 2)} label="Copy attributes as JSON" />
          </div>
          <dl className="attributes">
            {entries.map(([key, value]) => {
              const text = stringify(value);
              const short = typeof value !== 'object' && text.length <= SHORT_VALUE && !text.includes('\n');
              return (
                <div key={key} className="attributes__item">
                  <dt className="attributes__key">{key}</dt>
                  <dd className="attributes__value">
                    {short ? <RedactedText text={text} /> : <LongText text={text} label={key} />}
                  </dd>
                </div>
              );
            })}
          </dl>
        </>
      )}
    </Section>
  );
}
