import { test, expect } from '@playwright/test';

test('guest signs in and sees the catalog', async ({ page }) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  // The catalog is the landing page and lists the demo services.
  await expect(
    page.getByRole('link', { name: 'checkout-service', exact: true }),
  ).toBeVisible();
});

test('a demo service page opens with its owner and system', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  await page
    .getByRole('link', { name: 'checkout-service', exact: true })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout-service/,
  );
  await expect(
    page.getByRole('heading', { name: 'checkout-service' }).first(),
  ).toBeVisible();
  // The About card names the owning team and the system from the demo YAML.
  await expect(
    page.getByRole('link', { name: 'checkout-team' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'checkout', exact: true }).first(),
  ).toBeVisible();
});
