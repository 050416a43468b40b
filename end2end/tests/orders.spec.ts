import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  addToCart,
  checkOut,
  DEMO_PASSWORD,
  findProduct,
  followMenuLink,
  logIn,
  logOut,
  open,
  randomDigits,
  ui,
} from './helpers';

/** The port the app under test listens on (the configuration's base address). */
function appPort(): string {
  return new URL(test.info().project.use.baseURL!).port;
}

// Shoppers buying from two demo stalls, paying by card and by VietQR transfer, and the vendors
// handling those orders. Every test server starts from the same demo data (server/src/seed/demo.json):
// - stall A, "Đặc sản gác bếp cô Hằng" (vendor 0 in the file, trades every day),
// - stall B, "Gà đồi, lợn bản nhà Thoa" (vendor 2, trades Monday to Saturday).
// Both are approved and at even positions in the file, so both take cards as well as VietQR.
const t = ui.vi;

/** The texts of the shop and the vendor's order pages, written out as in `helpers.ts`'s `ui`. */
const shop = {
  addToCart: 'Thêm vào giỏ',
  added: 'Đã thêm vào giỏ hàng.',
  placeOrder: 'Đặt hàng',
  receipt: 'Đơn hàng của bạn',
  paid: 'Đã thanh toán',
  awaitingTransfer: 'Chờ chuyển khoản',
  // Money received is asked twice: the question, then the button that confirms it.
  confirmPaymentAsk: 'Đã nhận tiền…',
  confirmPaymentWarning: /^Chỉ xác nhận khi .* đã vào tài khoản của bạn\./,
  confirmPayment: 'Xác nhận đã nhận tiền',
  ordersLink: 'Đơn hàng',
  paymentsLink: 'Nhận tiền',
  acceptsCards: /^Nhận thanh toán thẻ qua Chợ Số/,
  // The stand-in for Stripe's hosted page speaks both languages on one button.
  standInPay: 'Thanh toán / Pay',
};

const stallA = {
  vendorPhone: '0912468201',
  product: 'Quế thanh Văn Bàn',
  search: 'que thanh van ban',
};
const stallB = {
  name: 'Gà đồi, lợn bản nhà Thoa',
  vendorPhone: '0936418705',
  product: 'Thịt lợn cắp nách',
  search: 'thit lon cap nach',
};
/** A day both stalls trade on (A every day, B Monday to Saturday), as its options read. */
const SHARED_DAY = 'Thứ Tư';
/** A day stall B doesn't trade on. */
const SUNDAY = 'Chủ nhật';

/** The stock a product page shows, "Còn 40 kg", as a number of kg. */
async function stockOf(page: Page, path: string): Promise<number> {
  await open(page, path);
  const text = (await page.locator('article.product p.stock').textContent())?.trim() ?? '';
  const m = /^Còn (\d+(?:,\d+)?) kg$/.exec(text);
  expect(m, `stock text "${text}"`).not.toBeNull();
  return Number(m![1].replace(',', '.'));
}

function stockText(kg: number): string {
  return `Còn ${String(Math.round(kg * 10) / 10).replace('.', ',')} kg`;
}

async function newShopper(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'vi-VN' });
  return context.newPage();
}

/** The codes of the orders a vendor sees on `/my/orders`. */
async function vendorOrderCodes(page: Page, phone: string): Promise<string[]> {
  await logIn(page, t, phone, DEMO_PASSWORD, '/my/orders');
  await expect(page.locator('ul.orders')).toBeAttached();
  const codes = await page.locator('li.order').evaluateAll((items) =>
    items.map((li) => li.getAttribute('data-code') ?? ''),
  );
  await logOut(page, t);
  return codes;
}

