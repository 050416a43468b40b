import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import {
  DEMO_PASSWORD,
  followMenuLink,
  logIn,
  logOut,
  open,
  PHOTO_PNG,
  randomDigits,
  signUpVendor,
  switchLanguageWithLink,
  ui,
} from './helpers';

// A new vendor's first stall on a phone, from signing up to a first order paid, following the
// set-up checklist on their dashboard from step to step without typing an address. The Sa Pa
// manager sees the same checklist, the owner and the products, and can't approve the stall
// until it has a way to be paid; once approved, a shopper buys and pays by VietQR and the
// vendor confirms the money came.
const t = ui.vi;
const phone = { viewport: { width: 360, height: 740 } };
test.use(phone);

/** The texts of the checklist, the review page and the sale, written out as in `helpers.ts`. */
const s = {
  checklist: 'Các bước mở bán',
  ready: 'Gian hàng đã sẵn sàng bán',
  readyEn: 'Your stall is ready to sell',
  done: 'Đã xong',
  todo: 'Chưa xong',
  progress: (done: number) => `Đã xong ${done}/5 bước`,
  cannotApprove: 'Chưa duyệt được: gian hàng chưa có cách nhận tiền',
  owner: 'Chủ gian hàng',
  bank: 'Ngân hàng',
  accountNumber: 'Số tài khoản',
  accountHolder: 'Tên chủ tài khoản',
  save: 'Lưu',
  addToCart: 'Thêm vào giỏ',
  added: 'Đã thêm vào giỏ hàng.',
  cart: 'Giỏ hàng',
  placeOrder: 'Đặt hàng',
  awaitingTransfer: 'Chờ chuyển khoản',
  paid: 'Đã thanh toán',
  confirmPaymentAsk: 'Đã nhận tiền…',
  confirmPayment: 'Xác nhận đã nhận tiền',
  ordersLink: 'Đơn hàng',
};

/** The checklist's step on the vendor's dashboard. */
function step(page: Page, name: string): Locator {
  return page.locator(`.setup-steps li[data-step="${name}"]`);
}

async function expectStep(page: Page, name: string, done: boolean): Promise<void> {
  await expect(step(page, name)).toHaveClass(done ? 'done' : 'todo');
  await expect(step(page, name).locator('.state')).toHaveText(done ? s.done : s.todo);
}

