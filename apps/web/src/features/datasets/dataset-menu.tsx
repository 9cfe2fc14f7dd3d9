import { DATASET_FORMATS } from '@promptlog/contracts/rules';
import { useId } from 'react';
import { usePopover } from '../../components/popover';
import { datasetUrl } from './api';

const FORMATS = {
  jsonl: { label: 'JSON Lines', hint: 'one JSON object per line, for evaluation tools' },
  csv: { label: 'CSV', hint: 'a row per execution, for spreadsheets' },
} as const;

/**
 * "Export dataset": the executions a list shows, with their inputs, messages, output and review, as JSON Lines or CSV.
 * `params` gives the list's filters when a format is picked, so a relative time range is resolved at that moment.
 */
export function DatasetMenu({
  projectId,
  params,
  fileName,
}: {
  projectId: string;
  params: () => URLSearchParams;
  fileName: string;
}) {
  const { open, toggle, rootRef, buttonRef } = usePopover();
  const id = useId();
  return (
    <div className="dataset-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--secondary button--sm"
        aria-expanded={open}
        aria-controls={`${id}-formats`}
        onClick={toggle}
      >
        Export dataset <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={`${id}-formats`} className="dataset-menu__popover" aria-label="Dataset formats">
          {DATASET_FORMATS.map((format) => (
            <li key={format}>
              <a
                className="dataset-menu__format"
                href={datasetUrl(projectId, format, params())}
                download={`${fileName}.${format}`}
                onClick={(event) => {
                  event.currentTarget.href = datasetUrl(projectId, format, params());
                }}
              >
                {FORMATS[format].label} <span className="muted">— {FORMATS[format].hint}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
