import { createHash } from 'node:crypto';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

// The browser asks for the dark theme; each test then chooses in the header or leaves it to the system.
test.use({ colorScheme: 'dark' });

const PROMPT = 'theme-check';
const HOUR = 3_600_000;
const anchor = Math.floor(Date.now() / HOUR) * HOUR;

// Ids from a hash of the spec's name: a worker that restarts and ingests again stores nothing twice.
function idFor(name: string): string {
  const hex = createHash('sha256').update(`theme.spec ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const STATUSES = ['success', 'error', 'cancelled', 'pending'] as const;

const executions = Array.from({ length: 24 }, (_, i) => {
  const status = i < 4 ? STATUSES[i] : i % 5 === 0 ? 'error' : 'success';
  return {
    id: idFor(`execution ${i}`),
    promptId: PROMPT,
    promptVersion: i < 12 ? 1 : 2,
    status,
    source: { type: i % 3 === 0 ? 'workflow' : 'api' },
    model: i % 4 === 0 ? 'claude-sonnet-4-5' : 'gpt-4o-mini',
    provider: i % 4 === 0 ? 'anthropic' : 'openai',
    startedAt: new Date(anchor - i * 2 * HOUR + 5 * 60_000).toISOString(),
    ...(status === 'pending' ? {} : { latencyMs: 300 + ((i * 137) % 900) }),
    inputs: { customer: 'Ada Lovelace', orderId: 1000 + i, filters: { region: 'eu', express: i % 2 === 0 } },
    request: {
      systemPrompt: 'You are a helpful support agent.',
      messages: [
        { role: 'user', content: `Where is order ${1000 + i}? My key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789` },
      ],
    },
    ...(status === 'error'
      ? { error: { type: 'rate_limit', message: 'Too many requests' } }
      : { output: { reply: 'Your order ships tomorrow.', confidence: 0.92, escalate: false, notes: null } }),
    ...(i % 2 === 0 ? { thinking: 'The order is packed; ask the carrier for a date.' } : {}),
    usage: { inputTokens: 200 + i, outputTokens: 60 },
  };
});

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { results } = await response.json();
  expect(results.filter((result: { status: string }) => result.status === 'rejected')).toEqual([]);
  // Rollups are folded in the background within seconds of ingestion.
  const from = new Date(anchor - 3 * 24 * HOUR).toISOString();
  await expect
    .poll(
      async () => {
        const summary = await request.get(`/api/v1/analytics/summary?promptId=${PROMPT}&from=${from}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        return summary.ok() ? (await summary.json()).calls : `${summary.status()}`;
      },
      { timeout: 20_000 },
    )
    .toBe(executions.length);
});

/** WCAG's contrast ratio of the element's text (or SVG fill) against the first opaque background behind it. */
async function contrast(locator: Locator, property: 'color' | 'fill' = 'color'): Promise<number> {
  return locator.evaluate((element, property) => {
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (channel: number) => {
        const c = channel / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    let behind: Element | null = element;
    let background = 'rgb(255, 255, 255)';
    while (behind) {
      const value = getComputedStyle(behind).backgroundColor;
      const alpha = rgb(value)[3];
      if (alpha === undefined || alpha === 1) {
        background = value;
        break;
      }
      behind = behind.parentElement;
    }
    const foreground = getComputedStyle(element).getPropertyValue(property);
    const [lighter, darker] = [luminance(rgb(foreground)), luminance(rgb(background))].sort((a, b) => b - a);
    return ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05);
  }, property);
}

async function bodyIsDark(page: Page): Promise<boolean> {
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r = 0, g = 0, b = 0, alpha = 1] = (background.match(/[\d.]+/g) ?? []).map(Number);
  expect(alpha, `the body's background, ${background}, is opaque`).toBe(1);
  return (r + g + b) / 3 < 64;
}

function themeChoice(page: Page, name: 'System' | 'Light' | 'Dark'): Locator {
  return page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name, exact: true });
}

test('follows the system preference, and a choice in the header overrides it across reloads', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto('/');
  const html = page.locator('html');

  await expect(themeChoice(page, 'System')).toBeChecked();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await bodyIsDark(page)).toBe(true);

  await themeChoice(page, 'Light').check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await bodyIsDark(page)).toBe(false);
  await page.reload();
  await expect(themeChoice(page, 'Light')).toBeChecked();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await bodyIsDark(page)).toBe(false);

  // A radio group: the arrow keys move the choice.
  await themeChoice(page, 'Light').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(themeChoice(page, 'System')).toBeChecked();
  await expect(themeChoice(page, 'System')).toBeFocused();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await bodyIsDark(page)).toBe(true);

  // System keeps following the preference when it changes, and after a reload.
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(themeChoice(page, 'System')).toBeChecked();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('a saved choice is applied before the app renders, under the CSP, so the other theme never flashes', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('promptlog.theme', 'light');
      sessionStorage.setItem('seeded', 'yes');
    }
  });
  // What <html> says the moment <body> exists, before any module script runs; and any CSP refusal.
  await page.addInitScript(() => {
    const record = { firstTheme: 'unset', violations: [] as string[] };
    Object.assign(window, { themeRecord: record });
    document.addEventListener('securitypolicyviolation', (event) => record.violations.push(event.violatedDirective));
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      observer.disconnect();
      record.firstTheme = document.documentElement.getAttribute('data-theme') ?? 'none';
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto('/');
  await expect(themeChoice(page, 'Light')).toBeChecked();
  const record = await page.evaluate(() => (window as unknown as { themeRecord: object }).themeRecord);
  expect(record).toEqual({ firstTheme: 'light', violations: [] });
});

test('the Logs tab, its drawer and the Analytics tab stay readable in the dark theme', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/prompts/${PROMPT}?range=7d&execution=${executions[1]?.id}`);
  await expect(themeChoice(page, 'System')).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText('Too many requests');
  await screenshot(page, 'theme-dark-logs-drawer');
  for (const text of [drawer.getByRole('heading').first(), drawer.locator('.badge').first()]) {
    expect(await contrast(text)).toBeGreaterThanOrEqual(4.5);
  }
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  const table = page.getByRole('table', { name: `Executions of ${PROMPT}` });
  for (const status of STATUSES) {
    const badge = table.locator(`.badge--${status}`).first();
    await expect(badge).toBeVisible();
    expect(await contrast(badge), `the ${status} badge`).toBeGreaterThanOrEqual(4.5);
  }
  expect(await contrast(table.getByRole('row').nth(1).getByRole('cell').last())).toBeGreaterThanOrEqual(4.5);

  await page.getByRole('tab', { name: 'Analytics' }).click();
  const chart = page.getByRole('figure', { name: 'Calls by model', exact: true });
  const tick = chart.locator('.recharts-cartesian-axis-tick-value').filter({ hasText: 'gpt-4o-mini' });
  await expect(tick).toBeVisible({ timeout: 15_000 });
  expect(await contrast(tick, 'fill')).toBeGreaterThanOrEqual(4.5);
  await chart.locator('.recharts-bar-rectangle').first().hover();
  const tooltip = chart.locator('.recharts-default-tooltip');
  await expect(tooltip).toContainText('gpt-4o-mini');
  expect(await contrast(tooltip.locator('.recharts-tooltip-label'))).toBeGreaterThanOrEqual(4.5);
  expect(await contrast(tooltip.locator('.recharts-tooltip-item'))).toBeGreaterThanOrEqual(4.5);
  await screenshot(page, 'theme-dark-analytics', { fullPage: true });
});
