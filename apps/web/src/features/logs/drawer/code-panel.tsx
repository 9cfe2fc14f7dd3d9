import type { ExecutionDetail } from '@promptlog/contracts';
import { useMemo } from 'react';
import { CodeBlock } from '../../../components/code-block';
import { Tabs } from '../../../components/tabs';
import { buildProviderCode, type CodeLanguage } from '../../../lib/provider-code';

const LANGUAGES = [
  { value: 'typescript', label: 'TypeScript' },
  { value: 'python', label: 'Python' },
] as const satisfies readonly { value: CodeLanguage; label: string }[];

const SDK_NAMES = { openai: 'OpenAI SDK', anthropic: 'Anthropic SDK', 'openai-compatible': 'OpenAI SDK' } as const;

/** "Copy as code": the logged request as a call of its provider's SDK, to read and copy, in either language. */
export function CodePanel({
  id,
  detail,
  language,
  onLanguage,
}: {
  id: string;
  detail: ExecutionDetail;
  language: CodeLanguage;
  onLanguage: (language: CodeLanguage) => void;
}) {
  const { shape, code } = useMemo(() => buildProviderCode(detail, language), [detail, language]);
  const name = LANGUAGES.find((option) => option.value === language)?.label ?? language;
  return (
    <section id={id} className="code-panel" aria-label="Request as code">
      <Tabs label="Language" tabs={LANGUAGES} selected={language} onSelect={onLanguage}>
        <CodeBlock code={code} label={`${SDK_NAMES[shape]} · ${name}`} copyLabel={`Copy ${name} code`} />
      </Tabs>
      {shape === 'openai-compatible' && (
        <p className="muted">
          {detail.provider ? `${detail.provider} is` : 'This provider is'} called through the OpenAI SDK at its
          OpenAI-compatible endpoint.
        </p>
      )}
    </section>
  );
}
