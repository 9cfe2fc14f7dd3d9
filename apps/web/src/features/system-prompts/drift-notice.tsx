import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useProject } from '../auth/session';
import { promptPath } from '../prompts/api';
import { systemPromptsQuery } from './api';
import { driftSentence, driftsOf, excerpt, usageText, versionParam } from './drift';

/**
 * Said on the prompt page when a version label was logged with more than one system prompt: the label no longer says
 * which instructions ran. Quiet while loading or failing; the comparison shows those states.
 */
export function SystemPromptDriftNotice({ promptId }: { promptId: string }) {
  const id = useId();
  const { id: projectId } = useProject();
  const list = useQuery(systemPromptsQuery(projectId, promptId));
  const drifts = list.data ? driftsOf(list.data) : [];
  if (drifts.length === 0) return null;
  return (
    <section className="notice drift-notice stack stack--tight" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="drift-notice__title">
        System prompt drift
      </h2>
      {drifts.map((drift) => (
        <div key={versionParam(drift.version)} className="stack stack--tight">
          <p>
            {driftSentence(drift)}: first seen{' '}
            <time dateTime={drift.firstSeenAt}>{formatDateTime(drift.firstSeenAt)}</time>, last seen{' '}
            <time dateTime={drift.lastSeenAt}>{formatDateTime(drift.lastSeenAt)}</time>.{' '}
            <Link to={`${promptPath(promptId)}?tab=analytics&driftVersion=${versionParam(drift.version)}`}>
              Compare {drift.label}'s system prompts
            </Link>
          </p>
          <ul className="drift-notice__texts">
            {drift.texts.map((text) => (
              <li key={text.hash}>
                <span className="break">{excerpt(text.text)}</span> <span className="muted">{usageText(text)}</span>
              </li>
            ))}
            {drift.distinctTexts > drift.texts.length && (
              <li className="muted">and {drift.distinctTexts - drift.texts.length} more, each used less</li>
            )}
          </ul>
        </div>
      ))}
    </section>
  );
}
