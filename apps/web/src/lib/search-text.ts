import { useEffect, useRef, useState } from 'react';

type SearchTextOptions = {
  /** How long typing must pause before the text is searched. */
  delayMs: number;
  /** Search the text trimmed. */
  trim?: boolean;
};

/**
 * A search box's text: searched with `onSearch` once typing pauses (or at once by `apply`), and set to `q`, the
 * search in the URL, whenever that changes otherwise (back, forward, a link).
 */
export function useSearchText(q: string, onSearch: (q: string) => void, options: SearchTextOptions) {
  const { delayMs, trim = false } = options;
  const [text, setText] = useState(q);
  const sent = useRef(q);
  useEffect(() => {
    if (q === sent.current) return;
    sent.current = q;
    setText(q);
  }, [q]);
  const apply = (value: string) => {
    sent.current = trim ? value.trim() : value;
    onSearch(sent.current);
  };
  const latestApply = useRef(apply);
  latestApply.current = apply;
  useEffect(() => {
    if ((trim ? text.trim() : text) === sent.current) return;
    const timer = setTimeout(() => latestApply.current(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs, trim]);
  return { text, setText, apply };
}
