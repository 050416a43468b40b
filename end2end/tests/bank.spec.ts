import { expect, test } from '@playwright/test';
import {
  addToCart,
  checkOut,
  DEMO_PASSWORD,
  findProduct,
  followMenuLink,
  logIn,
  open,
  randomDigits,
  ui,
} from './helpers';

// A transfer the bank reports pays its order with no vendor checking their banking app. The
// demo's first vendor is linked to SePay, which the built-in stand-in answers for: the shopper
// opens its "bank app" from the order page, makes the transfer, and the order is paid; the
// vendor sees it paid, confirmed by the bank, and listed under Tiền về.
test.use({ viewport: { width: 360, height: 740 } });

const t = ui.vi;
const VENDOR = '0912468201';
const texts = {
  testBank: 'Ngân hàng giả lập (chỉ có ở bản thử): chuyển khoản này',
  transfer: 'Chuyển khoản / Transfer',
  paid: 'Đã thanh toán',
  byBank: 'ngân hàng báo qua SePay',
  moneyReceived: 'Tiền về',
};

test('a transfer made on the bank page pays the order, confirmed by the bank', async ({
  browser,
  page,
}) => {
  const shopper = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  const product = await findProduct(shopper, 'que thanh van ban', 'Quế thanh Văn Bàn');
  await addToCart(shopper, product, '1');
  await checkOut(shopper, {
    name: 'Khách ngân hàng báo',
    phone: `09${randomDigits(8)}`,
    day: 'Thứ Tư',
    method: 'vietqr',
  });
  await expect(shopper).toHaveURL(/\/checkout\/[^/?]+$/);
  const checkout = shopper.url();
  const order = shopper.locator('article.order').first();
  const code = (await order.getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^DH\d+$/);

  await test.step('the shopper transfers from the bank page', async () => {
    const bank = order.getByRole('link', { name: texts.testBank });
    const href = await bank.getAttribute('href');
    expect(href).toContain('/bank?');
    await shopper.goto(href!);
    await expect(shopper.locator('#purpose')).toHaveValue(code);
    await shopper.getByRole('button', { name: texts.transfer }).click();
    // The app answered the signed notification.
    await expect(shopper.locator('[data-webhook-status]')).toHaveAttribute('data-webhook-status', '200');
  });

  await test.step('the order is paid, with nobody confirming it by hand', async () => {
    await shopper.goto(checkout);
    await expect(shopper.locator(`article.order[data-code="${code}"] .status`)).toHaveText(texts.paid);
    await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/orders');
    const item = page.locator(`li.order[data-code="${code}"]`);
    await expect(item.locator('.status')).toHaveText(texts.paid);
    await expect(item).toContainText(texts.byBank);
    await followMenuLink(page, t, texts.moneyReceived);
    await expect(page).toHaveURL('/my/transfers');
    await expect(page.locator('ul.transfers li').first()).toContainText(`Đã trả đơn ${code}.`);
    await open(page, '/my/payments');
    await expect(page.locator('.hook-address code')).toContainText('/hooks/sepay/');
  });
  await shopper.context().close();
});
