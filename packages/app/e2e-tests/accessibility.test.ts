import AxeBuilder from '@axe-core/playwright';
import { expect, test, Locator, Page } from '@playwright/test';

// WCAG 2.1 A and AA (axe-core's rules for them) on every page the suite adds or fills, after
// its content has loaded and in the states a user opens (the blast radius list and graph, the
// brief tab, the scorecard tab). The whole page is checked, the portal's own frame included.

const CHECKOUT = '/catalog/default/component/checkout-service';

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
}

/** The violations as `rule: targets` lines, so a failure says what to fix where. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    v =>
      `${v.id} (${v.impact}): ${v.nodes
        .slice(0, 5)
        .map(n => n.target.join(' '))
        .join(' | ')}`,
  );
}

async function expectAccessible(page: Page, loaded: Locator) {
  await expect(loaded.first()).toBeVisible({ timeout: 60_000 });
  // The loaded page is what is checked: a card still loading (Backstage's relations graph draws
  // an unnamed spinner for a moment) is not a state a user reads.
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  expect(await violations(page)).toEqual([]);
}

/** One h1: the app's page header; a plugin's own beside it gave the page two of the same text. */
async function expectOneH1(page: Page) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('checkout-service overview: owner, blast radius, last change and scorecard cards', async ({
  page,
}) => {
  await page.goto(CHECKOUT);
  await expect(page.getByTestId('scorecard-level')).toBeVisible({
    timeout: 60_000,
  });
  await expectAccessible(
    page,
    page.getByRole('group', { name: 'Blast radius counts' }),
  );

  await page.getByRole('button', { name: /Show impacted entities/ }).click();
  await expectAccessible(
    page,
    page.getByRole('list', { name: 'Impacted entities' }),
  );

  await page.getByRole('button', { name: 'graph view' }).click();
  await expectAccessible(page, page.getByTestId('graph-caption'));
});

test('checkout-service: the Incident brief tab', async ({ page }) => {
  await page.goto(`${CHECKOUT}/incident-brief`);
  await expectAccessible(
    page,
    page.getByRole('group', { name: 'Confidence per section' }),
  );
});

test('checkout-service: the Scorecard tab', async ({ page }) => {
  await page.goto(`${CHECKOUT}/scorecard`);
  await expectAccessible(page, page.getByTestId('result-owner-resolves'));
});

test('orders-db: the cost calculators card', async ({ page }) => {
  await page.goto('/catalog/default/resource/orders-db');
  await expectAccessible(
    page,
    page.getByRole('tab', { name: 'Commit now vs right-size first' }),
  );
});

test('the scorecards pages: rollups, checks, campaigns', async ({ page }) => {
  await page.goto('/scorecards');
  await expectAccessible(page, page.getByTestId('rollup-headline'));
  await expectOneH1(page);
  await page.goto('/scorecards/checks');
  await expectAccessible(
    page,
    page.getByRole('table', { name: 'Scorecard checks' }),
  );
  await expectOneH1(page);
  await page.goto('/scorecards/campaigns');
  await expectAccessible(
    page,
    page.getByRole('button', { name: 'New campaign' }),
  );
});

test('the golden paths approvals inbox and the cost calculators page', async ({
  page,
}) => {
  await page.goto('/golden-paths/approvals');
  await expectAccessible(
    page,
    page.getByRole('heading', { name: 'Approvals', level: 1 }),
  );
  await page.goto('/cost-calculators');
  await expectAccessible(
    page,
    page.getByRole('table', { name: 'Cost calculators' }),
  );
  await expectOneH1(page);
});
