import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, lists, quotes and fenced code', () => {
    const blocks = parseMarkdown(
      '# Title\n\nFirst line\ncontinues.\n\n- one\n- **two**\n\n1. a\n2. b\n\n> quoted\n\n```js\nconst x = 1 < 2;\n```\n---',
    );
    expect(blocks.map((block) => block.type)).toEqual([
      'heading',
      'paragraph',
      'list',
      'list',
      'quote',
      'code',
      'rule',
    ]);
    expect(blocks[1]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'First line continues.' }] });
    expect(blocks[3]).toMatchObject({ type: 'list', ordered: true });
    expect(blocks[5]).toEqual({ type: 'code', language: 'js', text: 'const x = 1 < 2;' });
  });

  it('keeps markup as text', () => {
    expect(parseMarkdown('<img src=x onerror=alert(1)>')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }] },
    ]);
  });
});

describe('parseInline', () => {
  it('reads code, bold, italic and links', () => {
    expect(parseInline('a `b` **c** *d* [e](https://example.com/x)')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'code', text: 'b' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'c' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'd' }] },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://example.com/x', children: [{ type: 'text', text: 'e' }] },
    ]);
  });

  it('leaves unsafe links as plain text', () => {
    expect(parseInline('[click](javascript:alert(1))')).toEqual([
      { type: 'text', text: '[click](javascript:alert(1))' },
    ]);
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('http://example.com')).toBe('http://example.com/');
  });

  it('does not treat arithmetic as emphasis', () => {
    expect(parseInline('2 * 3 * 4')).toEqual([{ type: 'text', text: '2 * 3 * 4' }]);
  });

  it('keeps redaction markers whole, whatever underscores their rule names hold', () => {
    expect(parseInline('a [REDACTED:api_key] b [REDACTED:api_key] **c**')).toEqual([
      { type: 'text', text: 'a [REDACTED:api_key] b [REDACTED:api_key] ' },
      { type: 'strong', children: [{ type: 'text', text: 'c' }] },
    ]);
  });
});
