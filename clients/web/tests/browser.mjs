// The web app in Debian's chromium (playwright-core, the system browser: no download) at a
// phone's viewport, against a live `linli serve` with demo data serving the built app.
// Usage: node tests/browser.mjs <server url> <output folder>. Prints one JSON line per
// check ({name, ok, detail}); tests/e2e/test_browser.py starts the server and reads them.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createLinliClient, memoryStorage, CreateVolunteerActivityDocument, AddVolunteerShiftDocument,
  PublishVolunteerActivityDocument, SignUpForShiftDocument, WithdrawFromShiftDocument, MeDocument,
  PostNoticeDocument, ElectionForVoterDocument, CastBallotDocument, ClosePollsDocument,
  CountVotesDocument } from '@linli/client';

const [url, out] = process.argv.slice(2);
const CHROMIUM = process.env.LINLI_CHROMIUM || '/usr/bin/chromium';
const DAUGHTER = '+8613900000012';
const FATHER = '王建国';
const PASSWORD = 'linli-demo-2026';
const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const STAFF = '+8613900000002'; // 李娜, staff of 番禺路社区
const VOTER = '+8613900000200'; // 马丽华, on the demo election's roll
const PROTECTED = ['book', 'appointments', 'volunteer', 'hours', 'notices', 'groups', 'elections', 'staff'];
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

/** Another person acting through the API (the SDK), as their own phone would. */
async function api(phone) {
  const linli = createLinliClient({ url: `${url}/graphql`, storage: memoryStorage() });
  const session = await linli.loginWithPassword(phone, PASSWORD);
  if (session.errors.length) throw new Error(`${phone}: ${session.errors[0].message}`);
  return linli;
}

