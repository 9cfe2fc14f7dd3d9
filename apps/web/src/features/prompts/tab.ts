export const PROMPT_TABS = [
  { value: 'logs', label: 'Logs' },
  { value: 'analytics', label: 'Analytics' },
] as const;
export type PromptTab = (typeof PROMPT_TABS)[number]['value'];

/** The tab a prompt opens on: Logs, or Analytics for a reader who may not see this prompt's logs. */
export function defaultPromptTab(canViewLogs: boolean): PromptTab {
  return canViewLogs ? 'logs' : 'analytics';
}

export function parsePromptTab(param: string | null, canViewLogs: boolean): PromptTab {
  return PROMPT_TABS.find((tab) => tab.value === param)?.value ?? defaultPromptTab(canViewLogs);
}

/** The `tab` search param for a choice: absent for the default, so plain prompt links stay short. */
export function promptTabParam(tab: PromptTab, canViewLogs: boolean): PromptTab | null {
  return tab === defaultPromptTab(canViewLogs) ? null : tab;
}