test.describe('orders and payments', () => {
  test.describe.configure({ mode: 'serial' });

  const path = { a: '', b: '' };
  const stock = { a: 0, b: 0 };
  const codesA: string[] = [];
  const codesB: string[] = [];

  test('both stalls take cards', async ({ page }) => {
    for (const { vendorPhone } of [stallA, stallB]) {
      await logIn(page, t, vendorPhone, DEMO_PASSWORD, '/my/orders');
      await followMenuLink(page, t, shop.paymentsLink);
      await expect(page).toHaveURL('/my/payments');
      await page.waitForLoadState('networkidle');
      await expect(page.getByRole('checkbox', { name: shop.acceptsCards })).toBeChecked();
      await logOut(page, t);
    }
  });

  test('a shopper buys from two stalls and pays by card', async ({ browser }) => {
    const shopper = await newShopper(browser);
    let picked: string[] = [];
    try {
      await test.step('note the stock of both products', async () => {
        path.a = await findProduct(shopper, stallA.search, stallA.product);
        path.b = await findProduct(shopper, stallB.search, stallB.product);
        stock.a = await stockOf(shopper, path.a);
        stock.b = await stockOf(shopper, path.b);
        expect(stock.a).toBeGreaterThanOrEqual(3);
        expect(stock.b).toBeGreaterThanOrEqual(1.5);
      });

      await test.step('add one product of each stall to the cart', async () => {
        await addToCart(shopper, path.a, '1');
        await addToCart(shopper, path.b, '1,5');
        await open(shopper, '/cart');
        const lines = shopper.locator('li.cart-line');
        await expect(lines).toHaveCount(2);
        await expect(lines.filter({ hasText: stallA.product })).toHaveCount(1);
        await expect(lines.filter({ hasText: stallB.product })).toHaveCount(1);
        // Each stall has its own pickup date: B trades Monday to Saturday, so no Sunday.
        await expect(shopper.locator('select[name^="pickup_days["]')).toHaveCount(2);
        const dayOfB = shopper.getByLabel(stallB.name, { exact: true });
        await expect(dayOfB.locator('option')).toHaveCount(6);
        await expect(dayOfB.locator('option', { hasText: SUNDAY })).toHaveCount(0);
      });

      await test.step('check out with a pickup on a shared day, paying by card', async () => {
        picked = await checkOut(shopper, {
          name: 'Khách thẻ',
          phone: `09${randomDigits(8)}`,
          day: SHARED_DAY,
          method: 'card',
        });
        // The stand-in for Stripe's hosted page, on its own port.
        await expect(shopper).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/pay\/[^/]+$/);
        expect(new URL(shopper.url()).port).not.toBe(appPort());
        await shopper.getByRole('button', { name: shop.standInPay, exact: true }).click();
      });

      await test.step('back on the checkout page, both orders are paid', async () => {
        await expect(shopper).toHaveURL(/\/checkout\/[^/?]+\?paid=1$/);
        expect(new URL(shopper.url()).port).toBe(appPort());
        await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(shop.receipt);
        const orders = shopper.locator('article.order');
        await expect(orders).toHaveCount(2);
        const a = orders.filter({ hasText: stallA.product });
        const b = orders.filter({ hasText: stallB.product });
        await expect(a).toHaveCount(1);
        await expect(b).toHaveCount(1);
        // The processor's word may come a moment after the browser: the page looks again.
        await expect(a.locator('.status')).toHaveText(shop.paid, { timeout: 20_000 });
        await expect(b.locator('.status')).toHaveText(shop.paid, { timeout: 20_000 });
        // The receipt names the pickup date picked, with its year (`Thứ Tư 02/12/2026`): the
        // next Wednesday, the same date at both stalls.
        expect(picked).toHaveLength(2);
        expect(picked[1]).toBe(picked[0]);
        await expect(a.locator('.receipt-facts')).toContainText(`${picked[0]}/`);
        await expect(b.locator('.receipt-facts')).toContainText(`${picked[0]}/`);
        codesA.push((await a.getAttribute('data-code'))!);
        codesB.push((await b.getAttribute('data-code'))!);
        expect(codesA[0]).toMatch(/^DH\d+$/);
        expect(codesB[0]).toMatch(/^DH\d+$/);
        expect(codesA[0]).not.toBe(codesB[0]);
      });

      await test.step('the stock of both products went down', async () => {
        await stockOf(shopper, path.a);
        await expect(shopper.locator('article.product p.stock')).toHaveText(stockText(stock.a - 1));
        await stockOf(shopper, path.b);
        await expect(shopper.locator('article.product p.stock')).toHaveText(
          stockText(stock.b - 1.5),
        );
      });
    } finally {
      await shopper.context().close();
    }
  });

  test('a shopper pays stall A by VietQR and the vendor confirms the transfer', async ({
    browser,
    page,
  }) => {
    const shopper = await newShopper(browser);
    let code = '';
    let checkoutUrl = '';
    try {
      await test.step('check out from stall A with VietQR', async () => {
        await addToCart(shopper, path.a, '2');
        await checkOut(shopper, {
          name: 'Khách chuyển khoản',
          phone: `09${randomDigits(8)}`,
          day: SHARED_DAY,
          method: 'vietqr',
        });
        await expect(shopper).toHaveURL(/\/checkout\/[^/?]+$/);
        checkoutUrl = new URL(shopper.url()).pathname;
      });

      await test.step('the checkout page shows the QR code and its payload', async () => {
        const orders = shopper.locator('article.order');
        await expect(orders).toHaveCount(1);
        const order = orders.first();
        code = (await order.getAttribute('data-code')) ?? '';
        expect(code).toMatch(/^DH\d+$/);
        expect(codesA).not.toContain(code);
        await expect(order.locator('.status')).toHaveText(shop.awaitingTransfer);
        await expect(order.locator('.vietqr .qr svg')).toBeVisible();
        const payload = order.locator('.vietqr input.payload');
        await expect(payload).toHaveValue(/^000201/);
        expect(await payload.inputValue()).toContain(code);
        codesA.push(code);
      });

      await test.step('vendor A confirms the transfer', async () => {
        await logIn(page, t, stallA.vendorPhone, DEMO_PASSWORD, '/my/stall');
        await followMenuLink(page, t, shop.ordersLink);
        await expect(page).toHaveURL('/my/orders');
        await page.waitForLoadState('networkidle');
        const item = page.locator(`li.order[data-code="${code}"]`);
        await expect(item).toHaveCount(1);
        await expect(item.locator('.status')).toHaveText(shop.awaitingTransfer);
        // The confirming button shows only once the question is opened, beside what it does.
        const confirm = item.getByRole('button', { name: shop.confirmPayment, exact: true });
        await expect(confirm).toBeHidden();
        const question = item.locator('details.confirm', { hasText: shop.confirmPaymentAsk });
        await question.locator('summary').click();
        const warning = question.locator('.confirm-body .warning');
        await expect(warning).toHaveText(shop.confirmPaymentWarning);
        await expect(warning).toContainText(code);
        await confirm.click();
        await expect(item.locator('.status')).toHaveText(shop.paid);
        await expect(item.locator('summary', { hasText: shop.confirmPaymentAsk })).toHaveCount(0);
        // Still paid when the page is loaded afresh.
        await open(page, '/my/orders');
        await expect(page.locator(`li.order[data-code="${code}"] .status`)).toHaveText(shop.paid);
        await logOut(page, t);
      });

      await test.step("the shopper's checkout page says paid after a reload", async () => {
        await shopper.reload();
        await shopper.waitForLoadState('networkidle');
        const order = shopper.locator(`article.order[data-code="${code}"]`);
        await expect(order.locator('.status')).toHaveText(shop.paid);
        await expect(order.locator('.vietqr')).toHaveCount(0);
        expect(new URL(shopper.url()).pathname).toBe(checkoutUrl);
      });

      await test.step('the stock went down again', async () => {
        await stockOf(shopper, path.a);
        await expect(shopper.locator('article.product p.stock')).toHaveText(stockText(stock.a - 3));
      });
    } finally {
      await shopper.context().close();
    }
  });

  test("each vendor sees only their own stall's orders", async ({ page }) => {
    expect(codesA).toHaveLength(2);
    expect(codesB).toHaveLength(1);
    const seenByA = await vendorOrderCodes(page, stallA.vendorPhone);
    const seenByB = await vendorOrderCodes(page, stallB.vendorPhone);
    for (const code of codesA) {
      expect(seenByA, `vendor A sees ${code}`).toContain(code);
      expect(seenByB, `vendor B must not see ${code}`).not.toContain(code);
    }
    for (const code of codesB) {
      expect(seenByB, `vendor B sees ${code}`).toContain(code);
      expect(seenByA, `vendor A must not see ${code}`).not.toContain(code);
    }
  });
});
