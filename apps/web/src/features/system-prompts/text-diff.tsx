import { useMemo } from 'react';
import { diffCounts, wordDiff } from './diff';

/**
 * Text `b` against text `a`, word by word. Parts are React text nodes, never HTML; removed words are struck through
 * and added ones underlined (not only coloured), each announced as such to a screen reader.
 */
export function TextDiff({ a, b, label }: { a: string; b: string; label: string }) {
  const parts = useMemo(() => wordDiff(a, b), [a, b]);
  if (parts === null) {
    return <p className="muted">These texts are too different to compare word by word.</p>;
  }
  const { added, removed } = diffCounts(parts);
  return (
    <div className="stack stack--tight">
      <p className="muted text-diff__summary">
        {added === 0 && removed === 0
          ? 'The same text.'
          : `${removed} ${removed === 1 ? 'word' : 'words'} removed, ${added} added.`}{' '}
        <span className="text-diff__legend">
          <del className="text-diff__removed">removed</del> <ins className="text-diff__added">added</ins>
        </span>
      </p>
      <figure className="text-diff" aria-label={label}>
        {parts.map((part, index) =>
          part.kind === 'added' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence computed from the two texts
            <ins key={index} className="text-diff__added">
              <span className="visually-hidden">[added: </span>
              {part.text}
              <span className="visually-hidden">]</span>
            </ins>
          ) : part.kind === 'removed' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            <del key={index} className="text-diff__removed">
              <span className="visually-hidden">[removed: </span>
              {part.text}
              <span className="visually-hidden">]</span>
            </del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            <span key={index}>{part.text}</span>
          ),
        )}
      </figure>
    </div>
  );
}
