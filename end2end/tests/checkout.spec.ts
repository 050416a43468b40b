import { expect, type Page, test } from '@playwright/test';
import { open, randomDigits, searchFor, ui } from './helpers';

// A shopper on a 360 × 740 phone with a mixed cart: one stall paid by card, the other, which
// takes only transfers, by VietQR, in one checkout. From the demo data (server/src/seed/demo.json):
// - "Đặc sản gác bếp cô Hằng" (vendor 0) takes cards and transfers, and trades every day;
// - "Hoa quả Bảo Thắng chị Thu" (vendor 1, stall A-03 at Cốc Lếu) takes transfers only.
test.use({ viewport: { width: 360, height: 740 } });

const t = ui.vi;

const shop = {
  addToCart: 'Thêm vào giỏ',
  added: 'Đã thêm vào giỏ hàng.',
  placeOrder: 'Đặt hàng',
  receipt: 'Đơn hàng của bạn',
  card: 'Thẻ (Stripe)',
  vietqr: 'Chuyển khoản VietQR',
  paysEither: 'Thanh toán: thẻ hoặc chuyển khoản VietQR, chọn khi đặt hàng.',
  paysTransferOnly: 'Thanh toán: chỉ chuyển khoản VietQR.',
  paid: 'Đã thanh toán',
  awaitingTransfer: 'Chờ chuyển khoản',
  standInPay: 'Thanh toán / Pay',
  pickupAt: 'Nhận hàng tại',
  stallPhone: 'Điện thoại gian hàng',
  next: 'Tiếp theo',
};

const cardStall = {
  name: 'Đặc sản gác bếp cô Hằng',
  product: 'Táo mèo sấy khô',
  search: 'tao meo say kho',
};
const transferStall = {
  name: 'Hoa quả Bảo Thắng chị Thu',
  product: 'Chuối tiêu hồng Bảo Thắng',
  search: 'chuoi tieu hong',
  pitch: 'A-03',
};

async function addToCart(page: Page, query: string, name: string, quantity: string) {
  await open(page, '/');
  const results = await searchFor(page, t, query);
  await results.getByRole('link', { name, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.waitForLoadState('networkidle');
  await page.locator('#quantity').fill(quantity);
  await page.getByRole('button', { name: shop.addToCart, exact: true }).click();
  await expect(page.getByText(shop.added)).toBeVisible();
}

/** Nothing on the page is wider than the phone: no sideways scroll. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
}

test('a mixed cart is paid by card for one stall and by VietQR for the other, in one checkout', async ({
  page,
}) => {
  await test.step('each stall of the cart says how it can be paid', async () => {
    await addToCart(page, cardStall.search, cardStall.product, '1');
    await addToCart(page, transferStall.search, transferStall.product, '2');
    await open(page, '/cart');
    const cardGroup = page.locator('section.cart-stall', { hasText: cardStall.name });
    const transferGroup = page.locator('section.cart-stall', { hasText: transferStall.name });
    await expect(cardGroup.locator('.pays')).toHaveText(shop.paysEither);
    await expect(transferGroup.locator('.pays')).toHaveText(shop.paysTransferOnly);
    // The unit sits beside its quantity box, and every line has its own remove button.
    const line = transferGroup.locator('li.cart-line');
    await expect(line.locator('.qty-unit')).toContainText('kg');
    const box = await line.locator('input.qty').boundingBox();
    const unit = await line.locator('.qty-unit .unit').boundingBox();
    expect(Math.abs(box!.y + box!.height / 2 - (unit!.y + unit!.height / 2))).toBeLessThan(8);
    await expect(
      line.getByRole('button', { name: `Bỏ khỏi giỏ: ${transferStall.product}`, exact: true }),
    ).toBeVisible();
    await expectNoSidewaysScroll(page);
  });

  await test.step('each stall is offered only its own ways to pay', async () => {
    const payCard = page.getByRole('group', { name: new RegExp(`^${cardStall.name}`) });
    const payTransfer = page.getByRole('group', { name: new RegExp(`^${transferStall.name}`) });
    await expect(payCard.getByRole('radio')).toHaveCount(2);
    await expect(payTransfer.getByRole('radio')).toHaveCount(1);
    await expect(payTransfer.getByRole('radio', { name: shop.vietqr })).toBeChecked();
    await payCard.getByRole('radio', { name: shop.card }).check();
  });

  await test.step('one submission sends the shopper to pay the card part', async () => {
    await page.locator('#name').fill('Khách hai cách trả');
    await page.locator('#phone').fill(`09${randomDigits(8)}`);
    await page.locator('input[name="form[fulfilment]"][value="pickup"]').check();
    // The address is asked only for a delivery.
    await expect(page.locator('#address')).toBeHidden();
    await page.getByRole('button', { name: shop.placeOrder, exact: true }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/pay\/[^/]+$/);
    await page.getByRole('button', { name: shop.standInPay, exact: true }).click();
    await expect(page).toHaveURL(/\/checkout\/[^/?]+\?paid=1$/);
  });

  await test.step('the card stall is paid and the other waits for its transfer', async () => {
    const orders = page.locator('article.order');
    await expect(orders).toHaveCount(2);
    const byCard = orders.filter({ hasText: cardStall.product });
    const byTransfer = orders.filter({ hasText: transferStall.product });
    await expect(byCard.locator('.status')).toHaveText(shop.paid, { timeout: 20_000 });
    await expect(byTransfer.locator('.status')).toHaveText(shop.awaitingTransfer);
    await expect(byCard.locator('.vietqr')).toHaveCount(0);
  });

  await test.step('the order page puts the QR code first and fits the phone', async () => {
    await open(page, new URL(page.url()).pathname);
    const order = page.locator('article.order').first();
    await expect(order).toContainText(transferStall.product);
    const qr = order.locator('.vietqr .qr svg');
    await expect(qr).toBeInViewport({ ratio: 1 });
    // The amount and the deadline are above it, in large type.
    await expect(order.locator('.due .amount')).toHaveText('40.000\u00a0₫');
    await expect(order.locator('.due').nth(1)).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    // Where to collect, the stall's phone to call, and what happens next.
    await expect(order.locator('.handover')).toContainText(shop.pickupAt);
    await expect(order.locator('.handover')).toContainText(transferStall.pitch);
    await expect(order.locator('.handover a[href^="tel:+84"]')).toBeVisible();
    await expect(order.locator('.next-steps')).toContainText(shop.next);
    // The account number and the amount are never broken over two lines.
    for (const value of await order.locator('.transfer-details .value.nowrap').all()) {
      const lines = await value.evaluate((el) => el.getClientRects().length);
      expect(lines).toBe(1);
    }
    await expectNoSidewaysScroll(page);
    // Each status has its own colour.
    const colour = (status: string) =>
      page.locator(`.status.${status}`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour('paid')).not.toBe(await colour('awaiting_transfer'));
  });
});
