import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO_PASSWORD, logIn, open, randomDigits, ui } from './helpers';

// What can't be taken back is asked twice, on a phone, with and without JavaScript: the first
// tap opens a box that says what will happen, and only its button acts. Deleting a product
// photo and revoking an API token are walked through; the placard prints from a button or, on
// a phone without JavaScript, says how to print from the browser's menu.
test.use({ viewport: { width: 360, height: 740 } });

const t = ui.vi;

const texts = {
  deletePhoto: 'Xoá ảnh…',
  deletePhotoWarning: /^Ảnh này sẽ bị xoá hẳn khỏi sản phẩm, không khôi phục được\./,
  deletePhotoYes: 'Xoá ảnh này',
  photoDeleted: 'Đã xoá ảnh.',
  tokenName: 'Tên khoá',
  createToken: 'Tạo khoá',
  revokeToken: 'Thu hồi…',
  revokeTokenYes: 'Thu hồi khoá này',
  revoked: 'Đã thu hồi',
  tokenRevoked: 'Đã thu hồi khoá.',
  printPlacard: 'In bảng QR',
  printFromMenu: /^Để in từ điện thoại: mở menu của trình duyệt/,
  payCode: 'Trả tiền',
  visitCode: 'Xem gian hàng',
};

/** A 4×4 red PNG, as in the vendor's journey. */
const PHOTO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mM4oWEDRwzEcQDwgxLB0V/eYQAAAABJRU5ErkJggg==',
  'base64',
);

const VENDOR = '0912468201';

/** A page of a browser with JavaScript on or off. */
async function browse(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled,
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
  });
  return context.newPage();
}

/** That a tap target is at least 44 px tall and the page does not scroll sideways. */
async function expectPhoneSized(page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox();
  expect(box, 'the target is on screen').not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
}

/** Uploads a photo to the vendor's first product and returns the product page's path and the
 * new photo's item. */
async function newPhoto(page: Page): Promise<{ path: string; item: Locator }> {
  await open(page, '/my/stall');
  await page.locator('ul.my-products li.card a').first().click();
  await expect(page).toHaveURL(/\/my\/products\/\d+$/);
  const path = new URL(page.url()).pathname;
  // The product's photos arrive after the address changes: count them once they are shown.
  await page.waitForLoadState('networkidle');
  await expect(page.getByLabel(t.choosePhoto, { exact: true })).toBeVisible();
  const thumbs = page.locator('section.photos .photo-list img');
  const before = await thumbs.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  await page.getByLabel(t.choosePhoto, { exact: true }).setInputFiles({
    name: 'thu-xoa.png',
    mimeType: 'image/png',
    buffer: PHOTO_PNG,
  });
  await page.getByRole('button', { name: t.uploadPhoto }).click();
  await expect(page).toHaveURL(`${path}?photo=saved`);
  const after = await thumbs.evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  const added = after.filter((src) => !before.includes(src));
  expect(added).toHaveLength(1);
  const item = page.locator('section.photos .photo-list li', {
    has: page.locator(`img[src="${added[0]}"]`),
  });
  return { path, item };
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`a vendor deletes a product photo only after confirming it (${how})`, async ({
    browser,
  }) => {
    const page = await browse(browser, javaScript);
    try {
      await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/stall');
      const { path, item } = await newPhoto(page);
      const ask = item.locator('summary', { hasText: texts.deletePhoto });
      const yes = item.getByRole('button', { name: texts.deletePhotoYes, exact: true });
      // Nothing but the question is offered at first: the photo stays where it is.
      await expect(yes).toBeHidden();
      await expectPhoneSized(page, ask);
      await ask.click();
      await expect(item.locator('.confirm-body .warning')).toHaveText(texts.deletePhotoWarning);
      await expectPhoneSized(page, yes);
      await yes.click();
      await expect(page).toHaveURL(`${path}?photo=deleted`);
      await expect(page.getByRole('status').filter({ hasText: texts.photoDeleted })).toBeVisible();
      await expect(item).toHaveCount(0);
    } finally {
      await page.context().close();
    }
  });

  test(`an administrator revokes an API token only after confirming it (${how})`, async ({
    browser,
  }) => {
    const page = await browse(browser, javaScript);
    const name = `Cổng thử ${randomDigits(6)}`;
    try {
      await logIn(page, t, 'admin@choso.vn', DEMO_PASSWORD, '/admin/tokens');
      await page.getByLabel(texts.tokenName, { exact: true }).fill(name);
      await page.getByRole('button', { name: texts.createToken, exact: true }).click();
      const token = page.locator('li.token-item', { hasText: name });
      await expect(token).toHaveCount(1);
      // The new token is shown this once, and never put in the address.
      await expect(page).toHaveURL('/admin/tokens');
      const secret = page.locator('.new-token code.token');
      await expect(secret).toHaveText(/^\S{32,}$/);
      await expect(page.locator('.new-token')).toHaveCount(1);
      // Its times are written as every time on the site, day first in Lào Cai time.
      await expect(token.locator('time').first()).toHaveText(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
      const ask = token.locator('summary', { hasText: texts.revokeToken });
      const yes = token.getByRole('button', { name: texts.revokeTokenYes, exact: true });
      await expect(yes).toBeHidden();
      await expectPhoneSized(page, ask);
      await ask.click();
      await expect(token.locator('.confirm-body .warning')).toContainText(name);
      await expectPhoneSized(page, yes);
      await yes.click();
      await expect(token.locator('dt', { hasText: texts.revoked })).toBeVisible();
      await expect(token.locator('summary')).toHaveCount(0);
      await expect(page).toHaveURL('/admin/tokens?done=token-revoked');
      await expect(page.getByRole('status').filter({ hasText: texts.tokenRevoked })).toBeVisible();
      // Still revoked when the page is loaded afresh, which neither shows the token again nor
      // says it was just revoked.
      await open(page, '/admin/tokens');
      await expect(page.locator('.new-token')).toHaveCount(0);
      await expect(page.getByRole('status').filter({ hasText: texts.tokenRevoked })).toHaveCount(0);
      await expect(
        page.locator('li.token-item', { hasText: name }).locator('dt', { hasText: texts.revoked }),
      ).toBeVisible();
    } finally {
      await page.context().close();
    }
  });

  test(`the placard names its two codes and says how to print (${how})`, async ({ browser }) => {
    const page = await browse(browser, javaScript);
    try {
      await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/placard');
      const placard = page.locator('article.placard');
      await expect(placard.locator('figure.pay .code-title')).toContainText(texts.payCode);
      await expect(placard.locator('figure.visit .code-title')).toContainText(texts.visitCode);
      await expect(page.getByText('Ctrl+P')).toHaveCount(0);
      const print = page.getByRole('button', { name: texts.printPlacard, exact: true });
      const fromMenu = page.locator('.print-help .hint');
      if (javaScript) {
        await expect(print).toBeVisible();
        await expectPhoneSized(page, print);
        await expect(fromMenu).toBeHidden();
      } else {
        await expect(print).toBeHidden();
        await expect(fromMenu).toHaveText(texts.printFromMenu);
      }
    } finally {
      await page.context().close();
    }
  });
}
