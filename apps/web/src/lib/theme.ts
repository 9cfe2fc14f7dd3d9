import { useSyncExternalStore } from 'react';

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

/** Also read by public/theme.js, which applies the theme before the first paint; keep the two in step. */
export const THEME_STORAGE_KEY = 'promptlog.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function parsePreference(stored: string | null): ThemePreference {
  return THEME_PREFERENCES.find((preference) => preference === stored) ?? 'system';
}

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): Theme {
  if (preference === 'system') return systemPrefersDark ? 'dark' : 'light';
  return preference;
}

// Storage can be unavailable (disabled cookies, some private modes): the theme then follows the system.
function readPreference(): ThemePreference {
  try {
    return parsePreference(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system';
  }
}

function writePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Applied for this page only.
  }
}

let preference: ThemePreference = 'system';
const listeners = new Set<() => void>();

function apply(): void {
  document.documentElement.dataset.theme = resolveTheme(preference, matchMedia(DARK_QUERY).matches);
}

function update(next: ThemePreference): void {
  preference = next;
  apply();
  for (const listener of listeners) listener();
}

/** Applies the saved theme and keeps it current: the system's setting changing, or another tab choosing one. */
export function startTheme(): void {
  preference = readPreference();
  apply();
  matchMedia(DARK_QUERY).addEventListener('change', apply);
  window.addEventListener('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) update(readPreference());
  });
}

export function setThemePreference(next: ThemePreference): void {
  writePreference(next);
  update(next);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, () => preference);
}
