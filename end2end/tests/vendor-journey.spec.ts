import { expect, test } from '@playwright/test';
import {
  chooseLanguage,
  DEMO_PASSWORD,
  type Lang,
  logIn,
  logOut,
  open,
  PHOTO_PNG,
  randomDigits,
  searchFor,
  signUpVendor,
  ui,
} from './helpers';

/** The payment settings' texts, in both languages. */
const pay = {
  vi: {
    bank: 'Ngân hàng',
    accountNumber: 'Số tài khoản',
    accountHolder: 'Tên chủ tài khoản',
    save: 'Lưu',
  },
  en: {
    bank: 'Bank',
    accountNumber: 'Account number',
    accountHolder: 'Account holder',
    save: 'Save',
  },
} satisfies Record<Lang, Record<string, string>>;

// The whole life of a new vendor, once per interface language: each step builds on the one
// before (the stall must be approved before its products are public), so it is one test with
// steps rather than tests that depend on each other's order.
for (const lang of ['vi', 'en'] as const satisfies readonly Lang[]) {
  test(`a new vendor opens a stall at Sa Pa and sells a product (${lang})`, async ({
    page,
    browser,
  }) => {
    const t = ui[lang];
    const vendor = {
      fullName: `Người bán thử ${lang}`,
      login: `09${randomDigits(8)}`,
      password: `mat-khau-${randomDigits(6)}`,
    };
    const stallName = `Gian hàng thử ${lang} ${Date.now()}`;
    // Digits make the product the only match of its search; the name itself has the accents a
    // shopper will leave out when searching.
    const n = randomDigits(6);
    const productName = `Mận hậu Sa Pa thử ${n}`;
    const search = `man hau sa pa thu ${n}`;
    let productId = '';

    await test.step('switch the interface language', async () => {
      await chooseLanguage(page, lang);
    });

    await test.step('sign up as a vendor', async () => {
      await signUpVendor(page, t, vendor);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.openStallTitle);
    });

    await test.step('open a stall at Sa Pa market and submit it for approval', async () => {
      await page.getByLabel(t.stallName, { exact: true }).fill(stallName);
      await page.getByRole('radio', { name: t.atMarket }).check();
      await page.getByLabel(t.market, { exact: true }).selectOption({ label: t.saPa });
      await page.getByLabel(t.stallNo, { exact: true }).fill(`T-${randomDigits(5)}`);
      await page
        .getByLabel(t.descriptionVi, { exact: true })
        .fill('Quầy thử nghiệm bán mận hậu và đào Sa Pa, hàng hái trong ngày.');
      await page.getByLabel(t.stallPhone, { exact: true }).fill('0912 345 678');
      await page.getByRole('checkbox', { name: t.saturday }).check();
      await page.getByRole('button', { name: t.saveStall }).click();

      await expect(page.getByRole('heading', { level: 1 })).toHaveText(stallName);
      const status = page.locator('p.status');
      await expect(status).toContainText(t.draft);
      await page.getByRole('button', { name: t.submitStall }).click();
      await expect(status).toContainText(t.awaiting);
      // Only a draft can be submitted, so the button goes once it has been.
      await expect(page.getByRole('button', { name: t.submitStall })).toHaveCount(0);
    });

    // A stall nobody can pay is not approved: the checklist leads to the payment settings.
    await test.step('set up VietQR from the checklist', async () => {
      await page.locator('.setup-steps li[data-step="payment"] a').click();
      await expect(page).toHaveURL('/my/payments');
      await page.waitForLoadState('networkidle');
      await page.getByLabel(pay[lang].bank, { exact: true }).selectOption('970436');
      await page.getByLabel(pay[lang].accountNumber, { exact: true }).fill('0011001234567');
      await page.getByLabel(pay[lang].accountHolder, { exact: true }).fill(vendor.fullName);
      await page.getByRole('button', { name: pay[lang].save, exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: t.saved })).toBeVisible();
    });

    await test.step('the Sa Pa market manager approves the stall', async () => {
      await logOut(page, t);
      await logIn(page, t, 'quanly.sapa@choso.vn', DEMO_PASSWORD, '/review');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.reviewTitle);
      const item = page.locator('li.review-item', { hasText: stallName });
      await expect(item.locator('.status')).toHaveText(t.awaiting);
      await item.getByRole('button', { name: t.approve, exact: true }).click();
      await expect(item.locator('.status')).toHaveText(t.approved);
      await logOut(page, t);
    });

    await test.step('a wrong price is refused with a message under the field', async () => {
      await logIn(page, t, vendor.login, vendor.password, '/my/stall');
      await expect(page.locator('p.status')).toContainText(t.approved);
      await page.getByRole('link', { name: t.addProduct }).click();
      await expect(page).toHaveURL(/\/my\/products\/new$/);
      await page.getByLabel(t.productName, { exact: true }).fill(productName);
      await page
        .getByLabel(t.productDescriptionVi, { exact: true })
        .fill('Mận hậu chín cây, giòn và ngọt, hái ở vườn nhà tại Sa Pa.');
      await page.getByLabel(t.category, { exact: true }).selectOption({ label: t.fruit });
      await page.getByLabel(t.unit, { exact: true }).selectOption({ label: 'kg' });
      await page.getByLabel(t.stock, { exact: true }).fill(t.stock12_5);
      const price = page.getByLabel(t.price, { exact: true });
      await price.fill('abc');
      await page.getByRole('button', { name: t.saveProduct }).click();

      // The message is the one the field points screen readers to.
      const priceError = page.locator('#price-error');
      await expect(priceError).toHaveText(t.notANumber);
      await expect(price).toHaveAttribute('aria-describedby', 'price-error');
      await expect(page.getByRole('alert').filter({ hasText: t.invalidForm })).toBeVisible();
      // Still the new product's form (the refusal rides in its address), everything typed kept.
      await expect(page).toHaveURL(/\/my\/products\/new(\?.*)?$/);
      await expect(page.getByLabel(t.productName, { exact: true })).toHaveValue(productName);
      await expect(price).toHaveValue('abc');
    });

    await test.step('add the product with a valid price', async () => {
      await page.getByLabel(t.price, { exact: true }).fill('85.000');
      await page.getByRole('button', { name: t.saveProduct }).click();
      await expect(page).toHaveURL(/\/my\/products\/\d+\?saved=1$/);
      await expect(page.getByRole('status').filter({ hasText: t.saved })).toBeVisible();
      productId = new URL(page.url()).pathname.split('/').pop()!;
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);
      // Both attempts went through the same form: only the valid one may have been saved.
      await open(page, '/my/stall');
      await expect(page.locator('li.card', { hasText: productName })).toHaveCount(1);
    });

    await test.step('upload a photo of the product, found from the stall page', async () => {
      // No address typed: the product's card on the vendor's own page opens it for editing.
      await open(page, '/my/stall');
      await page.locator('li.card', { hasText: productName }).getByRole('link').click();
      await expect(page).toHaveURL(`/my/products/${productId}`);
      await page.getByLabel(t.choosePhoto, { exact: true }).setInputFiles({
        name: 'man-hau.png',
        mimeType: 'image/png',
        buffer: PHOTO_PNG,
      });
      await page.getByRole('button', { name: t.uploadPhoto }).click();
      // A plain form post: the server answers with a redirect back to the page.
      await expect(page).toHaveURL(`/my/products/${productId}?photo=saved`);
      await expect(page.getByRole('status').filter({ hasText: t.photoSaved })).toBeVisible();
      const thumb = page.locator('section.photos img');
      await expect(thumb).toHaveAttribute('src', /^\/photos\/[0-9a-f]{32}-thumb\.jpg$/);
      // The server re-encoded the upload: the thumbnail must be an image the browser can draw.
      await expect
        .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
    });

    await test.step('a shopper finds it by searching without accents', async () => {
      // A separate browser context: a shopper who never signed in, with no cookies but the
      // language they chose.
      const shopperContext = await browser.newContext();
      try {
        const shopper = await shopperContext.newPage();
        await chooseLanguage(shopper, lang);
        const results = await searchFor(shopper, t, search);
        await expect(results).toHaveCount(1);
        await results.getByRole('link', { name: productName }).click();
        await expect(shopper).toHaveURL(`/products/${productId}`);
        await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(productName);
        await expect(shopper.locator('article.product .price')).toContainText('85.000\u00a0₫');
        await expect(shopper.locator('article.product .stock')).toHaveText(t.stockLeft12_5);
        await expect(shopper.locator('article.product .where')).toContainText(stallName);
      } finally {
        await shopperContext.close();
      }
    });
  });
}
