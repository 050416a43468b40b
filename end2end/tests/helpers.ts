import { expect, type Locator, type Page } from '@playwright/test';

export type Lang = 'vi' | 'en';

/**
 * The interface texts the tests read or click, in both languages. They are written out here
 * rather than loaded from `app/locales`, so that a wrong or missing translation fails a test
 * instead of being copied into its expectation.
 */
export const ui = {
  vi: {
    otherLanguage: 'English',
    homeTitle: 'Chợ Số Lào Cai',
    account: 'Tài khoản',
    login: 'Đăng nhập',
    signup: 'Đăng ký',
    logout: 'Đăng xuất',
    searchLabel: 'Tìm sản phẩm',
    searchButton: 'Tìm',
    searchTitle: 'Tìm kiếm',
    searchNone: 'Không tìm thấy sản phẩm nào',
    notFoundTitle: 'Không tìm thấy trang',
    backHome: 'Về trang chủ',
    loginField: 'Số điện thoại hoặc email',
    password: 'Mật khẩu',
    asVendor: 'Tiểu thương / chủ thể OCOP (mở gian hàng)',
    signupTitle: 'Đăng ký tài khoản',
    fullName: 'Họ và tên',
    openStallTitle: 'Mở gian hàng số',
    stallName: 'Tên gian hàng',
    atMarket: 'Tại chợ',
    market: 'Chợ',
    saPa: 'Chợ Sa Pa',
    stallNo: 'Số quầy (ví dụ B-12)',
    descriptionVi: 'Giới thiệu (tiếng Việt)',
    stallPhone: 'Số điện thoại gian hàng',
    saturday: 'Thứ Bảy',
    saveStall: 'Lưu gian hàng',
    submitStall: 'Gửi duyệt',
    draft: 'Bản nháp',
    awaiting: 'Chờ duyệt',
    approved: 'Đã duyệt',
    reviewTitle: 'Duyệt gian hàng',
    approve: 'Duyệt',
    addProduct: 'Thêm sản phẩm',
    productName: 'Tên sản phẩm',
    productDescriptionVi: 'Mô tả (tiếng Việt)',
    category: 'Loại hàng',
    fruit: 'Trái cây',
    unit: 'Đơn vị bán',
    price: 'Giá mỗi đơn vị (đồng)',
    stock: 'Số lượng còn',
    saveProduct: 'Lưu sản phẩm',
    notANumber: 'Vui lòng nhập một con số.',
    invalidForm: 'Có mục chưa đúng, vui lòng xem lại các mục được đánh dấu.',
    choosePhoto: 'Chọn ảnh',
    choosePhotos: 'Ảnh (có thể chọn nhiều ảnh)',
    uploadPhoto: 'Tải ảnh lên',
    photoSaved: 'Đã lưu ảnh.',
    saved: 'Đã lưu.',
    // Vietnamese writes decimals with a comma.
    stock12_5: '12,5',
    stockLeft12_5: 'Còn 12,5 kg',
  },
  en: {
    otherLanguage: 'Tiếng Việt',
    homeTitle: 'Chợ Số Lào Cai',
    account: 'Account',
    login: 'Log in',
    signup: 'Sign up',
    logout: 'Log out',
    searchLabel: 'Search products',
    searchButton: 'Search',
    searchTitle: 'Search',
    searchNone: 'No products found',
    notFoundTitle: 'Page not found',
    backHome: 'Back to the home page',
    loginField: 'Phone number or email',
    password: 'Password',
    asVendor: 'A vendor / OCOP producer (open a stall)',
    signupTitle: 'Create an account',
    fullName: 'Full name',
    openStallTitle: 'Open a digital stall',
    stallName: 'Stall name',
    atMarket: 'At a market',
    market: 'Market',
    saPa: 'Sa Pa Market',
    stallNo: 'Stall number (e.g. B-12)',
    descriptionVi: 'Description (Vietnamese)',
    stallPhone: 'Stall phone number',
    saturday: 'Saturday',
    saveStall: 'Save stall',
    submitStall: 'Submit for approval',
    draft: 'Draft',
    awaiting: 'Awaiting approval',
    approved: 'Approved',
    reviewTitle: 'Review stalls',
    approve: 'Approve',
    addProduct: 'Add a product',
    productName: 'Product name',
    productDescriptionVi: 'Description (Vietnamese)',
    category: 'Category',
    fruit: 'Fruit',
    unit: 'Sold by',
    price: 'Price per unit (đồng)',
    stock: 'Stock',
    saveProduct: 'Save product',
    notANumber: 'Please enter a number.',
    invalidForm: 'Some fields need a look — see the marked ones.',
    choosePhoto: 'Choose a photo',
    choosePhotos: 'Photos (you can choose several)',
    uploadPhoto: 'Upload photo',
    photoSaved: 'Photo saved.',
    saved: 'Saved.',
    stock12_5: '12.5',
    stockLeft12_5: '12.5 kg left',
  },
} satisfies Record<Lang, Record<string, string>>;

