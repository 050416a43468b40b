import { expect, type Page, test } from '@playwright/test';
import { addToCart, checkOut, findProduct, randomDigits } from './helpers';

// The shopper's order page turns "paid" by itself when the bank's notification lands: the
// transfer is made on the stand-in's bank page in another tab, and the page that stayed open
// shows the order paid without being reloaded. Where the event stream is refused, the page
// asks the server every few seconds instead.
test.use({ viewport: { width: 360, height: 740 } });

const texts = {
  testBank: 'Ngân hàng giả lập (chỉ có ở bản thử): chuyển khoản này',
  transfer: 'Chuyển khoản / Transfer',
  awaiting: 'Chờ chuyển khoản',
  paid: 'Đã thanh toán',
  updatesItself: 'Trang này tự cập nhật khi tiền về.',
  reloadHint: 'Tải lại trang để xem tiền đã về chưa:',
};

/** A VietQR order placed by a new shopper; its page is left open. Returns the order's card. */
async function orderPageOpen(shopper: Page, name: string) {
  const product = await findProduct(shopper, 'que thanh van ban', 'Quế thanh Văn Bàn');
  await addToCart(shopper, product, '1');
  await checkOut(shopper, {
    name,
    phone: `09${randomDigits(8)}`,
    day: 'Thứ Tư',
    method: 'vietqr',
  });
  await expect(shopper).toHaveURL(/\/checkout\/[^/?]+$/);
  const order = shopper.locator('article.order').first();
  await expect(order.locator('.status')).toHaveText(texts.awaiting);
  // Set on this very document: a reload or a navigation would lose it.
  await shopper.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  return order;
}

/** The transfer made in another tab, on the stand-in's bank page the order links to. */
async function transferInAnotherTab(shopper: Page, order: ReturnType<Page['locator']>) {
  const code = (await order.getAttribute('data-code')) ?? '';
  const href = await order.getByRole('link', { name: texts.testBank }).getAttribute('href');
  expect(href).toContain('/bank?');
  const bank = await shopper.context().newPage();
  await bank.goto(href!);
  await expect(bank.locator('#purpose')).toHaveValue(code);
  await bank.getByRole('button', { name: texts.transfer }).click();
  await expect(bank.locator('[data-webhook-status]')).toHaveAttribute('data-webhook-status', '200');
  await bank.close();
}

async function expectNotReloaded(shopper: Page, url: string) {
  expect(shopper.url()).toBe(url);
  expect(await shopper.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(
    true,
  );
}

test('the open order page turns paid when the bank reports the transfer, without a reload', async ({
  browser,
}) => {
  const shopper = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  const order = await orderPageOpen(shopper, 'Khách chờ tiền về');
  const url = shopper.url();
  await expect(shopper.getByRole('status').filter({ hasText: texts.updatesItself })).toBeVisible();
  // The reload link is for a page whose code doesn't run.
  await expect(shopper.getByText(texts.reloadHint)).toHaveCount(0);
  // The page listens before the money moves.
  const listening = shopper.waitForResponse((r) => r.url().endsWith('/events') && r.status() === 200);
  await shopper.reload();
  await listening;
  await shopper.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });

  await transferInAnotherTab(shopper, order);

  await expect(order.locator('.status')).toHaveText(texts.paid, { timeout: 15_000 });
  await expectNotReloaded(shopper, url);
  // Nothing waits for money any more: the line saying the page updates itself is gone.
  await expect(shopper.getByText(texts.updatesItself)).toHaveCount(0);
  await shopper.context().close();
});

test('where the event stream is refused, the page asks the server instead', async ({ browser }) => {
  const shopper = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  // A proxy that refuses streams.
  let refused = 0;
  await shopper.route('**/checkout/*/events', async (route) => {
    refused += 1;
    await route.fulfill({ status: 429, body: '' });
  });
  const order = await orderPageOpen(shopper, 'Khách sau proxy');
  const url = shopper.url();
  await expect.poll(() => refused).toBeGreaterThan(0);

  await transferInAnotherTab(shopper, order);

  await expect(order.locator('.status')).toHaveText(texts.paid, { timeout: 20_000 });
  await expectNotReloaded(shopper, url);
  await shopper.context().close();
});
