// The web app in Debian's chromium (playwright-core, the system browser: no download) at a
// phone's viewport, against a live `linli serve` with demo data serving the built app.
// Usage: node tests/browser.mjs <server url> <output folder>. Prints one JSON line per
// check ({name, ok, detail}); tests/e2e/test_browser.py starts the server and reads them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, out] = process.argv.slice(2);
const CHROMIUM = process.env.LINLI_CHROMIUM || '/usr/bin/chromium';
const DAUGHTER = '+8613900000012';
const FATHER = '王建国';
const PASSWORD = 'linli-demo-2026';
const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN' };
mkdirSync(out, { recursive: true });

function report(name, ok, detail = '') {
  console.log(JSON.stringify({ name, ok, detail: String(detail).slice(0, 2000) }));
}

async function check(name, work) {
  try {
    const detail = await work();
    report(name, true, detail ?? '');
  } catch (error) {
    report(name, false, error?.stack || error);
  }
}

/** A screenshot, and axe-core's serious or critical violations (none allowed). */
async function audit(page, name) {
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  report(`axe ${name}`, bad.length === 0, JSON.stringify(bad.length ? bad : violations));
}

async function login(page, phone) {
  await page.fill('#phone', phone);
  await page.fill('#secret', PASSWORD);
  await page.click('form button[type=submit]');
}

function localDate(offset) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offset * 86_400_000));
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const daughterContext = await browser.newContext(PHONE);
  const daughter = await daughterContext.newPage();

  await check('unauthenticated visit leads to login and back', async () => {
    await daughter.goto(`${url}/app/#/appointments`);
    await daughter.waitForURL(/#\/login\?next=appointments/);
    await daughter.waitForSelector('#phone');
    await audit(daughter, 'login');
    await login(daughter, DAUGHTER);
    await daughter.waitForURL(/#\/appointments$/);
    await daughter.waitForSelector('.appointment, .list li');
    await audit(daughter, 'appointments');
  });

  // The daughter books her father's yearly elderly check; a second context (her father,
  // logged in on his own phone) watching the same day sees the seats drop without a reload.
  let booked = null;
  await check('booking for a parent; a second context sees remaining seats drop live', async () => {
    await daughter.goto(`${url}/app/#/book`);
    await daughter.waitForSelector('#service option', { state: 'attached' });
    const service = await daughter.$eval('#service', (select) =>
      [...select.options].find((o) => o.textContent.includes('老年人年度体检')).value);
    await daughter.selectOption('#service', service);
    await daughter.waitForSelector(`#person option:has-text("${FATHER}")`, { state: 'attached' });
    const father = await daughter.$eval('#person', (select, name) =>
      [...select.options].find((o) => o.textContent.includes(name)).value, FATHER);
    await daughter.selectOption('#person', father);

    const watcherContext = await browser.newContext(PHONE);
    const watcher = await watcherContext.newPage();
    await watcher.goto(`${url}/app/#/login?next=book`);
    await login(watcher, '+8613900000011');
    await watcher.waitForURL(/#\/book$/);
    await watcher.waitForSelector('#service option', { state: 'attached' });
    await watcher.selectOption('#service', service);

    // Days from the second on (the demo booked the father on some: a refusal there is data).
    for (let day = 1; day < 7 && !booked; day++) {
      for (const page of [daughter, watcher]) {
        await page.click(`.chips button >> nth=${day}`);
        await page.waitForSelector('[data-slot], .list li');
      }
      await daughter.waitForTimeout(300);
      const slot = await daughter.$('[data-slot]:has(button:not([disabled]))');
      if (!slot) continue;
      const id = await slot.getAttribute('data-slot');
      const before = Number(await slot.$eval('[data-remaining]', (e) => e.dataset.remaining));
      await watcher.waitForSelector(`[data-slot="${id}"] [data-remaining="${before}"]`);
      await watcher.waitForTimeout(800); // its subscription is in place
      await slot.$eval('button', (b) => b.click());
      const message = daughter.locator('[data-testid=book-message]');
      await message.filter({ hasText: /\S/ }).waitFor();
      const text = await message.textContent();
      if (!text.includes('预约成功')) continue; // already booked that day: try the next
      await watcher.waitForSelector(`[data-slot="${id}"] [data-remaining="${before - 1}"]`, { timeout: 10_000 });
      booked = { id, text };
    }
    if (!booked) throw new Error('no day could be booked');
    await audit(daughter, 'book');
    await audit(watcher, 'book-watcher');
    await watcherContext.close();
    return booked.text;
  });

  await check('late cancellation: the warning comes before confirming', async () => {
    if (!booked) throw new Error('nothing was booked');
    await daughter.goto(`${url}/app/#/appointments`);
    const item = daughter.locator(`.appointment[data-slot="${booked.id}"]`).first();
    await item.waitFor();
    const start = new Date(await item.getAttribute('data-start'));
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(start);
    const [y, m, d] = local.split('-').map(Number);
    // Early (three days before, 10:00 in Shanghai): no warning.
    await daughter.clock.setFixedTime(new Date(Date.UTC(y, m - 1, d - 3, 2, 0)));
    await item.locator('button.danger').click();
    await item.locator('.confirm').waitFor();
    if (await item.locator('[data-testid=late-warning]').count()) throw new Error('a warning before the cutoff');
    await item.locator('.confirm button.secondary').click();
    // Late (17:00 the day before, past the 16:00 cutoff): the warning, before confirming.
    await daughter.clock.setFixedTime(new Date(Date.UTC(y, m - 1, d - 1, 9, 0)));
    await item.locator('button.danger').click();
    await item.locator('[data-testid=late-warning]').waitFor();
    await audit(daughter, 'cancel-warning');
    await item.locator('.confirm button.danger').click();
    const message = daughter.locator('main [role=status]').first();
    await message.filter({ hasText: /\S/ }).waitFor();
    return await message.textContent();
  });

  await check('staff: today at a site', async () => {
    const staffContext = await browser.newContext(PHONE);
    const staff = await staffContext.newPage();
    await staff.goto(`${url}/app/#/login?next=staff`);
    await login(staff, '+8613900000002');
    await staff.waitForURL(/#\/staff$/);
    await staff.waitForSelector('#site option', { state: 'attached' });
    await staff.waitForSelector('.list li');
    await audit(staff, 'staff');
    await staff.goto(`${url}/app/#/groups`);
    await staff.waitForSelector('.list li');
    await audit(staff, 'groups');
    await staffContext.close();
  });

  await check('320 px wide: nothing wider than the screen', async () => {
    const narrow = await browser.newContext({ ...PHONE, viewport: { width: 320, height: 640 } });
    const page = await narrow.newPage();
    await page.goto(`${url}/app/#/login`);
    await page.waitForSelector('#phone');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: join(out, 'login-320.png') });
    await narrow.close();
    if (width > 320) throw new Error(`page is ${width} px wide`);
  });

  await check('installable: manifest and service worker', async () => {
    const manifest = await (await fetch(`${url}/app/manifest.webmanifest`)).json();
    if (manifest.start_url !== '/app/' || !manifest.icons?.length) throw new Error(JSON.stringify(manifest));
    const registered = await daughter.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration('/app/');
      return Boolean(registration);
    });
    if (!registered) throw new Error('no service worker registered');
  });
} finally {
  await browser.close();
}
