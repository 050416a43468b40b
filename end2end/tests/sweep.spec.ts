import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, type Lang } from './helpers';

/**
 * Every page type, in both languages, as each kind of visitor sees it on a 360 × 740 phone. A
 * page fails the sweep when it scrolls sideways, when a header control or a button is smaller than
 * a 44 px tap target, when the browser logs an error, or when axe-core finds a serious or critical
 * accessibility violation. Each test visits all of its role's pages and then reports every problem
 * at once, so one run shows the whole list.
 */
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

type Role = 'visitor' | 'shopper' | 'vendor' | 'manager' | 'admin';

const logins: Record<Exclude<Role, 'visitor'>, string> = {
  shopper: 'khach@choso.vn',
  vendor: '0912468201',
  manager: 'quanly.sapa@choso.vn',
  admin: 'admin@choso.vn',
};

/**
 * A page's address; or how to find one from a page that links to it; or `cart+`, the cart after
 * putting the first product of the OCOP page in it.
 */
type Stop = string | { from: string; link: string };

const pages: Record<Role, Stop[]> = {
  visitor: [
    '/',
    '/markets/sa-pa',
    '/ocop',
    { from: '/markets/sa-pa', link: 'a[href^="/stalls/"]' },
    { from: '/ocop', link: 'a[href^="/products/"]' },
    '/search?q=m%E1%BA%ADt+ong',
    '/search?q=honey',
    '/search?q=xyzzy',
    '/login',
    '/signup',
    '/cart',
    'cart+',
    '/no-such-page',
  ],
  shopper: ['/my/purchases', { from: '/my/purchases', link: 'a[href^="/checkout/"]' }, 'cart+'],
  vendor: [
    '/my/stall',
    '/my/products/new',
    { from: '/my/stall', link: 'a[href^="/my/products/"]:not([href$="/new"])' },
    '/my/orders',
    '/my/payments',
    '/my/statements',
    '/my/transfers',
    '/my/placard',
    '/my/collect',
    { from: '/my/collect', link: 'a[href^="/my/collect/TQ"]' },
  ],
  manager: ['/review', '/admin/registry', '/admin/report'],
  admin: ['/admin', '/admin/orders', '/admin/registry', '/admin/report', '/admin/tokens', '/review'],
};

/** Where `stop` is: itself, or the first matching link on the page it names. */
async function address(page: Page, stop: Stop): Promise<string> {
  if (stop === 'cart+') {
    await page.goto(await address(page, { from: '/ocop', link: 'a[href^="/products/"]' }));
    await page.waitForLoadState('networkidle');
    await page.locator('main form button.primary').first().click();
    await page.waitForLoadState('networkidle');
    return '/cart';
  }
  if (typeof stop === 'string') return stop;
  await page.goto(stop.from);
  const href = await page.locator(stop.link).first().getAttribute('href');
  expect(href, `${stop.from} links to ${stop.link}`).toBeTruthy();
  return href!;
}

/** What is wrong with the page the browser shows now, one line each. */
async function problems(page: Page): Promise<string[]> {
  const found: string[] = [];
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  if (overflow > 0) found.push(`scrolls sideways by ${overflow} px`);
  const small = await page.evaluate(() => {
    const targets = [
      ...document.querySelectorAll<HTMLElement>(
        'header a, header button, header summary, header input, header select',
      ),
      ...document.querySelectorAll<HTMLElement>(
        'main button:not(.link), main .button, main input[type=submit]',
      ),
    ];
    return targets
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(
        ({ el, box }) =>
          `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  });
  found.push(...small.map((s) => `tap target under 44 px: ${s}`));
  const axe = await new AxeBuilder({ page }).analyze();
  for (const v of axe.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      const where = v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ');
      found.push(`axe ${v.impact} ${v.id}: ${v.help} — ${where}`);
    }
  }
  return found;
}

for (const role of Object.keys(pages) as Role[]) {
  for (const lang of ['vi', 'en'] as Lang[]) {
    test(`every ${role} page in ${lang} fits a phone and passes axe-core`, async ({ page }) => {
      test.setTimeout(240_000);
      const errors: string[] = [];
      page.on('console', (m) => {
        // The not-found page is answered with a 404 status on purpose; the browser reports it.
        if (m.type() === 'error' && !m.text().includes('status of 404')) errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`/lang/${lang}?next=/`);
      if (role !== 'visitor') {
        const origin = new URL(page.url()).origin;
        const answer = await page.request.post('/api/log_in', {
          form: { login: logins[role], password: DEMO_PASSWORD },
          headers: { accept: 'application/json', origin },
        });
        expect(answer.ok(), `${role} logs in`).toBeTruthy();
      }
      const report: string[] = [];
      for (const stop of pages[role]) {
        const path = await address(page, stop);
        errors.length = 0;
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        const found = [...(await problems(page)), ...errors.map((e) => `console: ${e}`)];
        report.push(...found.map((f) => `${path}: ${f}`));
      }
      expect(report).toEqual([]);
    });
  }
}
