import { expect, test } from '@playwright/test';
import { searchFor, ui } from './helpers';

// Shoppers type Vietnamese with or without accents, in any case; these queries run against the
// demo catalogue that every test server starts with.
const t = ui.vi;

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('"ca phe" finds coffee', async ({ page }) => {
  const results = await searchFor(page, t, 'ca phe');
  await expect(results.locator('.name').filter({ hasText: /^Cà phê/ })).not.toHaveCount(0);
});

test('"mat ong" finds the Bắc Hà mint honey', async ({ page }) => {
  const results = await searchFor(page, t, 'mat ong');
  await expect(results.locator('.name').filter({ hasText: /^Mật ong bạc hà/ })).toHaveCount(1);
});

test('"BAC HA" finds only products of stalls at Bắc Hà', async ({ page }) => {
  const results = await searchFor(page, t, 'BAC HA');
  await expect(results).not.toHaveCount(0);
  // A card's place line reads "stall name · place"; only the place counts, as a stall elsewhere
  // could well have "Bắc Hà" in its name.
  const lines = await results.locator('.where').allTextContents();
  const elsewhere = lines.filter((line) => !line.split(' · ').slice(1).join(' · ').includes('Bắc Hà'));
  expect(elsewhere, 'results whose stall is not at Bắc Hà').toEqual([]);
});

test('"mật ong" typed with accents lists honey first', async ({ page }) => {
  const results = await searchFor(page, t, 'mật ong');
  await expect(results.first().locator('.name')).toContainText('Mật ong');
});

test('a query that matches nothing says so', async ({ page }) => {
  const results = await searchFor(page, t, 'xe máy điện');
  await expect(results).toHaveCount(0);
  await expect(page.getByText(t.searchNone)).toBeVisible();
});