async function ok(payload) {
  if (payload.errors.length) throw new Error(JSON.stringify(payload.errors));
  return payload;
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
    // The cutoff is the server's (cancelFreeUntil, the community's rule): the same instant
    // the API starts calling a cancellation late, 16:00 Shanghai the day before by default.
    const start = new Date(await item.getAttribute('data-start'));
    const freeUntil = new Date(await item.getAttribute('data-free-until'));
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(start);
    const [y, m, d] = local.split('-').map(Number);
    if (freeUntil.getTime() !== Date.UTC(y, m - 1, d - 1, 8, 0)) throw new Error(`cancelFreeUntil ${freeUntil.toISOString()}`);
    // A minute before it: no warning.
    await daughter.clock.setFixedTime(new Date(freeUntil.getTime() - 60_000));
    await item.locator('button.danger').click();
    await item.locator('.confirm').waitFor();
    if (await item.locator('[data-testid=late-warning]').count()) throw new Error('a warning before the cutoff');
    await item.locator('.confirm button.secondary').click();
    // At it: the warning, naming the cutoff, before confirming.
    await daughter.clock.setFixedTime(freeUntil);
    await item.locator('button.danger').click();
    await item.locator('[data-testid=late-warning]', { hasText: '16:00' }).waitFor();
    await audit(daughter, 'cancel-warning');
    // Back to the real time (a fixed clock past the token's expiry would make every
    // websocket connection refresh the session).
    await daughter.clock.setSystemTime(new Date());
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

  await check('every protected page: an unauthenticated visit leads to login and back', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const done = [];
    for (const name of PROTECTED) {
      await page.goto(`${url}/app/#/${name}`);
      await page.waitForURL(new RegExp(`#/login\\?next=${name}$`));
      await page.waitForSelector('#phone');
      await login(page, name === 'staff' ? STAFF : DAUGHTER);
      await page.waitForURL(new RegExp(`#/${name}$`));
      await page.waitForSelector('main .card');
      await page.evaluate(() => localStorage.clear()); // logged out again, for the next page
      await page.goto('about:blank');
      done.push(name);
    }
    await context.close();
    return done.join(', ');
  });

  // 王建国 registers as a volunteer in the app and signs up for a shift that 王小明 (through
  // the API, on his own phone) has already filled: he is waitlisted, and moves up live when
  // 王小明 withdraws.
  await check('volunteer: waitlisted on a full shift, promoted live when another withdraws', async () => {
    const staff = await api(STAFF);
    const { me } = await staff.request(MeDocument);
    const communityId = me.memberships[0].community.id;
    const activity = (await ok((await staff.request(CreateVolunteerActivityDocument, {
      input: { communityId, title: '楼道清洁', description: '一起把楼道打扫干净。' },
    })).createVolunteerActivity)).activity;
    const start = new Date(Date.now() + 2 * 86_400_000);
    const shift = (await ok((await staff.request(AddVolunteerShiftDocument, {
      input: { activityId: activity.id, title: '上午清洁', place: '3号楼', capacity: 1,
        start: start.toISOString(), end: new Date(start.getTime() + 7_200_000).toISOString() },
    })).addVolunteerShift)).shift;
    await ok((await staff.request(PublishVolunteerActivityDocument, { input: { activityId: activity.id } })).publishVolunteerActivity);
    const other = await api(DAUGHTER);
    const theirs = (await ok((await other.request(SignUpForShiftDocument, { input: { shiftId: shift.id } })).signUpForShift)).signUp;
    if (theirs.status !== 'CONFIRMED') throw new Error(`the first sign-up is ${theirs.status}`);

    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${url}/app/#/volunteer`);
    await page.waitForURL(/#\/login\?next=volunteer/);
    await login(page, '+8613900000011');
    await page.waitForURL(/#\/volunteer$/);
    await page.getByRole('button', { name: '成为志愿者' }).click();
    await page.locator('[data-testid=volunteer-message]', { hasText: '已登记为志愿者' }).waitFor();
    const row = page.locator(`[data-shift="${shift.id}"]`);
    await row.locator('button', { hasText: '已满，报名候补' }).click();
    await page.locator('[data-testid=volunteer-message]', { hasText: '候补第 1 位' }).waitFor();
    const mine = page.locator('[data-signup][data-status]').filter({ hasText: '上午清洁' });
    await mine.and(page.locator('[data-status=WAITLISTED][data-position="1"]')).waitFor();
    await row.and(page.locator('[data-waitlisted="1"]')).waitFor();
    await audit(page, 'volunteer');
    await page.waitForTimeout(800); // its subscriptions are in place
    await ok((await other.request(WithdrawFromShiftDocument, { input: { signUpId: theirs.id } })).withdrawFromShift);
    // No reload: the subscription moves him up.
    await mine.and(page.locator('[data-status=CONFIRMED]')).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=volunteer-message]', { hasText: '已从候补转为正式报名' }).waitFor();
    await row.and(page.locator('[data-confirmed="1"][data-waitlisted="0"]')).waitFor();
    await audit(page, 'volunteer-promoted');
    await context.close();
    return 'waitlisted at 1, promoted live';
  });

  await check('volunteer: my hours, star level and the certificate PDF', async () => {
    await daughter.goto(`${url}/app/#/hours`);
    await daughter.locator('[data-testid=approved-hours]').waitFor();
    const hours = await daughter.locator('[data-testid=approved-hours]').textContent();
    if (!hours.includes('3')) throw new Error(`hours: ${hours}`); // the demo's approved 3 h
    await daughter.locator('[data-certificate]').first().waitFor();
    await audit(daughter, 'hours');
    const [download] = await Promise.all([
      daughter.waitForEvent('download'),
      daughter.locator('[data-certificate] button').first().click(),
    ]);
    const name = download.suggestedFilename();
    const path = join(out, name);
    await download.saveAs(path);
    const head = (await readFile(path)).subarray(0, 5).toString();
    if (!name.endsWith('.pdf') || head !== '%PDF-') throw new Error(`${name}: ${head}`);
    return `${hours}; ${name}`;
  });

  await check('English: the language switch, kept, and the page in English', async () => {
    await daughter.goto(`${url}/app/#/volunteer`);
    await daughter.getByRole('button', { name: 'English' }).click();
    await daughter.getByRole('heading', { name: 'Coming activities' }).waitFor();
    if ((await daughter.getAttribute('html', 'lang')) !== 'en') throw new Error('html lang is not en');
    await daughter.reload(); // the choice is kept
    await daughter.getByRole('heading', { name: 'My sign-ups' }).waitFor();
    await audit(daughter, 'volunteer-en');
    await daughter.getByRole('button', { name: '中文' }).click();
    await daughter.getByRole('heading', { name: '近期活动' }).waitFor();
  });

  await check('groups: the directory, and asking to join', async () => {
    await daughter.goto(`${url}/app/#/groups`);
    const join = daughter.getByRole('button', { name: '申请加入' }).first();
    await join.waitFor();
    await join.click();
    await daughter.locator('[data-testid=groups-message]', { hasText: '已提交申请' }).waitFor();
    await daughter.getByRole('button', { name: '已申请' }).first().waitFor();
    await audit(daughter, 'groups-join');
  });

  await check('notices: the community\u2019s notices, a new one live', async () => {
    await daughter.goto(`${url}/app/#/notices`);
    await daughter.waitForSelector('main .card .list li');
    await daughter.waitForTimeout(800); // its subscription is in place
    const staff = await api(STAFF);
    const { me } = await staff.request(MeDocument);
    await ok((await staff.request(PostNoticeDocument, {
      input: { communityId: me.memberships[0].community.id, title: '电梯检修通知', body: '3号楼电梯周四上午检修，请走楼梯。' },
    })).postNotice);
    await daughter.locator('[data-notice]', { hasText: '电梯检修通知' }).waitFor({ timeout: 15_000 });
    await audit(daughter, 'notices');
  });

  // 马丽华 is on the roll of 番禺路社区's election, on its election day (the test moved it): she
  // marks her ballot, casts it and gets its receipt code; another voter casts through the API
  // and her page's turnout rises without a reload.
  await check('elections: on the roll, the ballot, its receipt code, live turnout', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${url}/app/#/login?next=elections`);
    await login(page, VOTER);
    await page.waitForURL(/#\/elections$/);
    const election = page.locator('[data-election]', { hasText: '第十二届居民委员会换届选举' });
    await election.locator('[data-testid=on-roll][data-on-roll=true]').waitFor();
    const turnout = election.locator('[data-testid=turnout]');
    await turnout.waitFor();
    const before = Number(await turnout.getAttribute('data-voted'));
    await election.locator('fieldset.ballot-post').first().waitFor();
    await audit(page, 'elections');
    // One FOR per post: the first candidate of each.
    for (const post of await election.locator('fieldset.ballot-post').all()) {
      await post.locator('label.choice').first().click();
    }
    await election.getByRole('button', { name: '投出选票' }).click();
    const code = election.locator('[data-testid=receipt] .receipt-code');
    await code.waitFor();
    const receipt = await code.getAttribute('data-code');
    if (!/^[0-9A-Z-]{10,}$/.test(receipt)) throw new Error(`receipt code: ${receipt}`);
    await turnout.and(page.locator(`[data-voted="${before + 1}"]`)).waitFor({ timeout: 15_000 });
    await audit(page, 'ballot-receipt');
    await page.waitForTimeout(500);
    const other = await api('+8613900000201');
    const electionId = await election.getAttribute('data-election');
    const { electionBallot } = await other.request(ElectionForVoterDocument, { electionId });
    const cast = await other.request(CastBallotDocument, {
      input: { electionId, marks: [{ candidateId: electionBallot.candidates[0].id, choice: 'FOR' }] },
    });
    await ok(cast.castBallot);
    await turnout.and(page.locator(`[data-voted="${before + 2}"]`)).waitFor({ timeout: 15_000 });
    // The code is shown once and kept nowhere (docs/plugins/elections-threat-model.md): after
    // a reload the page says she has voted (the ballot's youVoted) and shows no ballot; a
    // second cast, sent through the API as another app of hers would, is refused as data.
    await page.reload();
    await election.locator('[data-testid=voted]').waitFor();
    if (await election.locator('fieldset.ballot-post').count()) throw new Error('a ballot after voting');
    if (await election.locator('[data-testid=receipt]').count()) throw new Error('a second receipt');
    await audit(page, 'ballot-voted');
    const herself = await api(VOTER);
    const again = await herself.request(CastBallotDocument, {
      input: { electionId, marks: [{ candidateId: electionBallot.candidates[0].id, choice: 'FOR' }] },
    });
    const refused = again.castBallot.errors.map((e) => e.code).join();
    if (refused !== 'ALREADY_VOTED') throw new Error(`second cast: ${refused || 'accepted'}`);
    // Staff close the polls and count (through the API); she checks the code she kept, typed
    // as she wrote it down (in groups of four), and a code nobody holds is not found.
    const staff = await api(STAFF);
    await ok((await staff.request(ClosePollsDocument, { input: { electionId } })).closePolls);
    await ok((await staff.request(CountVotesDocument, { input: { electionId } })).countVotes);
    await page.reload();
    const form = election.locator('[data-testid=check-receipt]');
    await form.waitFor();
    await form.locator('input').fill('ZZZZ ZZZZ ZZZZ ZZZZ');
    await form.getByRole('button', { name: '查询' }).click();
    await form.locator('[data-testid=receipt-answer]', { hasText: '没有找到' }).waitFor();
    await form.locator('input').fill(receipt.match(/.{1,4}/g).join(' ').toLowerCase());
    await form.getByRole('button', { name: '查询' }).click();
    await form.locator('[data-testid=receipt-answer]', { hasText: '您的选票已计入' }).waitFor();
    await audit(page, 'receipt-check');
    await context.close();
    return `receipt ${receipt.slice(0, 4)}…; turnout ${before} → ${before + 2}; again: ${refused}; counted, the code found`;
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

  await check('320 px wide: no page is wider than the screen', async () => {
    const narrow = await browser.newContext({ ...PHONE, viewport: { width: 320, height: 640 } });
    const page = await narrow.newPage();
    await page.goto(`${url}/app/#/login?next=book`);
    await login(page, DAUGHTER);
    await page.waitForURL(/#\/book$/);
    const wide = [];
    for (const language of ['zh-CN', 'en']) {
      await page.evaluate((l) => localStorage.setItem('linli.locale', l), language);
      for (const name of PROTECTED.filter((p) => p !== 'staff')) {
        await page.goto('about:blank');
        await page.goto(`${url}/app/#/${name}`);
        await page.waitForSelector('main .card');
        await page.waitForTimeout(300);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        await page.screenshot({ path: join(out, `${name}-320${language === 'en' ? '-en' : ''}.png`) });
        if (width > 320) wide.push(`${name} (${language}): ${width} px`);
      }
    }
    await narrow.close();
    if (wide.length) throw new Error(wide.join(', '));
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
