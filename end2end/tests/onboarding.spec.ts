import { expect, type Page, test } from '@playwright/test';
import { DEMO_PASSWORD, logIn, logOut, open, randomDigits, signUpVendor, ui } from './helpers';

// The province's measure, end to end: an administrator imports a registry row for a Bắc Hà
// vendor who is not on the platform yet; the vendor opens a stall and sets up VietQR (a stall
// nobody can pay is not approved), the market's manager approves it and confirms the registry's
// suggestion, the vendor lists a product — and the Bắc Hà market's count of onboarded vendors
// goes up by exactly one.
const t = ui.vi;

/** The report's and registry's texts, written out as in `helpers.ts`'s `ui`. */
const report = {
  registryTitle: 'Danh sách hộ kinh doanh',
  file: 'Tệp CSV',
  upload: 'Nhập danh sách',
  confirmLink: 'Xác nhận',
  linkedTo: 'Trong danh sách:',
  paymentsTitle: 'Nhận tiền',
  bank: 'Ngân hàng',
  accountNumber: 'Số tài khoản',
  accountHolder: 'Tên chủ tài khoản',
  save: 'Lưu',
  saved: 'Đã lưu.',
};

/** The Bắc Hà market's row of the report: its registered and onboarded counts. */
async function bacHa(page: Page): Promise<{ registered: number; onboarded: number }> {
  await open(page, '/admin/report');
  const row = page.locator('tr[data-segment="market:bac-ha"]');
  await expect(row).toHaveCount(1);
  return {
    registered: Number(await row.locator('td.registered').innerText()),
    onboarded: Number(await row.locator('td.onboarded').innerText()),
  };
}

test('a registered Bắc Hà vendor who comes on board raises the market share by one', async ({
  page,
}) => {
  const phone = `09${randomDigits(8)}`;
  const externalId = `BH-E2E-${randomDigits(6)}`;
  const stallNo = `E-${randomDigits(3)}`;
  const stallName = `Gian hàng Bắc Hà thử ${Date.now()}`;
  const vendor = { fullName: 'Sùng Thị Dợ', login: phone, password: `mat-khau-${randomDigits(6)}` };
  let before = { registered: 0, onboarded: 0 };

  await test.step('the administrator imports the registry row', async () => {
    await logIn(page, t, 'admin@choso.vn', DEMO_PASSWORD, '/admin/registry');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(report.registryTitle);
    const registered = (await bacHa(page)).registered;
    await open(page, '/admin/registry');
    const csv =
      'external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\r\n' +
      `${externalId},market_vendor,bac-ha,${stallNo},${vendor.fullName},household,${phone},Bắc Hà,\r\n` +
      // A row with a mistake is reported with its line, and the good row still goes in.
      'BH-E2E-BAD,market_vendor,bac-ha,,Người thiếu loại,,,Bắc Hà,\r\n';
    await page.getByLabel(report.file, { exact: true }).setInputFiles({
      name: 'danh-sach.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\ufeff${csv}`, 'utf8'),
    });
    await page.getByRole('button', { name: report.upload, exact: true }).click();
    const result = page.locator('section.import-result');
    await expect(result).toContainText('2 dòng: 1 mới, 0 cập nhật, 0 không đổi, 1 bị từ chối.');
    await expect(result.locator('tr[data-line="3"]')).toContainText('entity_type');
    before = await bacHa(page);
    expect(before.registered).toBe(registered + 1);
    await logOut(page, t);
  });

  await test.step('the vendor opens a stall at Bắc Hà and sets up VietQR', async () => {
    await signUpVendor(page, t, vendor);
    await page.getByLabel(t.stallName, { exact: true }).fill(stallName);
    await page.getByRole('radio', { name: t.atMarket }).check();
    await page.getByLabel(t.market, { exact: true }).selectOption({ label: 'Chợ Bắc Hà' });
    await page.getByLabel(t.stallNo, { exact: true }).fill(stallNo);
    await page
      .getByLabel(t.descriptionVi, { exact: true })
      .fill('Khăn thổ cẩm và váy H’Mông dệt tay ở Bắc Hà, bán phiên chợ Chủ nhật.');
    await page.getByLabel(t.stallPhone, { exact: true }).fill(phone);
    await page.getByRole('checkbox', { name: 'Chủ nhật' }).check();
    await page.getByRole('button', { name: t.saveStall }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(stallName);
    await page.getByRole('button', { name: t.submitStall }).click();
    await expect(page.locator('p.status')).toContainText(t.awaiting);

    await open(page, '/my/payments');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(report.paymentsTitle);
    await page.getByLabel(report.bank, { exact: true }).selectOption('970436');
    await page.getByLabel(report.accountNumber, { exact: true }).fill('0011009876543');
    await page.getByLabel(report.accountHolder, { exact: true }).fill(vendor.fullName);
    await page.getByRole('button', { name: report.save, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: report.saved })).toBeVisible();
    await logOut(page, t);
  });

  await test.step('the Bắc Hà manager approves it and confirms the registry entry', async () => {
    await logIn(page, t, 'quanly.bacha@choso.vn', DEMO_PASSWORD, '/review');
    const item = page.locator('li.review-item', { hasText: stallName });
    await item.getByRole('button', { name: t.approve, exact: true }).click();
    await expect(item.locator('.status')).toHaveText(t.approved);
    // The same phone number and stall number: the registry row is the first suggestion.
    const suggestion = item.locator('ul.suggestions li').first();
    await expect(suggestion).toContainText(externalId);
    await suggestion.getByRole('button', { name: report.confirmLink, exact: true }).click();
    await expect(item.locator('.registry-links.linked')).toContainText(`${report.linkedTo} ${externalId}`);
    await logOut(page, t);
  });

  await test.step('the vendor lists a product', async () => {
    await logIn(page, t, phone, vendor.password, '/my/stall');
    await page.getByRole('link', { name: t.addProduct }).click();
    await page.getByLabel(t.productName, { exact: true }).fill('Khăn thổ cẩm Bắc Hà');
    await page
      .getByLabel(t.productDescriptionVi, { exact: true })
      .fill('Khăn dệt tay bằng sợi lanh, nhuộm chàm.');
    await page
      .getByLabel(t.category, { exact: true })
      .selectOption({ label: 'Thổ cẩm & thủ công' });
    await page.getByLabel(t.unit, { exact: true }).selectOption({ label: 'cái' });
    await page.getByLabel(t.price, { exact: true }).fill('250.000');
    await page.getByRole('button', { name: t.saveProduct }).click();
    await expect(page).toHaveURL(/\/my\/products\/\d+\?saved=1$/);
    await logOut(page, t);
  });

  await test.step('the Bắc Hà share went up by exactly one vendor', async () => {
    await logIn(page, t, 'admin@choso.vn', DEMO_PASSWORD, '/admin/report');
    const after = await bacHa(page);
    expect(after).toEqual({ registered: before.registered, onboarded: before.onboarded + 1 });
    // The new vendor is no longer among those still lacking a stage.
    await expect(page.locator(`tr[data-external-id="${externalId}"]`)).toHaveCount(0);
  });
});
