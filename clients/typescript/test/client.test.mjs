// @linli/client against a real `linli serve` with the demo data (started here): login by
// password and by code, booking for a parent, a live slot update, a refresh after the access
// token expired, a payload error's code, logout, and trusted documents (the SDK's manifest).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';

import {
  BookAppointmentDocument,
  MeDocument,
  MyAppointmentUpdatesDocument,
  MyAppointmentsDocument,
  SitesDocument,
  SlotAvailabilityDocument,
  SlotsDocument,
  createLinliClient,
  memoryStorage,
  LinliError,
  payloadErrors,
} from '../dist/index.js';
import { expired, startServer } from './server.mjs';

const DAUGHTER = '+8613900000012'; // 王小明, acts for her father 王建国 (demo data)
const FATHER_NAME = '王建国';
const PASSWORD = 'linli-demo-2026';

function client(server, extra = {}) {
  return createLinliClient({ url: server.graphql, storage: memoryStorage(), webSocketImpl: WebSocket, ...extra });
}

function localDate(offset) {
  const day = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(day);
}

/** The yearly elderly check and a day with a slot that has seats left. */
async function elderlyCheckSlot(linli, personName) {
  // Days the person already has a booking on (the demo booked a few): B-rules refuse them.
  const { myAppointments } = await linli.request(MyAppointmentsDocument, { first: 100 });
  const busy = new Set(
    myAppointments.edges
      .filter((e) => e.node.personName === personName && e.node.status !== 'CANCELLED')
      .map((e) => e.node.localDate),
  );
  const { sites } = await linli.request(SitesDocument);
  const service = sites.flatMap((s) => s.serviceTypes).find((t) => t.name.includes('老年人年度体检'));
  assert.ok(service, 'the demo has the yearly elderly check');
  for (let offset = 1; offset <= 14; offset++) {
    const date = localDate(offset);
    if (busy.has(date)) continue;
    const { slots } = await linli.request(SlotsDocument, { serviceTypeId: service.id, date });
    const slot = slots.find((s) => s.remaining > 1);
    if (slot) return { service, date, slot };
  }
  throw new Error('no slot with seats in the next two weeks');
}

function nextEvent(linli, document, variables, predicate) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event within 15 s')), 15_000);
    const stop = linli.subscribe(document, variables, {
      next: (data) => {
        if (predicate(data)) {
          clearTimeout(timer);
          stop();
          resolve(data);
        }
      },
      error: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
  });
}

