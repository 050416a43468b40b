import { expect, test } from '@playwright/test';
import {
  addToCart,
  checkOut,
  findProduct,
  languageRoundTrip,
  openMenu,
  randomDigits,
  searchFor,
  ui,
} from './helpers';

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

test('a refused checkout comes back with what was typed, and a line can be removed', async ({
  page,
}) => {
  // Added to the cart by the product page's plain form.
  await page.goto('/');
  const results = await searchFor(page, t, 'chuoi tieu hong');
  await results.getByRole('link', { name: 'Chuối tiêu hồng Bảo Thắng', exact: true }).first().click();
  await page.locator('#quantity').fill('1');
  await page.getByRole('button', { name: 'Thêm vào giỏ', exact: true }).click();
  await expect(page.getByText('Đã thêm vào giỏ hàng.')).toBeVisible();

  await page.goto('/cart');
  await page.locator('#name').fill('Khách không dùng JavaScript');
  await page.locator('#phone').fill('12');
  await page.locator('input[name="form[fulfilment]"][value="delivery"]').check();
  // Shown for a delivery, by style alone.
  await expect(page.locator('#address')).toBeVisible();
  await page.locator('#address').fill('5 Cầu Mây, Sa Pa');
  await page.locator('#note').fill('Gọi trước khi giao');
  await page.getByRole('button', { name: 'Đặt hàng', exact: true }).click();

  await expect(page).toHaveURL(/\/cart\?/);
  await expect(page.getByText('Số điện thoại chưa đúng')).toBeVisible();
  await expect(page.locator('#name')).toHaveValue('Khách không dùng JavaScript');
  await expect(page.locator('#phone')).toHaveValue('12');
  await expect(page.locator('#address')).toHaveValue('5 Cầu Mây, Sa Pa');
  await expect(page.locator('#note')).toHaveValue('Gọi trước khi giao');
  await expect(page.locator('input[name="form[fulfilment]"][value="delivery"]')).toBeChecked();

  // Refused again, for another reason: that reason shows, not the first one's.
  await page.locator('#phone').fill('0912 345 678');
  await page.locator('#address').fill('36 Hàng Bạc, Hà Nội');
  await page.getByRole('button', { name: 'Đặt hàng', exact: true }).click();
  await expect(page.getByText('Chỉ giao hàng trong tỉnh Lào Cai')).toBeVisible();
  await expect(page.getByText('Số điện thoại chưa đúng')).toHaveCount(0);
  await expect(page.locator('#address')).toHaveValue('36 Hàng Bạc, Hà Nội');

  // The line's own remove button, a plain form too.
  await page.getByRole('button', { name: 'Bỏ khỏi giỏ: Chuối tiêu hồng Bảo Thắng' }).click();
  await expect(page.getByText('Giỏ hàng đang trống.')).toBeVisible();
});

test('an order waiting for its transfer says to reload the page and links to it', async ({
  page,
}) => {
  const product = await findProduct(page, 'que thanh van ban', 'Quế thanh Văn Bàn');
  await addToCart(page, product, '1');
  await checkOut(page, {
    name: 'Khách không dùng JavaScript',
    phone: `09${randomDigits(8)}`,
    day: 'Thứ Tư',
    method: 'vietqr',
  });
  await expect(page).toHaveURL(/\/checkout\/[^/?]+$/);
  const path = new URL(page.url()).pathname;
  await expect(page.getByText('Tải lại trang để xem tiền đã về chưa:')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Tải lại trang', exact: true })).toHaveAttribute(
    'href',
    path,
  );
  // Only a page that runs JavaScript says it updates itself.
  await expect(page.getByText('Trang này tự cập nhật khi tiền về.')).toHaveCount(0);
});