export type Texts = (typeof ui)[Lang];

/** The password of every demo account (`DEMO_PASSWORD` in `server/src/seed.rs`). */
export const DEMO_PASSWORD = 'choso-demo';

/**
 * Opens a page and waits until the network is quiet: by then the page's islands (the live
 * order or sale status, the copy and print buttons) have loaded their code and hydrated, so
 * they show and a click reaches them. The rest of the page runs no code in the browser: its
 * forms are posted by the browser itself, so a click on them needs no wait.
 */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState('networkidle');
}

/** That the page is in `lang`: the document says so, and the header speaks it. */
export async function expectLanguage(page: Page, lang: Lang): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.getByRole('search').getByRole('button')).toHaveText(ui[lang].searchButton);
  // The language link offers the other language.
  await expect(
    page.getByRole('link', { name: ui[lang].otherLanguage, exact: true }),
  ).toBeVisible();
}

/**
 * Chooses the interface language at the address the header's language link points to, which
 * keeps the choice in a cookie for the rest of the browser context, and lands on the home page.
 */
export async function chooseLanguage(page: Page, lang: Lang): Promise<void> {
  await page.goto(`/lang/${lang}?next=/`);
  await expect(page).toHaveURL('/');
  await expectLanguage(page, lang);
}

/** Switches the language with the header's link, as a visitor does, staying on the same page. */
export async function switchLanguageWithLink(page: Page, to: Lang): Promise<void> {
  const from: Lang = to === 'en' ? 'vi' : 'en';
  const here = page.url();
  await page.getByRole('link', { name: ui[from].otherLanguage, exact: true }).click();
  await expectLanguage(page, to);
  await expect(page).toHaveURL(here);
}

/**
 * On a search page, to English and back with the header's link: the page's own heading follows
 * and the visitor keeps their search.
 */
export async function languageRoundTrip(page: Page): Promise<void> {
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(ui.vi.searchTitle);
  await switchLanguageWithLink(page, 'en');
  await expect(heading).toHaveText(ui.en.searchTitle);
  await switchLanguageWithLink(page, 'vi');
  await expect(heading).toHaveText(ui.vi.searchTitle);
}

/**
 * Opens the header's menu (a `<details>`, so this works without JavaScript too) unless it is
 * open already, and returns its account area: log-in and sign-up links, or the signed-in user,
 * their pages and log-out.
 */
export async function openMenu(page: Page, t: Texts): Promise<Locator> {
  const menu = page.locator('header details.menu');
  if (!(await menu.evaluate((details: HTMLDetailsElement) => details.open))) {
    await menu.locator('summary').click();
  }
  await expect(menu).toHaveAttribute('open', '');
  return page.getByRole('navigation', { name: t.account, exact: true });
}

/** Follows a link of the header's menu, as a visitor does. */
export async function followMenuLink(page: Page, t: Texts, name: string): Promise<void> {
  const account = await openMenu(page, t);
  await account.getByRole('link', { name, exact: true }).click();
}

export async function signUpVendor(
  page: Page,
  t: Texts,
  user: { fullName: string; login: string; password: string },
): Promise<void> {
  await open(page, '/signup');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.signupTitle);
  await page.getByRole('radio', { name: t.asVendor }).check();
  await page.getByLabel(t.fullName, { exact: true }).fill(user.fullName);
  await page.getByLabel(t.loginField, { exact: true }).fill(user.login);
  await page.getByLabel(t.password, { exact: true }).fill(user.password);
  await page.getByRole('main').getByRole('button', { name: t.signup, exact: true }).click();
  // A new vendor is sent straight to opening their stall, already signed in.
  await expect(page).toHaveURL('/my/stall');
  await expect(page.locator('header .menu .who')).toHaveText(user.fullName);
}