/** Nothing on the page is wider than the phone. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}

async function uploadPhoto(page: Page, name: string): Promise<void> {
  await page.getByLabel(t.choosePhoto, { exact: true }).setInputFiles({
    name,
    mimeType: 'image/png',
    buffer: PHOTO_PNG,
  });
  await page.getByRole('button', { name: t.uploadPhoto }).click();
  await expect(page.getByRole('status').filter({ hasText: t.photoSaved })).toBeVisible();
}

async function newPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'vi-VN', ...phone });
  return context.newPage();
}

test('a new vendor follows the checklist from sign-up to a first order paid', async ({
  page,
  browser,
}) => {
  const vendor = {
    fullName: 'Lò Thị Xuân',
    login: `09${randomDigits(8)}`,
    password: `mat-khau-${randomDigits(6)}`,
  };
  const stallName = `Rau rừng Sa Pa thử ${Date.now()}`;
  const productName = `Rau cải mèo thử ${randomDigits(6)}`;
  let productPath = '';
  let code = '';

  await test.step('sign up and open a stall at Sa Pa market', async () => {
    await signUpVendor(page, t, vendor);
    await page.getByLabel(t.stallName, { exact: true }).fill(stallName);
    await page.getByRole('radio', { name: t.atMarket }).check();
    await page.getByLabel(t.market, { exact: true }).selectOption({ label: t.saPa });
    await page.getByLabel(t.stallNo, { exact: true }).fill(`R-${randomDigits(5)}`);
    await page
      .getByLabel(t.descriptionVi, { exact: true })
      .fill('Rau rừng hái sáng sớm ở Tả Van, bán mỗi ngày tại chợ Sa Pa.');
    await page.getByLabel(t.stallPhone, { exact: true }).fill(vendor.login);
    for (const day of ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật']) {
      await page.getByRole('checkbox', { name: day, exact: true }).check();
    }
    await page.getByRole('button', { name: t.saveStall }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(stallName);
  });

  await test.step('the dashboard lists every step still to do', async () => {
    await expect(page.getByRole('heading', { name: s.checklist })).toBeVisible();
    await expect(page.locator('.setup-progress')).toHaveText(s.progress(0));
    for (const name of ['details', 'product', 'payment', 'submitted', 'approved']) {
      await expectStep(page, name, false);
    }
    // The reviewer's approval is not the vendor's to do: no link.
    await expect(step(page, 'approved').getByRole('link')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
  });

  await test.step('add a photo of the stall, from its step', async () => {
    await step(page, 'details').getByRole('link').click();
    await expect(page).toHaveURL('/my/stall#stall-photo');
    await uploadPhoto(page, 'gian-hang.png');
    await expectStep(page, 'details', true);
  });

  await test.step('add a product with its photo, from the product step', async () => {
    await step(page, 'product').getByRole('link').click();
    await expect(page).toHaveURL('/my/products/new');
    await page.getByLabel(t.productName, { exact: true }).fill(productName);
    await page
      .getByLabel(t.productDescriptionVi, { exact: true })
      .fill('Cải mèo trồng trên nương, lá xanh đậm, vị đắng nhẹ.');
    await page.getByLabel(t.category, { exact: true }).selectOption({ label: 'Rau củ' });
    await page.getByLabel(t.unit, { exact: true }).selectOption({ label: 'kg' });
    await page.getByLabel(t.price, { exact: true }).fill('30.000');
    await page.getByLabel(t.stock, { exact: true }).fill('20');
    // A photo too big first: the whole form comes back, its fields kept, with the reason.
    await page.getByLabel(t.choosePhotos, { exact: true }).setInputFiles({
      name: 'qua-lon.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    });
    await page.getByRole('button', { name: t.saveProduct }).click();
    await expect(page.getByText('qua-lon.png: Ảnh quá lớn: tối đa 5 MB.')).toBeVisible();
    await expect(page.getByLabel(t.productName, { exact: true })).toHaveValue(productName);
    await page.getByLabel(t.choosePhotos, { exact: true }).setInputFiles({
      name: 'cai-meo.png',
      mimeType: 'image/png',
      buffer: PHOTO_PNG,
    });
    await page.getByRole('button', { name: t.saveProduct }).click();
    await expect(page).toHaveURL(/\/my\/products\/\d+\?saved=1$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    productPath = `/products/${id}`;

    // Listed with its photo, the step is done.
    await expect(page.locator('section.photos .photo-list li')).toHaveCount(1);
    await page.getByRole('link', { name: 'Về gian hàng' }).click();
    await expect(page).toHaveURL('/my/stall');
    await expectStep(page, 'product', true);
  });

  await test.step('submit the stall for approval from its step', async () => {
    await step(page, 'submitted').getByRole('link').click();
    await expect(page).toHaveURL('/my/stall#submit-stall');
    await page.getByRole('button', { name: t.submitStall }).click();
    await expect(page.locator('p.status')).toContainText(t.awaiting);
    await expectStep(page, 'submitted', true);
    await expect(page.locator('.setup-progress')).toHaveText(s.progress(3));
    await logOut(page, t);
  });

  await test.step('the manager sees the stall and why it cannot be approved yet', async () => {
    await logIn(page, t, 'quanly.sapa@choso.vn', DEMO_PASSWORD, '/review');
    const item = page.locator('li.review-item', { hasText: stallName });
    await expect(item.locator('.status')).toHaveText(t.awaiting);
    const facts = item.locator('.review-facts');
    await expect(facts.locator('dl')).toContainText(s.owner);
    await expect(facts.locator('dl')).toContainText(vendor.fullName);
    await expect(facts.locator('.stall-photo img')).toBeVisible();
    await expect(facts.locator('.review-products li', { hasText: productName })).toHaveCount(1);
    await expect(facts.locator('.review-products img')).toHaveAttribute(
      'src',
      /^\/photos\/[0-9a-f]{32}-thumb\.jpg$/,
    );
    await expect(facts.locator('li[data-step="payment"] .state')).toHaveText(s.todo);
    const approve = item.getByRole('button', { name: t.approve, exact: true });
    await expect(approve).toBeDisabled();
    await expect(item.locator('.cannot-approve')).toContainText(s.cannotApprove);
    await expectNoSidewaysScroll(page);
    await logOut(page, t);
  });

  await test.step('the vendor sets up VietQR from the payment step', async () => {
    await logIn(page, t, vendor.login, vendor.password, '/my/stall');
    await step(page, 'payment').getByRole('link').click();
    await expect(page).toHaveURL('/my/payments');
    await page.waitForLoadState('networkidle');
    await page.getByLabel(s.bank, { exact: true }).selectOption('970436');
    await page.getByLabel(s.accountNumber, { exact: true }).fill('0011007654321');
    await page.getByLabel(s.accountHolder, { exact: true }).fill(vendor.fullName);
    await page.getByRole('button', { name: s.save, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: t.saved })).toBeVisible();
    await logOut(page, t);
  });

  await test.step('the manager approves it', async () => {
    await logIn(page, t, 'quanly.sapa@choso.vn', DEMO_PASSWORD, '/review');
    const item = page.locator('li.review-item', { hasText: stallName });
    await expect(item.locator('.cannot-approve')).toHaveCount(0);
    await item.getByRole('button', { name: t.approve, exact: true }).click();
    await expect(item.locator('.status')).toHaveText(t.approved);
    await logOut(page, t);
  });

  await test.step('every step is done, in both languages', async () => {
    await logIn(page, t, vendor.login, vendor.password, '/my/stall');
    await expect(page.getByRole('heading', { name: s.ready })).toBeVisible();
    await expect(page.locator('.setup-progress')).toHaveText(s.progress(5));
    await switchLanguageWithLink(page, 'en');
    await expect(page.getByRole('heading', { name: s.readyEn })).toBeVisible();
    await switchLanguageWithLink(page, 'vi');
    await logOut(page, t);
  });

  await test.step('a shopper orders it on a phone and is shown the VietQR code', async () => {
    const shopper = await newPhone(browser);
    try {
      await open(shopper, productPath);
      await expect(shopper.getByRole('heading', { level: 1 })).toHaveText(productName);
      await expectNoSidewaysScroll(shopper);
      await shopper.locator('#quantity').fill('2');
      await shopper.getByRole('button', { name: s.addToCart, exact: true }).click();
      await expect(shopper.getByText(s.added)).toBeVisible();
      await shopper.locator('form.add-to-cart').getByRole('link', { name: s.cart }).click();
      await expect(shopper).toHaveURL('/cart');
      await shopper.waitForLoadState('networkidle');
      await shopper.locator('#name').fill('Khách Hà Nội');
      await shopper.locator('#phone').fill(`09${randomDigits(8)}`);
      await shopper.locator('input[name="form[fulfilment]"][value="pickup"]').check();
      const day = shopper.locator('select[name^="pickup_days["]');
      await expect(day).toHaveCount(1);
      const first = await day.locator('option').first().getAttribute('value');
      await day.selectOption(first!);
      await shopper.locator('input[name^="methods["][value="vietqr"]').check();
      await shopper.getByRole('button', { name: s.placeOrder, exact: true }).click();
      await expect(shopper).toHaveURL(/\/checkout\/[^/?]+$/);
      const order = shopper.locator('article.order');
      await expect(order).toHaveCount(1);
      await expect(order.locator('.status')).toHaveText(s.awaitingTransfer);
      await expect(order.locator('.vietqr .qr svg')).toBeVisible();
      code = (await order.getAttribute('data-code')) ?? '';
      expect(code).toMatch(/^DH\d+$/);
    } finally {
      await shopper.context().close();
    }
  });

  await test.step('the vendor confirms the money came: the first order is paid', async () => {
    await logIn(page, t, vendor.login, vendor.password, '/my/stall');
    await followMenuLink(page, t, s.ordersLink);
    await expect(page).toHaveURL('/my/orders');
    await page.waitForLoadState('networkidle');
    const item = page.locator(`li.order[data-code="${code}"]`);
    await expect(item.locator('.status')).toHaveText(s.awaitingTransfer);
    // Money received is asked twice: the question first, then its confirming button.
    await item.locator('details.confirm summary', { hasText: s.confirmPaymentAsk }).click();
    await item.getByRole('button', { name: s.confirmPayment, exact: true }).click();
    await expect(item.locator('.status')).toHaveText(s.paid);
  });
});
