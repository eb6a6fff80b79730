// @playwright/test comes from the root workspace (as for packages/app); this package.json
// does not list it because package.json files are not edited in this slice.
import { expect, test, Page } from '@playwright/test';

const ORDERS_DB = '/catalog/default/resource/orders-db';

async function signInAndOpen(page: Page, path: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await page.goto(path);
}

test('orders-db: the commitment card is prefilled and its recommendation follows the inputs', async ({
  page,
}) => {
  await signInAndOpen(page, ORDERS_DB);

  await page
    .getByRole('tab', { name: 'Commit now vs right-size first' })
    .click();
  const panel = page.getByRole('tabpanel').filter({
    has: page.getByRole('form', {
      name: 'Commit now vs right-size first inputs',
    }),
  });
  // Prefilled from ops.example.com/monthly-spend, with its source shown.
  await expect(panel.getByLabel(/^Current on-demand cost/)).toHaveValue(
    '10000',
  );
  await expect(
    panel.getByLabel(
      /^Source of Current on-demand cost: annotation ops\.example\.com\/monthly-spend · \d+ d old/,
    ),
  ).toBeVisible();

  // Without right-sizing headroom, committing today's footprint (50 %, 36 months) is cheaper.
  const recommendation = panel.getByTestId('recommendation');
  await expect(recommendation).toContainText(
    "Committing today's footprint on the 36-month terms is cheaper",
  );

  await panel.getByLabel(/^Right-sized on-demand cost/).fill('4000');
  await expect(recommendation).toHaveText(
    "Right-size to the P95 footprint, then commit for 12 months: $2,200.00/month below committing at today's size ($79,200.00 over 36 months).",
  );
  await expect(
    panel.getByRole('table', { name: 'Results by option' }),
  ).toContainText('$2,800.00');

  // The cumulative-cost chart is drawn on a canvas (uPlot) in the real browser.
  const chart = panel
    .locator('figure')
    .filter({ hasText: 'Cumulative cost per option' });
  await expect(chart.locator('canvas').first()).toBeVisible();
  const box = await chart.locator('canvas').first().boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);
  expect(box?.height ?? 0).toBeGreaterThan(100);

  // The full page opens with the same inputs, carried in its URL.
  await panel.getByRole('link', { name: 'Open full page' }).click();
  await expect(page).toHaveURL(
    /\/cost-calculators\/ri-vs-rightsize\?.*rightSizedMonthly=4000/,
  );
  await expect(page.getByLabel(/^Right-sized on-demand cost/)).toHaveValue(
    '4000',
  );
  await expect(page.getByTestId('recommendation')).toContainText(
    'Right-size to the P95 footprint, then commit for 12 months',
  );
});

test('the cost calculators page lists every calculator', async ({ page }) => {
  await signInAndOpen(page, '/');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Cost calculators' })
    .click();
  const table = page.getByRole('table', { name: 'Cost calculators' });
  await expect(table.getByRole('link')).toHaveCount(15);
  await table.getByRole('link', { name: 'Non-production schedule' }).click();
  await expect(page).toHaveURL(/\/cost-calculators\/nonprod-schedule$/);
});