/** Logs in from the log-in page and waits to arrive at `next`. */
export async function logIn(
  page: Page,
  t: Texts,
  login: string,
  password: string,
  next: string,
): Promise<void> {
  await open(page, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel(t.loginField, { exact: true }).fill(login);
  await page.getByLabel(t.password, { exact: true }).fill(password);
  await page.getByRole('main').getByRole('button', { name: t.login, exact: true }).click();
  await expect(page).toHaveURL(next);
  // The header shows who signed in (its menu is drawn anew, closed).
  await expect(page.locator('header .menu .who')).toHaveCount(1);
  const account = await openMenu(page, t);
  await expect(account.getByRole('button', { name: t.logout })).toBeVisible();
  await closeMenu(page);
}

/** Closes the header's menu, so it covers nothing of the page below it. */
export async function closeMenu(page: Page): Promise<void> {
  const menu = page.locator('header details.menu');
  if (await menu.evaluate((details: HTMLDetailsElement) => details.open)) {
    await menu.locator('summary').click();
  }
  await expect(menu).not.toHaveAttribute('open');
}

export async function logOut(page: Page, t: Texts): Promise<void> {
  const account = await openMenu(page, t);
  await account.getByRole('button', { name: t.logout }).click();
  // The header shows nobody signed in (its menu is drawn anew, closed).
  await expect(page.locator('header .menu .who')).toHaveCount(0);
  await expect(
    (await openMenu(page, t)).getByRole('link', { name: t.login, exact: true }),
  ).toBeVisible();
}

/**
 * Searches with the header's search box, as a shopper does, and returns the result cards.
 * The box is a plain GET form, so this works with or without JavaScript.
 */
export async function searchFor(page: Page, t: Texts, query: string): Promise<Locator> {
  const box = page.getByRole('search').getByRole('searchbox', { name: t.searchLabel });
  await box.fill(query);
  await page
    .getByRole('search')
    .getByRole('button', { name: t.searchButton, exact: true })
    .click();
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(query);
  return page.locator('li.card');
}

/** A number of `digits` random decimal digits, to make names and logins unique per run. */
export function randomDigits(digits: number): string {
  return Array.from({ length: digits }, () => Math.floor(Math.random() * 10)).join('');
}

/** A 4×4 red PNG: small enough to inline, real enough for the server to decode and re-encode. */
export const PHOTO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mM4oWEDRwzEcQDwgxLB0V/eYQAAAABJRU5ErkJggg==',
  'base64',
);

/** The shop's texts the shared checkout steps below read (Vietnamese). */
const shopTexts = {
  addToCart: 'Thêm vào giỏ',
  added: 'Đã thêm vào giỏ hàng.',
  placeOrder: 'Đặt hàng',
};

/** A product's address, found as a shopper finds it: by searching for its name. */
export async function findProduct(page: Page, query: string, name: string): Promise<string> {
  await open(page, '/');
  const results = await searchFor(page, ui.vi, query);
  await results.getByRole('link', { name, exact: true }).first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return new URL(page.url()).pathname;
}

export async function addToCart(page: Page, path: string, quantity: string): Promise<void> {
  await open(page, path);
  await page.locator('#quantity').fill(quantity);
  await page.getByRole('button', { name: shopTexts.addToCart, exact: true }).click();
  await expect(page.getByText(shopTexts.added)).toBeVisible();
}

/**
 * Fills the cart's checkout form for a pickup on the next `day` (a weekday as the options
 * read) and places the order; returns the label of the option picked for each stall.
 */
export async function checkOut(
  page: Page,
  opts: { name: string; phone: string; day: string; method: 'card' | 'vietqr' },
): Promise<string[]> {
  await open(page, '/cart');
  await page.locator('#name').fill(opts.name);
  await page.locator('#phone').fill(opts.phone);
  await page.locator('input[name="form[fulfilment]"][value="pickup"]').check();
  // One pickup date per stall, each offering only that stall's own trading days: an option
  // is a date (`2026-12-02`) labelled with its weekday and day (`Thứ Tư 02/12`).
  const days = page.locator('select[name^="pickup_days["]');
  await expect(days.first()).toBeVisible();
  const picked: string[] = [];
  for (const select of await days.all()) {
    const option = select.locator('option', { hasText: opts.day }).first();
    const date = await option.getAttribute('value');
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await select.selectOption(date!);
    picked.push(((await option.textContent()) ?? '').replace(/\s+/g, ' ').trim());
  }
  // Every stall paid the same way: each stall has its own choice, among the ways it takes.
  const choices = page.locator(`input[name^="methods["][value="${opts.method}"]`);
  await expect(choices).toHaveCount(picked.length);
  for (const choice of await choices.all()) {
    await choice.check();
  }
  await page.getByRole('button', { name: shopTexts.placeOrder, exact: true }).click();
  return picked;
}
