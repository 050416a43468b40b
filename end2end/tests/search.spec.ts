import { expect, test } from '@playwright/test';
import { chooseLanguage, expectLanguage, searchFor, ui } from './helpers';

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

test('"BAC HA" finds every product of the stalls at Bắc Hà', async ({ page }) => {
  // What the market filter lists is what sits at Bắc Hà; the words "Bắc Hà" typed in capitals
  // without accents must find all of it. (They may also find "bạc hà", mint, which folds the same.)
  await page.goto('/search?q=&market=bac-ha');
  const atBacHa = await page.locator('li.card .name').allTextContents();
  expect(atBacHa.length).toBeGreaterThan(4);
  const results = await searchFor(page, t, 'BAC HA');
  const found = await results.locator('.name').allTextContents();
  for (const name of atBacHa) expect(found, `${name} is at Bắc Hà`).toContain(name);
  // Nothing from a stall elsewhere whose only link is "ha" inside another word (Lao Chải).
  expect(found.filter((name) => name.startsWith('Vòng tay bạc'))).toEqual([]);
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

test('an English visitor types "honey" and finds the Vietnamese honey, then opens it', async ({
  page,
}) => {
  await chooseLanguage(page, 'en');
  const results = await searchFor(page, ui.en, 'honey');
  const honey = results.filter({ has: page.locator('.name', { hasText: /^Mật ong/ }) });
  await expect(honey).not.toHaveCount(0);
  await honey.first().locator('a').first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Mật ong');
  await expectLanguage(page, 'en');
});

test('a search that finds nothing leads on to categories and markets', async ({ page }) => {
  await chooseLanguage(page, 'en');
  await expect(await searchFor(page, ui.en, 'xyzzy')).toHaveCount(0);
  await expect(page.getByText(ui.en.searchNone)).toBeVisible();
  await page.locator('.no-results .categories a').first().click();
  await expect(page).toHaveURL(/\/search\?category=/);
  await expect(page.locator('li.card')).not.toHaveCount(0);
});
