import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, followMenuLink, logIn, open, ui } from './helpers';

// Collecting at the stall, one-handed on a phone: the vendor types 45.000 ₫, shows the code,
// the shopper pays from their bank (the stand-in's bank page, in another tab), and the
// vendor's screen turns green by itself. A cash sale is recorded in one tap and shows in the
// dashboard's cash row. The demo's first vendor is linked to SePay through the stand-in, and
// its weaver of Lao Chải to payOS, whose screen shows a payOS payment link's code.
test.use({ viewport: { width: 360, height: 740 } });

const t = ui.vi;
const VENDOR = '0912468201';
const PAYOS_VENDOR = '0385442109';
const texts = {
  collect: 'Thu tiền',
  amount: 'Số tiền (đồng)',
  byQr: 'Thu bằng QR',
  cash: 'Tiền mặt',
  paid: 'Đã nhận tiền ✓',
  cashRecorded: 'Đã ghi một lần bán tiền mặt',
  testBank: 'Ngân hàng giả lập (chỉ có ở bản thử): chuyển khoản này',
  transfer: 'Chuyển khoản / Transfer',
};

/** Today's cash sales on the vendor's dashboard, in đồng. */
async function cashToday(page: Page): Promise<number> {
  await open(page, '/my/orders');
  const cell = page.locator('table.sales-summary tr.cash td').first();
  const text = (await cell.locator('strong').textContent()) ?? '';
  return Number(text.replace(/\D/g, ''));
}

for (const [service, vendor] of [['SePay', VENDOR], ['payOS', PAYOS_VENDOR]]) {
  test(`a vendor linked to ${service} collects 45.000 ₫ at the stall and the screen turns green`, async ({ browser, page }) => {
    await logIn(page, t, vendor, DEMO_PASSWORD, '/my/orders');
    await followMenuLink(page, t, texts.collect);
    await expect(page).toHaveURL('/my/collect');
    await page.getByLabel(texts.amount).fill('45.000');
    await page.getByRole('button', { name: texts.byQr }).click();
    await expect(page).toHaveURL(/\/my\/collect\/TQ\d{4,}$/);
    const code = page.url().split('/').pop()!;
    const screen = page.locator('section.collect-screen');
    await expect(screen.locator('.collect-amount')).toHaveText('45.000 ₫');
    await expect(screen.locator('.collect-code')).toHaveText(code);
    await expect(screen.locator('.collect-qr svg')).toBeVisible();
    // Nothing reloads this page from here on: a mark left on it must survive.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await test.step('the shopper pays from their own bank, elsewhere', async () => {
      const href = await screen.getByRole('link', { name: texts.testBank }).getAttribute('href');
      const shopper = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
      await shopper.goto(href!);
      await expect(shopper.locator('#purpose')).toHaveValue(code);
      await shopper.getByRole('button', { name: texts.transfer }).click();
      await expect(shopper.locator('[data-webhook-status]')).toHaveAttribute('data-webhook-status', '200');
      await shopper.context().close();
    });

    await expect(page.locator('section.collect-screen.paid')).toBeVisible({ timeout: 15_000 });
    await expect(screen.locator('.collect-state')).toHaveText(texts.paid);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  });
}

test('a cash sale takes one tap and shows in the dashboard cash row', async ({ page }) => {
  await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/orders');
  const before = await cashToday(page);
  await open(page, '/my/collect');
  await page.getByLabel(texts.amount).fill('55.000');
  await page.getByRole('button', { name: texts.cash }).click();
  await expect(page.getByRole('status')).toContainText(texts.cashRecorded);
  await expect(page.locator('ul.counter-sales li').first()).toContainText('55.000 ₫');
  expect(await cashToday(page)).toBe(before + 55_000);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the code is shown, the page reloads itself, and cash is recorded', async ({ page }) => {
    await logIn(page, t, VENDOR, DEMO_PASSWORD, '/my/collect');
    await page.getByLabel(texts.amount).fill('20.000');
    await page.getByRole('button', { name: texts.byQr }).click();
    await expect(page).toHaveURL(/\/my\/collect\/TQ\d{4,}$/);
    await expect(page.locator('.collect-amount')).toHaveText('20.000 ₫');
    await expect(page.getByRole('link', { name: 'Tải lại trang để xem tiền đã về chưa' })).toBeVisible();
    await expect(page.locator('noscript meta[http-equiv="refresh"]')).toHaveCount(1);

    await open(page, '/my/collect');
    await page.getByLabel(texts.amount).fill('15.000');
    await page.getByRole('button', { name: texts.cash }).click();
    await expect(page).toHaveURL(/\/my\/collect\?cash=TQ\d{4,}$/);
    await expect(page.getByRole('status')).toContainText(texts.cashRecorded);
  });
});
