import type { ReactNode } from 'react';
import { setThemePreference, THEME_PREFERENCES, type ThemePreference, useThemePreference } from '../lib/theme';

const LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

const ICONS: Record<ThemePreference, ReactNode> = {
  system: (
    <>
      <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
      <path d="M5.5 13.75h5M8 11v2.75" />
    </>
  ),
  light: (
    <>
      <circle cx="8" cy="8" r="2.75" />
      <path d="M8 1.25v1.5M8 13.25v1.5M1.25 8h1.5M13.25 8h1.5M3.2 3.2l1.06 1.06M11.74 11.74l1.06 1.06M3.2 12.8l1.06-1.06M11.74 4.26l1.06-1.06" />
    </>
  ),
  dark: <path d="M13.5 9.6A5.75 5.75 0 0 1 6.4 2.5a5.75 5.75 0 1 0 7.1 7.1Z" />,
};

/** System, Light or Dark: native radios, so arrow keys move the choice and it is announced as a group. */
export function ThemeToggle() {
  const current = useThemePreference();
  return (
    <div role="radiogroup" aria-label="Theme" className="theme-toggle">
      {THEME_PREFERENCES.map((preference) => (
        <label key={preference} className="theme-toggle__option" title={`${LABELS[preference]} theme`}>
          <input
            type="radio"
            name="theme"
            value={preference}
            className="theme-toggle__input"
            checked={current === preference}
            onChange={() => setThemePreference(preference)}
          />
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            width="16"
            height="16"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            {ICONS[preference]}
          </svg>
          <span className="visually-hidden">{LABELS[preference]}</span>
        </label>
      ))}
    </div>
  );
}
