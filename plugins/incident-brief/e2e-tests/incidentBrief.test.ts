// @playwright/test comes from the root workspace (as for packages/app); this package.json
// does not list it because package.json files are not edited in this slice.
import { expect, test, Page } from '@playwright/test';

const CHECKOUT = '/catalog/default/component/checkout-service';

async function signInAndOpen(page: Page, path: string) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the guest button is gone (the sidebar nav can report "hidden" to Playwright
  // while it overflows, so it is not the signal here).
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
  await page.goto(path);
}

test('checkout-service: owner, blast radius and last change cards read the real backend', async ({
  page,
}) => {
  await signInAndOpen(page, CHECKOUT);

  // Owner & on-call: checkout-team owns it (catalog/demo/components.yaml).
  const owner = page.getByRole('list', { name: 'Owner and on-call' });
  await expect(
    owner.getByRole('link', { name: 'checkout-team' }),
  ).toBeVisible();
  await expect(owner).toContainText('2 members');
  await expect(owner).toContainText('static:checkout-primary');

  // Blast radius (IB §7.1 V1): at least the declared dependents within 3 hops.
  const counts = page.getByRole('group', { name: 'Blast radius counts' });
  await expect(counts).toBeVisible();
  const impacted = Number(
    (await counts.getByTestId('count-impacted').textContent())?.replace(
      /,/g,
      '',
    ),
  );
  expect(impacted).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: /Show impacted entities/ }).click();
  const list = page.getByRole('list', { name: 'Impacted entities' });
  await expect(list.getByRole('link', { name: 'api-gateway' })).toBeVisible();
  await expect(
    list.getByRole('link', { name: 'web-storefront' }),
  ).toBeVisible();
  await expect(
    list.getByLabel('Path: checkout-service ← api-gateway ← web-storefront'),
  ).toBeVisible();

  // The graph view draws the same entities.
  await page.getByRole('button', { name: 'graph view' }).click();
  await expect(page.getByTestId('graph-caption')).toContainText(
    `showing all ${impacted}`,
  );

  // Last change: the demo ledger's L3 when the seeder ran, else the card's empty state.
  const timeline = page.getByRole('list', { name: 'Changes in window' });
  const empty = page.getByText(
    /No changes recorded for this entity or its dependencies in the window/,
  );
  await expect(timeline.or(empty)).toBeVisible();
  if (await timeline.isVisible()) {
    await expect(page.getByTestId('last-change')).toContainText(
      'checkout.split-tender release 0 → 100 %',
    );
    await expect(timeline.getByTestId('change-item').first()).toContainText(
      'feature-flag',
    );
  }
});

test('checkout-service: the Incident brief tab copies the brief as markdown', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(baseURL ?? 'http://localhost:7007').origin,
  });
  await signInAndOpen(page, CHECKOUT);
  // the entity page is up once its cards are
  await expect(
    page.getByRole('list', { name: 'Owner and on-call' }),
  ).toBeVisible();
  // the entity tabs render as links to each content's path
  await page
    .getByRole('link', { name: 'Incident brief', exact: true })
    .or(page.getByRole('tab', { name: 'Incident brief', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/incident-brief$/);
  await expect(
    page.getByRole('group', { name: 'Confidence per section' }),
  ).toContainText('overall:');
  await expect(
    page
      .getByRole('table', { name: 'Missing evidence' })
      .or(
        page.getByText(
          'No missing evidence: every section had the data it needs.',
        ),
      ),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Copy as markdown' }).click();
  await expect(page.getByRole('status')).toContainText(
    'Brief copied to the clipboard as markdown.',
  );
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain('### Incident brief: checkout-service');
  expect(markdown).toContain('`component:default/checkout-service`');
  expect(markdown).toContain('checkout-team');
  expect(markdown).toContain('api-gateway');

  // IB §6.4: the fix note opens prefilled from the same brief and stays editable
  await page.getByRole('button', { name: 'Start a fix note' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const note = dialog.getByLabel('Fix note (markdown)');
  await expect(note).toHaveValue(/^## Fix note: /);
  await expect(note).toHaveValue(/\*\*Boundary\*\* — .*checkout-team/);
  await expect(note).toHaveValue(/\*\*Operating rule\*\* — .*<rule>/);
});
