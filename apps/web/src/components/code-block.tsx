import { useId } from 'react';
import { CopyButton } from './copy-button';

type CodeBlockProps = { code: string; label: string; copyLabel?: string };

export function CodeBlock({ code, label, copyLabel = 'Copy command' }: CodeBlockProps) {
  const id = useId();
  return (
    <figure className="code-block" aria-labelledby={id}>
      <figcaption className="code-block__header">
        <span id={id} className="code-block__label">
          {label}
        </span>
        <CopyButton text={code} label={copyLabel} />
      </figcaption>
      <pre className="code-block__code">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
