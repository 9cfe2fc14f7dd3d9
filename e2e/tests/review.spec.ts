import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ensureAdmin } from './fixtures/admin';
import { screenshot } from './fixtures/screenshots';

const PROMPT = 'review-demo';
const LABEL = 'Great answer';

// Fixed ids: if the worker restarts and this setup runs again, the server stores nothing twice.
function id(name: string): string {
  const hex = createHash('sha256').update(`review.spec ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const base = { promptId: PROMPT, status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini' };

// Newest last: the empty answer, the error and the refusal need a look; the good answer does not.
const refusal = {
  ...base,
  id: id('refusal'),
  startedAt: minutesAgo(4),
  inputs: { question: 'How do I cancel my order?' },
  output: "I'm sorry, but I can't help with that.",
};
const good = {
  ...base,
  id: id('good'),
  startedAt: minutesAgo(3),
  inputs: { question: 'Where is my parcel?' },
  output: 'It left the warehouse this morning and arrives tomorrow.',
};
const failed = {
  ...base,
  id: id('failed'),
  status: 'error',
  startedAt: minutesAgo(2),
  inputs: { question: 'Refund please' },
  error: { type: 'timeout', message: 'The provider timed out' },
};
const empty = { ...base, id: id('empty'), startedAt: minutesAgo(1), inputs: { question: 'Hello?' }, output: '' };

test.beforeAll(async ({ request }) => {
  const apiKey = await ensureAdmin(request);
  const response = await request.post('/api/v1/executions/batch', {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { executions: [refusal, good, failed, empty] },
  });
  expect(response.ok(), await response.text()).toBe(true);
});

const table = (page: Page) => page.getByRole('table', { name: `Executions of ${PROMPT}` });
const dataRows = (page: Page) => table(page).locator('tbody tr');

test.describe.configure({ mode: 'serial' });

test('rates an execution, labels it and notes it in the drawer, then filters the Logs tab by the label', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}?execution=${good.id}`);
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  const review = drawer.getByRole('region', { name: 'Review', exact: true });
  await expect(review).toContainText('Not reviewed yet');

  await review.getByRole('button', { name: 'Thumbs up' }).click();
  await expect(review.getByRole('button', { name: 'Thumbs up' })).toHaveAttribute('aria-pressed', 'true');
  await expect(review).toContainText('Reviewed by admin@example.com');

  // A new label, created from the picker, goes on the review at once.
  await review.getByRole('button', { name: 'Labels' }).click();
  await review.getByRole('textbox', { name: 'New label' }).fill(LABEL);
  await review.getByRole('combobox', { name: 'Colour' }).selectOption('green');
  await review.getByRole('button', { name: 'Create label' }).click();
  await expect(review.getByRole('checkbox', { name: LABEL })).toBeChecked();
  await review.getByRole('button', { name: 'Labels' }).click();
  await expect(review.getByRole('textbox', { name: 'New label' })).toBeHidden();
  await expect(review.getByRole('list', { name: 'Labels' })).toHaveText(LABEL);

  const note = review.getByRole('textbox', { name: 'Note' });
  await note.fill('Polite, correct and specific.');
  await review.getByRole('button', { name: 'Save note' }).click();
  await expect(review.getByRole('button', { name: 'Save note' })).toBeDisabled();
  await screenshot(page, 'review-drawer');

  // The review is stored: a fresh page shows it.
  await page.reload();
  await expect(review.getByRole('textbox', { name: 'Note' })).toHaveValue('Polite, correct and specific.');
  await expect(review.getByRole('button', { name: 'Thumbs up' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The Logs tab, filtered by the label: only the reviewed execution, and the filter lives in the URL.
  await expect(dataRows(page)).toHaveCount(4);
  await page.getByLabel('Label', { exact: true }).click();
  await page.getByRole('checkbox', { name: LABEL }).check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/label=/);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(page.getByRole('button', { name: `Remove filter label: ${LABEL}` })).toBeVisible();
  await page.reload();
  await expect(dataRows(page)).toHaveCount(1);

  await page.getByRole('button', { name: `Remove filter label: ${LABEL}` }).click();
  await page.getByLabel('Review', { exact: true }).selectOption('Not reviewed');
  await expect(page).toHaveURL(/reviewed=false/);
  await expect(dataRows(page)).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Remove filter review: not reviewed' })).toBeVisible();
});

test('reaches the review queue from the Logs tab and reviews by keyboard', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto(`/prompts/${PROMPT}`);
  await page.getByRole('link', { name: 'Review queue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review queue' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Keyboard' })).toContainText('thumbs down');

  // Newest first: the empty answer, the error, the refusal; the reviewed good answer is not there.
  const queue = page.getByRole('listbox', { name: 'Executions to review' });
  const options = queue.getByRole('option');
  await expect(options).toHaveCount(3);
  await expect(options.nth(0)).toContainText('Empty');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(options.nth(1)).toContainText('Error (timeout)');
  await expect(options.nth(2)).toContainText('Refusal');

  // j moves to the error; d rates it thumbs down; l opens the labels, Space picks one; n writes a note.
  await page.keyboard.press('j');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(queue).toBeFocused();
  const review = page.getByRole('region', { name: 'Review', exact: true });
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(PROMPT) })).toBeVisible();
  await page.keyboard.press('d');
  await expect(review.getByRole('button', { name: 'Thumbs down' })).toHaveAttribute('aria-pressed', 'true');
  await expect(options.nth(1)).toContainText('Thumbs down');
  await page.keyboard.press('l');
  await expect(review.getByRole('checkbox', { name: LABEL })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(review.getByRole('checkbox', { name: LABEL })).toBeChecked();
  await page.keyboard.press('Escape');
  await page.keyboard.press('n');
  const note = review.getByRole('textbox', { name: 'Note' });
  await expect(note).toBeFocused();
  await page.keyboard.type('Retry on timeout');
  await page.keyboard.press('Control+Enter');
  await expect(review.getByRole('button', { name: 'Save note' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(review.getByRole('list', { name: 'Labels' })).toHaveText(LABEL);

  // ↓ on the list moves on; u rates the refusal thumbs up, even pressed before its review has loaded; Enter opens
  // the full details with the same review.
  let releaseReview = () => {};
  const reviewHeld = new Promise<void>((resolve) => {
    releaseReview = resolve;
  });
  await page.route(`**/api/v1/executions/${refusal.id}/review*`, async (route) => {
    if (route.request().method() === 'GET') await reviewHeld;
    await route.fallback();
  });
  await queue.focus();
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(2)).toHaveAttribute('aria-selected', 'true');
  await expect(review).toContainText('Loading the review');
  await page.keyboard.press('u');
  releaseReview();
  await expect(options.nth(2)).toContainText('Thumbs up');
  await screenshot(page, 'review-queue');
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Execution details' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Thumbs up' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(queue).toBeFocused();

  // Reloaded, the queue keeps only what nobody reviewed.
  await page.getByRole('button', { name: 'Reload the queue' }).click();
  await expect(options).toHaveCount(1);
  await expect(options.nth(0)).toContainText('Empty');
});

test('renames, recolours and deletes a label from the labels page, and the reviews that carry it follow', async ({
  page,
}) => {
  await ensureAdmin(page.request);
  await page.goto('/review');
  await page.getByRole('link', { name: 'Manage labels' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Review labels' })).toBeVisible();
  const labels = page.getByRole('list', { name: 'Labels' });
  await expect(labels.getByRole('listitem')).toHaveText([new RegExp(`^${LABEL}green`)]);

  await page.getByRole('button', { name: `Edit ${LABEL}` }).click();
  const edit = page.getByRole('form', { name: `Edit ${LABEL}` });
  await expect(edit.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await edit.getByRole('textbox', { name: 'Name' }).fill('Good answer');
  await edit.getByRole('combobox', { name: 'Colour' }).selectOption('cyan');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(labels.getByRole('listitem')).toHaveText([/^Good answercyan/]);

  // A second label may not take the first one's name, whatever its case; the field says why and Escape gives up.
  await page.getByRole('textbox', { name: 'New label' }).fill('Wrong answer');
  await page.getByRole('button', { name: 'Create label' }).click();
  await expect(labels.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Edit Wrong answer' }).click();
  const second = page.getByRole('form', { name: 'Edit Wrong answer' });
  await second.getByRole('textbox', { name: 'Name' }).fill('good ANSWER');
  await second.getByRole('button', { name: 'Save' }).click();
  await expect(second.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/already the name/i);
  await page.keyboard.press('Escape');
  await expect(second).toBeHidden();
  await expect(labels.getByRole('listitem')).toHaveText([/^Good answercyan/, /^Wrong answergray/]);
  await screenshot(page, 'review-labels');

  // The review that carried the label shows its new name.
  await page.goto(`/prompts/${PROMPT}?execution=${good.id}`);
  const review = page.getByRole('dialog', { name: 'Execution details' }).getByRole('region', { name: 'Review' });
  await expect(review.getByRole('list', { name: 'Labels' })).toHaveText('Good answer');

  // Deleted, it leaves that review, which keeps its rating.
  await page.goto('/review/labels');
  await page.getByRole('button', { name: 'Delete Good answer' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the label “Good answer”?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Delete label' }).click();
  await expect(confirm).toBeHidden();
  await expect(labels.getByRole('listitem')).toHaveText([/^Wrong answergray/]);
  await page.goto(`/prompts/${PROMPT}?execution=${good.id}`);
  await expect(review.getByRole('button', { name: 'Thumbs up' })).toHaveAttribute('aria-pressed', 'true');
  await expect(review.getByRole('list', { name: 'Labels' })).toBeHidden();
});

test('the queue and the Logs tab show what was rated thumbs down, whether it was flagged or not', async ({ page }) => {
  await ensureAdmin(page.request);
  await page.goto(`/review?prompt=${PROMPT}`);
  await page.getByLabel('Show').selectOption('Rated thumbs down');
  await expect(page).toHaveURL(/show=down/);
  const options = page.getByRole('listbox', { name: 'Executions to review' }).getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.nth(0)).toContainText('Rated thumbs down, Error (timeout)');
  await screenshot(page, 'review-queue-thumbs-down');

  await page.goto(`/prompts/${PROMPT}`);
  await page.getByLabel('Review', { exact: true }).selectOption('Thumbs down');
  await expect(page).toHaveURL(/rating=down/);
  await expect(dataRows(page)).toHaveCount(1);
  await expect(dataRows(page).first()).toContainText('error');
  await page.getByRole('button', { name: 'Remove filter rating: thumbs down' }).click();
  await expect(page.getByLabel('Review', { exact: true })).toHaveValue('');
  await expect(dataRows(page)).toHaveCount(4);
});
