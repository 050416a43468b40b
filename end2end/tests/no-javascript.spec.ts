import { expect, test } from '@playwright/test';
import { languageRoundTrip, openMenu, searchFor, ui } from './helpers';

// Many shoppers are on old phones and slow mobile data: every public page must be complete as
// the server sends it, before (or without) the browser bundle.
test.use({ javaScriptEnabled: false });

const t = ui.vi;

test('the home page is rendered on the server', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.homeTitle);
  for (const market of ['Chợ Cốc Lếu', 'Chợ Sa Pa', 'Chợ Bắc Hà']) {
    await expect(page.getByRole('link', { name: market })).toBeVisible();
  }
  await expect(
    page.getByRole('search').getByRole('searchbox', { name: t.searchLabel }),
  ).toBeVisible();
});

test('the header offers log-in and sign-up without JavaScript', async ({ page }) => {
  // Loaded several times: whether the server sends the header complete has been seen to vary
  // from one request to the next.
  for (const path of ['/', '/login', '/signup']) {
    for (let load = 1; load <= 5; load++) {
      await page.goto(path);
      // The menu is a <details>: it opens without JavaScript.
      const account = await openMenu(page, t);
      await expect(
        account.getByRole('link', { name: t.login, exact: true }),
        `log-in link on ${path}, load ${load}`,
      ).toBeVisible({ timeout: 1_000 });
      await expect(account.getByRole('link', { name: t.signup, exact: true })).toBeVisible({
        timeout: 1_000,
      });
    }
  }
});

test('a market page lists its stalls', async ({ page }) => {
  const response = await page.goto('/markets/bac-ha');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chợ Bắc Hà');
  const stalls = page.locator('li.stall-card');
  await expect(stalls.getByRole('link', { name: 'Mận Bắc Hà nhà Mỷ' })).toBeVisible();
  // Every stall listed trades at this market.
  for (const place of await stalls.locator('.where').allTextContents()) {
    expect(place).toContain('Chợ Bắc Hà');
  }
});

test('the search form works and finds a product typed without accents', async ({ page }) => {
  await page.goto('/');
  const results = await searchFor(page, t, 'thit trau');
  await expect(page).toHaveURL(/\/search\?q=thit\+trau$/);
  await expect(results.locator('.name').first()).toHaveText(/^Thịt trâu gác bếp/);
});

test('an unknown address answers 404 with the not-found page', async ({ page }) => {
  const response = await page.goto('/khong-co-trang-nay');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.notFoundTitle);
  await expect(page.getByRole('main').getByRole('link', { name: t.backHome })).toHaveAttribute(
    'href',
    '/',
  );
});

test('the language link switches to English and back', async ({ page }) => {
  await page.goto('/search?q=thit+trau');
  await languageRoundTrip(page);
});
