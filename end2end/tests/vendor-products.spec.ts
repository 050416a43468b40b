import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  chooseLanguage,
  DEMO_PASSWORD,
  type Lang,
  logIn,
  open,
  PHOTO_PNG,
  randomDigits,
  ui,
} from './helpers';

// A vendor's products from their stall page on a phone: a new product is saved with its
// photos in one form, the vendor chooses the cover the cards show, edits the price from the list, and
// hides and shows a product without leaving the list, with JavaScript and without.
test.use({ viewport: { width: 360, height: 740 } });

const VENDOR = '0912468201';

const texts = {
  vi: {
    cover: 'Ảnh bìa: hiện trên thẻ sản phẩm',
    makeCover: 'Đặt làm ảnh bìa',
    coverSaved: 'Đã chọn ảnh bìa: thẻ sản phẩm hiện ảnh này.',
    back: 'Về gian hàng',
    hide: 'Ẩn sản phẩm',
    show: 'Đăng bán',
    hidden: 'Đang ẩn',
  },
  en: {
    cover: 'Cover: shown on the cards',
    makeCover: 'Use as cover',
    coverSaved: 'Cover chosen: cards show this photo.',
    back: 'Back to my stall',
    hide: 'Hide product',
    show: 'Put on sale',
    hidden: 'Hidden',
  },
} satisfies Record<Lang, Record<string, string>>;

/** That the page does not scroll sideways on the phone. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
}

for (const lang of ['vi', 'en'] as const) {
  test(`a vendor adds a product with photos and edits it from their list (${lang})`, async ({
    page,
  }) => {
    const t = ui[lang];
    const x = texts[lang];
    const name = `Mận thử danh sách ${randomDigits(6)}`;
    let path = '';

    await test.step('a new product leads straight to its photos', async () => {
      await chooseLanguage(page, lang);
      await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/stall');
      await page.getByRole('link', { name: t.addProduct, exact: true }).click();
      await expect(page).toHaveURL('/my/products/new');
      await page.getByLabel(t.productName, { exact: true }).fill(name);
      await page.getByLabel(t.productDescriptionVi, { exact: true }).fill('Mận hậu hái sáng nay.');
      await page.getByLabel(t.category, { exact: true }).selectOption({ label: t.fruit });
      await page.getByLabel(t.price, { exact: true }).fill('45000');
      await page.getByLabel(t.stock, { exact: true }).fill(t.stock12_5);
      // Two photos chosen in the same form, saved with the product.
      await page.getByLabel(t.choosePhotos, { exact: true }).setInputFiles([
        { name: 'mot.png', mimeType: 'image/png', buffer: PHOTO_PNG },
        { name: 'hai.png', mimeType: 'image/png', buffer: PHOTO_PNG },
      ]);
      await page.getByRole('button', { name: t.saveProduct }).click();
      await expect(page).toHaveURL(/\/my\/products\/\d+\?saved/);
      path = new URL(page.url()).pathname;
    });

    await test.step('both photos shown, and the second chosen as the cover', async () => {
      const items = page.locator('section.photos .photo-list li');
      await expect(items).toHaveCount(2);
      await expect(items.nth(0).locator('.cover')).toHaveText(x.cover);
      const second = await items.nth(1).locator('img').getAttribute('src');
      await items.nth(1).getByRole('button', { name: x.makeCover, exact: true }).click();
      await expect(page).toHaveURL(`${path}?photo=cover`);
      await expect(page.getByRole('status').filter({ hasText: x.coverSaved })).toBeVisible();
      await expect(items.nth(0).locator('img')).toHaveAttribute('src', second!);
      await expect(items.nth(0).locator('.cover')).toHaveText(x.cover);
      await expectNoSidewaysScroll(page);

      await page.getByRole('link', { name: x.back, exact: true }).click();
      await expect(page).toHaveURL('/my/stall');
      const card = page.locator('ul.my-products li.card', { hasText: name });
      await expect(card.locator('img')).toHaveAttribute('src', second!);
      await expect(card).toContainText(t.stockLeft12_5);
      await expect(card).toContainText('45.000');
    });

    await test.step('the price changed from the list', async () => {
      const card = page.locator('ul.my-products li.card', { hasText: name });
      await card.getByRole('link').click();
      await expect(page).toHaveURL(path);
      await page.getByLabel(t.price, { exact: true }).fill('52000');
      await page.getByRole('button', { name: t.saveProduct }).click();
      await expect(page).toHaveURL(`${path}?saved=1`);
      await expect(page.getByRole('status').filter({ hasText: t.saved })).toBeVisible();
      await page.getByRole('link', { name: x.back, exact: true }).click();
      await expect(page).toHaveURL('/my/stall');
      await expect(page.locator('ul.my-products li.card', { hasText: name })).toContainText(
        '52.000',
      );
      await expectNoSidewaysScroll(page);
    });

    await test.step('hidden and shown again from the list', async () => {
      const card = page.locator('ul.my-products li.card', { hasText: name });
      await expect(card.locator('.badge.hidden')).toHaveCount(0);
      const hide = card.getByRole('button', { name: x.hide, exact: true });
      const box = await hide.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      await hide.click();
      await expect(card.locator('.badge.hidden')).toHaveText(x.hidden);
      await card.getByRole('button', { name: x.show, exact: true }).click();
      await expect(card.locator('.badge.hidden')).toHaveCount(0);
      await expect(card.getByRole('button', { name: x.hide, exact: true })).toBeVisible();
    });
  });
}

/** A page of a phone's browser without JavaScript. */
async function withoutJavaScript(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
  });
  return context.newPage();
}

test('a vendor hides and shows a product from the list without JavaScript', async ({
  browser,
}) => {
  const page = await withoutJavaScript(browser);
  const t = ui.vi;
  const x = texts.vi;
  try {
    await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/stall');
    // A product on sale: its button hides it.
    const card = page
      .locator('ul.my-products li.card')
      .filter({ has: page.getByRole('button', { name: x.hide, exact: true }) })
      .first();
    const name = (await card.locator('.name').textContent())!;
    const same = page.locator('ul.my-products li.card', {
      has: page.locator('.name').getByText(name, { exact: true }),
    });
    await card.getByRole('button', { name: x.hide, exact: true }).click();
    // Back on the list, by the server's redirect.
    await expect(page).toHaveURL(/\/my\/stall\??$/);
    await expect(same.locator('.badge.hidden')).toHaveText(x.hidden);
    await same.getByRole('button', { name: x.show, exact: true }).click();
    // Back on the list, by the server's redirect.
    await expect(page).toHaveURL(/\/my\/stall\??$/);
    await expect(same.locator('.badge.hidden')).toHaveCount(0);
    await open(page, '/my/stall');
    await expect(same.getByRole('button', { name: x.hide, exact: true })).toBeVisible();
  } finally {
    await page.context().close();
  }
});
