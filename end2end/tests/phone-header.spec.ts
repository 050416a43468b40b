import { expect, type Page, test } from '@playwright/test';
import { chooseLanguage, DEMO_PASSWORD, type Lang, open, openMenu, ui } from './helpers';

// The storefront on a phone: a header of one row whose every tap target is at least 44 px,
// the rest in a menu; pages that never scroll sideways; product and stall cards that open
// wherever they are tapped; and signing in that brings the visitor back to where they were.
test.use({ viewport: { width: 360, height: 740 } });

/** The demo vendor of "Đặc sản gác bếp cô Hằng" (`server/src/seed/demo.json`). */
const VENDOR = '0912468201';

/** That the header is one row of tap targets at least 44 × 44 px, and the page fits 360 px. */
async function expectPhoneFit(page: Page): Promise<void> {
  const header = await page.evaluate(() => {
    const bar = document.querySelector('header .bar')!;
    const targets = [
      ...bar.querySelectorAll(':scope > a, :scope .lang a, :scope summary'),
      ...document.querySelectorAll('header .search-box input, header .search-box button'),
    ].map((el) => {
      const r = el.getBoundingClientRect();
      return { text: el.textContent?.trim() ?? '', top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    });
    return { targets, bar: bar.getBoundingClientRect().height };
  });
  const row = header.targets.slice(0, -2);
  // Brand, language, cart and menu.
  expect(row.length).toBe(4);
  for (const target of header.targets) {
    expect(target.height, `height of "${target.text}"`).toBeGreaterThanOrEqual(44);
    expect(target.width, `width of "${target.text}"`).toBeGreaterThanOrEqual(44);
  }
  for (const target of row) {
    expect(target.top, `"${target.text}" in the first row`).toBeCloseTo(row[0].top, 0);
  }
  expect(header.bar, 'the bar is one row high').toBeLessThan(2 * 44);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** Signs in from the header's menu and waits to be back at `back`. */
async function signInFromMenu(page: Page, lang: Lang, login: string, back: string | RegExp) {
  const t = ui[lang];
  const account = await openMenu(page, t);
  await account.getByRole('link', { name: t.login, exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel(t.loginField, { exact: true }).fill(login);
  await page.getByLabel(t.password, { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: t.login, exact: true }).click();
  await expect(page).toHaveURL(back);
}

for (const lang of ['vi', 'en'] as const) {
  const t = ui[lang];

  test(`${lang}: one header row, 44 px taps and no sideways scroll on the storefront`, async ({
    page,
  }) => {
    await chooseLanguage(page, lang);
    // A cart with something in it: its count must fit the row too.
    await open(page, '/');
    // A product's card opens the product from its photo, not only from its name.
    await page.locator('section.shelf li.card').first().click({ position: { x: 12, y: 12 } });
    await expect(page).toHaveURL(/\/products\/\d+$/);
    await page.waitForLoadState('networkidle');
    await page.locator('main form:has(#quantity) button[type=submit]').click();
    await expect(page.locator('header .cart-count')).toHaveText('1');
    await expectPhoneFit(page);

    await open(page, '/');
    await expectPhoneFit(page);
    // Each market's shelf and OCOP's show products with thumbnails.
    for (const shelf of ['#shelf-coc-leu', '#shelf-sa-pa', '#shelf-bac-ha', '#shelf-ocop']) {
      const section = page.locator(`section[aria-labelledby="${shelf.slice(1)}"]`);
      await expect(section.locator('li.card').first()).toBeVisible();
    }
    await page.locator('#shelf-bac-ha a').click();
    await expect(page).toHaveURL('/markets/bac-ha');
    await page.waitForLoadState('networkidle');
    await expectPhoneFit(page);
    // A stall's card opens the stall from its photo, not only from its name.
    const card = page.locator('li.stall-card').first();
    const name = (await card.locator('.name').textContent())!.trim();
    await expect(card.getByRole('link')).toHaveAccessibleName(name);
    await card.click({ position: { x: 12, y: 12 } });
    await expect(page).toHaveURL(/\/stalls\//);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await page.waitForLoadState('networkidle');
    await expectPhoneFit(page);
    await open(page, '/ocop');
    await expectPhoneFit(page);
  });

  test(`${lang}: the menu opens and holds the account's links`, async ({ page }) => {
    await chooseLanguage(page, lang);
    await open(page, '/');
    const account = await openMenu(page, t);
    await expect(account.getByRole('link', { name: t.login, exact: true })).toBeVisible();
    await expect(account.getByRole('link', { name: t.signup, exact: true })).toBeVisible();
    for (const link of await account.getByRole('link').all()) {
      expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Following one of its links closes it.
    await account.getByRole('link', { name: t.signup, exact: true }).click();
    await expect(page).toHaveURL('/signup');
    await expect(page.locator('header details.menu')).not.toHaveAttribute('open');
  });

  test(`${lang}: signing in returns to the page the visitor was on`, async ({ page }) => {
    await chooseLanguage(page, lang);
    await open(page, '/markets/sa-pa');
    await signInFromMenu(page, lang, VENDOR, '/markets/sa-pa');
    await expect(page.locator('header .menu .who')).toHaveCount(1);
    await expectPhoneFit(page);
  });
}

test('a vendor signing in from the home page lands on their orders', async ({ page }) => {
  await open(page, '/');
  await signInFromMenu(page, 'vi', VENDOR, '/my/orders');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the menu opens and signing in returns to the page', async ({ page }) => {
    await page.goto('/search?q=mat+ong');
    await expectPhoneFit(page);
    await signInFromMenu(page, 'vi', VENDOR, '/search?q=mat+ong');
    await expect(page.locator('header .menu .who')).toHaveCount(1);
  });
});
