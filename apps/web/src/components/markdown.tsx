import { type ReactNode, useMemo } from 'react';
import { type Block, type Inline, parseMarkdown } from '../lib/markdown';
import { RedactedText } from './redacted-text';

/** Renders the Markdown subset as React elements only: logged text can never become markup. */
export function Markdown({ source }: { source: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div className="markdown">{blocks.map((block, index) => renderBlock(block, index))}</div>;
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.type) {
    case 'heading': {
      const Tag = `h${Math.min(6, block.level + 2)}` as 'h3' | 'h4' | 'h5' | 'h6';
      return <Tag key={key}>{renderInlines(block.children)}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{renderInlines(block.children)}</p>;
    case 'quote':
      return <blockquote key={key}>{renderInlines(block.children)}</blockquote>;
    case 'rule':
      return <hr key={key} />;
    case 'code':
      return (
        <pre key={key} className="markdown__code">
          <code>
            <RedactedText text={block.text} />
          </code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity beyond their position
        <li key={index}>{renderInlines(item)}</li>
      ));
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
  }
}

function renderInlines(inlines: Inline[]): ReactNode[] {
  return inlines.map(renderInline);
}

// Inline runs have no identity beyond their position, so the index is their key.
function renderInline(inline: Inline, key: number): ReactNode {
  if (inline.type === 'text') return <RedactedText key={key} text={inline.text} />;
  if (inline.type === 'code')
    return (
      <code key={key}>
        <RedactedText text={inline.text} />
      </code>
    );
  if (inline.type === 'strong') return <strong key={key}>{renderInlines(inline.children)}</strong>;
  if (inline.type === 'em') return <em key={key}>{renderInlines(inline.children)}</em>;
  return (
    <a key={key} href={inline.href} target="_blank" rel="noopener noreferrer">
      {renderInlines(inline.children)}
    </a>
  );
}
