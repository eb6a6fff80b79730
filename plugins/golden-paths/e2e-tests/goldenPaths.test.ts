// @playwright/test comes from the root workspace; plugins/golden-paths/package.json still needs it
// in devDependencies (as in plugins/scorecards) for @backstage/no-undeclared-imports.
import { expect, test, Locator, Page } from '@playwright/test';

// End to end through the scaffolder UI against the backend serving the built app: the
// "TypeScript HTTP service (golden path)" template (templates/service-node-http) with
// goldenPaths.publish.mode = local (app-config.yaml). Every run uses a fresh service name, so
// the suite does not depend on a clean backend and can run any number of times against one.

const TEMPLATE_TITLE = 'TypeScript HTTP service (golden path)';

function uniqueName(): string {
  const letters = Array.from({ length: 6 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
  return `e2e-svc-${letters}`;
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the guest button is gone (see plugins/scorecards/e2e-tests).
  await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

/** Opens /create and chooses the template (waiting for the catalog to have ingested it). */
async function chooseTemplate(page: Page) {
  const title = page.getByRole('heading', { name: TEMPLATE_TITLE, level: 4 });
  // A backend that has just started may not have processed templates/all.yaml yet.
  await expect(async () => {
    await page.goto('/create');
    await expect(title).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 150_000 });
  // The template card: the nearest ancestor of the title that also holds its Choose button.
  const card = title.locator(
    'xpath=ancestor::*[.//button[normalize-space(.)="Choose"]][1]',
  );
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/service-node-http$/,
  );
  await expect(
    page.getByRole('heading', { name: TEMPLATE_TITLE, level: 2 }),
  ).toBeVisible();
}

/** MUI autocomplete (OwnerPicker / EntityPicker): type, then pick the catalog option. */
async function pickEntity(page: Page, field: string, option: string) {
  await page.getByRole('textbox', { name: field, exact: true }).fill(option);
  await page
    .getByRole('listbox', { name: field })
    .getByRole('option', { name: option, exact: true })
    .click();
}

/** rjsf enum (MUI select rendered as a button "<title> <value>"): open it and pick a value. */
async function pickEnum(page: Page, field: string, value: string) {
  await page.getByRole('button', { name: new RegExp(`^${field} `) }).click();
  await page
    .getByRole('listbox')
    .getByRole('option', { name: value, exact: true })
    .click();
  await expect(
    page.getByRole('button', { name: `${field} ${value}`, exact: true }),
  ).toBeVisible();
}

type Request = {
  name: string;
  owner: string;
  system: string;
  tier: '1' | '2' | '3';
  region: string;
};

/** Fills the three form pages, checks the review table and presses Create. */
async function fillAndCreate(page: Page, r: Request) {
  // Page 1: What the service is.
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(r.name);
  await page
    .getByRole('textbox', { name: 'Description', exact: true })
    .fill(`End-to-end test service ${r.name}, created by Playwright.`);
  await pickEntity(page, 'Owning team', r.owner);
  await pickEntity(page, 'System', r.system);
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 2: Operations (tier default 2, other defaults kept).
  await expect(page.getByRole('button', { name: /^Tier / })).toBeVisible();
  if (r.tier !== '2') await pickEnum(page, 'Tier', r.tier);
  await pickEnum(page, 'Region', r.region);
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 3: Advanced (defaults).
  await expect(
    page.getByRole('textbox', { name: 'Request key', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();

  // Review.
  const review = page.getByRole('table');
  const row = (label: string) =>
    review.getByRole('row').filter({
      has: page.getByRole('cell', { name: label, exact: true }),
    });
  await expect(row('Name')).toContainText(r.name);
  await expect(row('Owning team')).toContainText(`group:default/${r.owner}`);
  await expect(row('System')).toContainText(`system:default/${r.system}`);
  await expect(row('Tier')).toContainText(r.tier);
  await expect(row('Region')).toContainText(r.region);

  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/create\/tasks\/[0-9a-f-]+$/);
}

/** The task page's border turns into a determinate bar at 100 once the task has finished. */
async function waitForTaskToFinish(page: Page) {
  await expect(
    page.locator('[role="progressbar"][aria-valuenow="100"]'),
  ).toBeVisible({ timeout: 120_000 });
}

type StepState = 'done' | 'failed' | 'skipped' | 'running' | 'pending';

/**
 * A step's state as the scaffolder's StepIcon draws it: @material-ui/icons v4
 * CheckCircleOutline (completed), ErrorOutline (failed), RemoveCircleOutline (skipped), a
 * spinner (processing) or PanoramaFishEye (not started). The icons carry no accessible name.
 */
async function stepStates(page: Page): Promise<Record<string, StepState>> {
  const labels: Locator = page.getByTestId('step-label');
  const rows = await labels.evaluateAll(els =>
    els.map(el => ({
      name:
        el.querySelector('.MuiStepLabel-labelContainer div')?.textContent ?? '',
      spinner: !!el.querySelector('[role="progressbar"]'),
      path: el.querySelector('svg path')?.getAttribute('d') ?? '',
    })),
  );
  const states: Record<string, StepState> = {};
  for (const row of rows) {
    let state: StepState = 'pending';
    if (row.spinner) state = 'running';
    else if (row.path.startsWith('M16.59 7.58L10 14.17')) state = 'done';
    else if (row.path.startsWith('M11 15h2v2h-2z')) state = 'failed';
    else if (row.path.startsWith('M7 11v2h10v-2H7z')) state = 'skipped';
    states[row.name.trim()] = state;
  }
  return states;
}

test('service golden path: a tier 2 service for checkout is created, registered and opens in the catalog', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = uniqueName();
  await signIn(page);
  await chooseTemplate(page);
  await fillAndCreate(page, {
    name,
    owner: 'checkout-team',
    system: 'checkout',
    tier: '2',
    region: 'eu-west-1',
  });

  await waitForTaskToFinish(page);
  // Success: the template's output links are shown and there is no error panel.
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible();
  await expect(openInCatalog).toHaveAttribute(
    'href',
    `/catalog/default/component/${name}`,
  );
  await expect(
    page.getByRole('link', { name: /^Request record/ }),
  ).toHaveAttribute(
    'href',
    new RegExp(`/golden-paths/requests/service-node-http(%3A|:)${name}$`),
  );
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Every step finished: done, or skipped by its `if` (publish:github in local publish mode).
  const states = await stepStates(page);
  expect(Object.keys(states)).toHaveLength(10);
  for (const [step, state] of Object.entries(states)) {
    expect(state, `step "${step}"`).toMatch(/^(done|skipped)$/);
  }
  for (const step of [
    'Check the request against golden-path policy',
    'Show what will happen',
    'Claim the request in the ledger',
    'Approval gate',
    'Render the service skeleton',
    'Write the catalog descriptor',
    'Register in the catalog',
    'Close the request',
  ]) {
    expect(states[step], `step "${step}"`).toBe('done');
  }
  await expect(
    page.getByText(`service-node-http:${name}`).first(),
  ).toBeVisible();

  // The new component's page.
  await openInCatalog.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}$`),
  );
  await expect(
    page.getByRole('heading', { name, exact: true, level: 2 }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Entity not found')).toHaveCount(0);
  await expect(
    page.getByText(`End-to-end test service ${name}, created by Playwright.`),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'checkout-team', exact: true }).first(),
  ).toHaveAttribute('href', '/catalog/default/group/checkout-team');
});

test('service golden path: tier 1 without an on-call rotation is refused at the validate step (GP-T01)', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = uniqueName();
  await signIn(page);
  await chooseTemplate(page);
  await fillAndCreate(page, {
    name,
    owner: 'storefront-team',
    system: 'storefront',
    tier: '1',
    region: 'eu-west-1',
  });

  await waitForTaskToFinish(page);
  const error = page.getByRole('alert');
  await expect(error).toContainText(
    /^(Error: )?GP-T01: A tier 1 service needs an on-call rotation/,
  );
  await expect(error).toContainText('group:default/storefront-team');
  await expect(page.getByRole('link', { name: 'Open in catalog' })).toHaveCount(
    0,
  );

  // Refused before anything is created: validate failed and every later step was skipped.
  const states = await stepStates(page);
  expect(states['Check the request against golden-path policy']).toBe('failed');
  for (const [step, state] of Object.entries(states)) {
    if (step === 'Check the request against golden-path policy') continue;
    expect(state, `step "${step}"`).toBe('skipped');
  }
  // No ledger record and no catalog entity for the name.
  await page.goto(
    `/golden-paths/requests/${encodeURIComponent(`service-node-http:${name}`)}`,
  );
  await expect(page.getByRole('alert')).toContainText('404');
  await page.goto(`/catalog/default/component/${name}`);
  await expect(page.getByText('Entity not found')).toBeVisible();
});

test('the approvals inbox renders for the guest', async ({ page }) => {
  await signIn(page);
  await page.goto('/golden-paths/approvals');
  await expect(
    page.getByRole('heading', { name: 'Approvals', level: 1 }),
  ).toBeVisible();
  // Both sections: others' requests to decide and the user's own awaiting approval.
  await expect(
    page.getByRole('heading', { name: /^Waiting for your decision \(\d+\)$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', {
      name: /^Your requests awaiting approval \(\d+\)$/,
    }),
  ).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