describe('@linli/client against linli serve', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('login by password: the session is kept, me answers', async () => {
    const linli = client(server);
    const wrong = await linli.loginWithPassword(DAUGHTER, 'not-the-password');
    assert.equal(wrong.errors[0].code, 'INVALID_CREDENTIALS');
    assert.equal(linli.loggedIn, false);
    const session = await linli.loginWithPassword(DAUGHTER, PASSWORD);
    assert.deepEqual(session.errors, []);
    assert.equal(linli.loggedIn, true);
    const { me } = await linli.request(MeDocument);
    assert.equal(me.account.phone, DAUGHTER);
    assert.ok(me.proxies.some((p) => p.person.realName === FATHER_NAME));
  });

  test('login by one-time code', async () => {
    const linli = client(server);
    const asked = await linli.requestLoginCode('+8613900000013');
    assert.equal(asked.ok, true);
    let code;
    for (let i = 0; i < 50 && !code; i++) {
      code = server.lastCode();
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(code, 'the console sender printed a code');
    const session = await linli.loginWithCode('+8613900000013', code);
    assert.deepEqual(session.errors, []);
    assert.equal((await linli.request(MeDocument)).me.account.phone, '+8613900000013');
  });

  test('book for a parent while a watcher sees the seats drop live; a payload error has its code', async (t) => {
    const daughter = client(server);
    await daughter.loginWithPassword(DAUGHTER, PASSWORD);
    const { service, date, slot } = await elderlyCheckSlot(daughter, FATHER_NAME);
    const { me } = await daughter.request(MeDocument);
    const father = me.proxies.find((p) => p.person.realName === FATHER_NAME).person;

    const watcher = client(server);
    t.after(() => watcher.dispose());
    await watcher.loginWithPassword(DAUGHTER, PASSWORD); // her other phone, say
    const seen = nextEvent(
      watcher,
      SlotAvailabilityDocument,
      { serviceTypeId: service.id, date },
      (data) => data.slotAvailability.id === slot.id && data.slotAvailability.remaining === slot.remaining - 1,
    );
    await new Promise((r) => setTimeout(r, 500)); // the subscription is in place
    const booked = await daughter.request(BookAppointmentDocument, { input: { slotId: slot.id, personId: father.id } });
    assert.deepEqual(payloadErrors(booked.bookAppointment), []);
    assert.equal(booked.bookAppointment.appointment.personName, FATHER_NAME);
    assert.match(booked.bookAppointment.appointment.icsUrl, /ics/);
    const event = await seen;
    assert.equal(event.slotAvailability.remaining, slot.remaining - 1);
    watcher.dispose();

    // The same person again: an expected failure, as data with its BookingErrorCode.
    const again = await daughter.request(BookAppointmentDocument, { input: { slotId: slot.id, personId: father.id } });
    const [error] = payloadErrors(again.bookAppointment);
    assert.ok(error, 'a second booking is refused');
    assert.match(error.code, /^[A-Z_]+$/);
    assert.notEqual(error.code, 'INTERNAL');
    assert.ok(error.message.length > 0);
    const { myAppointments } = await daughter.request(MyAppointmentsDocument, { first: 20 });
    assert.ok(myAppointments.edges.some((e) => e.node.personName === FATHER_NAME));
  });

  test('an expired access token is refreshed once, the refresh token rotated', async () => {
    const storage = memoryStorage();
    const sessions = [];
    const linli = client(server, { storage, onSession: (t) => sessions.push(t) });
    await linli.loginWithPassword(DAUGHTER, PASSWORD);
    const first = linli.tokens;
    storage.setItem('linli.tokens', JSON.stringify({ ...first, accessToken: expired(first.accessToken) }));
    const { me } = await linli.request(MeDocument);
    assert.equal(me.account.phone, DAUGHTER);
    const now = linli.tokens;
    assert.notEqual(now.refreshToken, first.refreshToken, 'rotated');
    assert.notEqual(now.accessToken, first.accessToken);
    assert.equal(sessions.length, 2); // login, refresh
    // A spent refresh token is not accepted again: the old one no longer works.
    storage.setItem('linli.tokens', JSON.stringify({ accessToken: expired(first.accessToken), refreshToken: first.refreshToken }));
    await assert.rejects(linli.request(MeDocument), (error) => error instanceof LinliError && error.code === 'UNAUTHENTICATED');
    assert.equal(linli.loggedIn, false, 'the session ended here too');
  });

  test('a subscription needing login on an anonymous socket is an error with its code', async () => {
    const anonymous = client(server);
    const failure = await new Promise((resolve) => {
      anonymous.subscribe(
        MyAppointmentUpdatesDocument,
        {},
        { next: () => resolve(new Error('an event')), error: resolve },
      );
    });
    anonymous.dispose();
    assert.ok(failure instanceof LinliError, String(failure));
    assert.equal(failure.code, 'UNAUTHENTICATED');
  });

  test('logout ends the session on the server', async () => {
    const linli = client(server);
    await linli.loginWithPassword(DAUGHTER, PASSWORD);
    const token = linli.tokens.accessToken;
    await linli.logout();
    assert.equal(linli.loggedIn, false);
    const raw = await fetch(server.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { account { id } } }' }),
    });
    assert.equal((await raw.json()).errors[0].extensions.code, 'UNAUTHENTICATED');
  });
});

describe('trusted documents: the SDK manifest is what the server accepts', () => {
  let server;
  before(async () => {
    const manifest = new URL('../src/gql/persisted-documents.json', import.meta.url).pathname;
    server = await startServer({ LINLI_PERSISTED_MANIFEST: manifest, LINLI_TRUSTED_DOCUMENTS: '1' });
  });
  after(async () => {
    await server?.stop();
  });

  test('the SDK works by hash; a document outside the manifest is refused', async () => {
    const linli = client(server);
    const session = await linli.loginWithPassword(DAUGHTER, PASSWORD);
    assert.deepEqual(session.errors, []);
    assert.equal((await linli.request(MeDocument)).me.account.phone, DAUGHTER);
    const raw = await fetch(server.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const body = await raw.json();
    assert.equal(body.errors[0].extensions.code, 'QUERY_NOT_IN_SAFELIST');
  });
});
