// The SDK's operations for the web app's volunteer, groups, elections and notices pages, and
// `download` (a certificate PDF, an .ics), against a real `linli serve` with the demo data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';

import {
  AddVolunteerShiftDocument,
  CastBallotDocument,
  CreateVolunteerActivityDocument,
  ElectionForVoterDocument,
  ElectionsDocument,
  GroupsDocument,
  LinliError,
  MeDocument,
  MyAppointmentsDocument,
  MyVolunteerHoursDocument,
  MyVolunteerShiftsDocument,
  MyVolunteerUpdatesDocument,
  NoticePostedDocument,
  NoticesDocument,
  PostNoticeDocument,
  PublishVolunteerActivityDocument,
  RegisterVolunteerDocument,
  RequestToJoinGroupDocument,
  SignUpForShiftDocument,
  WithdrawFromShiftDocument,
  createLinliClient,
  memoryStorage,
} from '../dist/index.js';
import { expired, startServer } from './server.mjs';

const PASSWORD = 'linli-demo-2026';
const STAFF = '+8613900000002'; // 李娜, staff of 番禺路社区
const VOLUNTEER = '+8613900000012'; // 王小明: a registered volunteer with a certificate
const FATHER = '+8613900000011'; // 王建国, a resident of 番禺路社区
const VOTER = '+8613900000200'; // 马丽华, on the demo election's roll

async function as(server, phone, extra = {}) {
  const linli = createLinliClient({ url: server.graphql, storage: memoryStorage(), webSocketImpl: WebSocket, ...extra });
  const session = await linli.loginWithPassword(phone, PASSWORD);
  assert.deepEqual(session.errors, [], phone);
  return linli;
}

async function communityOf(linli) {
  return (await linli.request(MeDocument)).me.memberships[0].community.id;
}

function firstEvent(linli, document, variables, predicate) {
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

const settle = () => new Promise((r) => setTimeout(r, 500)); // a subscription is in place

describe('@linli/client: the modules the web app shows', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('download: the certificate PDF and an .ics with the bearer token, refreshed once', async () => {
    const storage = memoryStorage();
    const volunteer = await as(server, VOLUNTEER, { storage });
    const { myVolunteerCertificates } = await volunteer.request(MyVolunteerHoursDocument);
    assert.ok(myVolunteerCertificates.length >= 1, 'the demo issued 王小明 a certificate');
    // An expired access token: download refreshes once, as request does.
    const tokens = volunteer.tokens;
    storage.setItem('linli.tokens', JSON.stringify({ ...tokens, accessToken: expired(tokens.accessToken) }));
    const pdf = await volunteer.download(myVolunteerCertificates[0].pdfUrl);
    assert.equal(pdf.type, 'application/pdf');
    assert.equal(Buffer.from(await pdf.blob.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    assert.notEqual(volunteer.tokens.refreshToken, tokens.refreshToken, 'rotated');
    const { myAppointments } = await volunteer.request(MyAppointmentsDocument, { first: 5 });
    const ics = await volunteer.download(myAppointments.edges[0].node.icsUrl);
    assert.match(ics.type, /^text\/calendar/);
    assert.match(await ics.blob.text(), /BEGIN:VCALENDAR/);
    assert.match(ics.filename, /\.ics$/);
    // Someone else's certificate is not found (never revealed); without a login, a 401.
    const other = await as(server, FATHER);
    await assert.rejects(other.download(myVolunteerCertificates[0].pdfUrl), (e) => e instanceof LinliError && e.code === 'NOT_FOUND' && e.status === 404);
    const anonymous = createLinliClient({ url: server.graphql, storage: memoryStorage() });
    await assert.rejects(anonymous.download(myVolunteerCertificates[0].pdfUrl), (e) => e instanceof LinliError && e.code === 'UNAUTHENTICATED' && e.status === 401);
  });

  test('appointments carry cancelFreeUntil: 16:00 Shanghai the day before the visit', async () => {
    const daughter = await as(server, VOLUNTEER);
    const { myAppointments } = await daughter.request(MyAppointmentsDocument, { first: 20 });
    assert.ok(myAppointments.edges.length > 0);
    for (const { node } of myAppointments.edges) {
      const start = new Date(node.slot.start);
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(start);
      const [y, m, d] = day.split('-').map(Number);
      const expected = Math.min(Date.UTC(y, m - 1, d - 1, 8, 0), start.getTime());
      assert.equal(new Date(node.cancelFreeUntil).getTime(), expected, node.id);
    }
  });

  test('a full shift: the second volunteer waits, and is promoted live when the first withdraws', async (t) => {
    const staff = await as(server, STAFF);
    const communityId = await communityOf(staff);
    const made = await staff.request(CreateVolunteerActivityDocument, { input: { communityId, title: 'SDK 测试活动' } });
    assert.deepEqual(made.createVolunteerActivity.errors, []);
    const activityId = made.createVolunteerActivity.activity.id;
    const start = new Date(Date.now() + 3 * 86_400_000);
    const shift = await staff.request(AddVolunteerShiftDocument, {
      input: { activityId, start: start.toISOString(), end: new Date(start.getTime() + 7_200_000).toISOString(), capacity: 1, place: '社区广场' },
    });
    assert.deepEqual(shift.addVolunteerShift.errors, []);
    const shiftId = shift.addVolunteerShift.shift.id;
    assert.deepEqual((await staff.request(PublishVolunteerActivityDocument, { input: { activityId } })).publishVolunteerActivity.errors, []);

    const first = await as(server, VOLUNTEER);
    const mine = await first.request(SignUpForShiftDocument, { input: { shiftId } });
    assert.equal(mine.signUpForShift.signUp.status, 'CONFIRMED');

    const second = await as(server, FATHER);
    t.after(() => second.dispose());
    const registered = await second.request(RegisterVolunteerDocument, { input: { skills: ['陪伴'] } });
    assert.deepEqual(registered.registerVolunteer.errors, []);
    const waiting = await second.request(SignUpForShiftDocument, { input: { shiftId } });
    assert.deepEqual(waiting.signUpForShift.errors, []);
    assert.equal(waiting.signUpForShift.signUp.status, 'WAITLISTED');
    assert.equal(waiting.signUpForShift.signUp.waitlistPosition, 1);
    const again = await second.request(SignUpForShiftDocument, { input: { shiftId } });
    assert.equal(again.signUpForShift.errors[0].code, 'ALREADY_SIGNED_UP');

    const promoted = firstEvent(second, MyVolunteerUpdatesDocument, {}, (d) => d.myVolunteerUpdates.kind === 'PROMOTED');
    await settle();
    const left = await first.request(WithdrawFromShiftDocument, { input: { signUpId: mine.signUpForShift.signUp.id } });
    assert.equal(left.withdrawFromShift.signUp.status, 'WITHDRAWN');
    const event = await promoted;
    assert.equal(event.myVolunteerUpdates.signUpId, waiting.signUpForShift.signUp.id);
    const { myVolunteerShifts } = await second.request(MyVolunteerShiftsDocument);
    const now = myVolunteerShifts.find((s) => s.id === waiting.signUpForShift.signUp.id);
    assert.equal(now.status, 'CONFIRMED');
    assert.equal(now.waitlistPosition, null);
  });

  test('notices (the example plugin): posted by staff, seen live and listed', async (t) => {
    const staff = await as(server, STAFF);
    const resident = await as(server, FATHER);
    t.after(() => resident.dispose());
    const communityId = await communityOf(resident);
    const seen = firstEvent(resident, NoticePostedDocument, { communityId }, (d) => d.noticePosted.title === '停水通知');
    await settle();
    const posted = await staff.request(PostNoticeDocument, { input: { communityId, title: '停水通知', body: '周三 9:00-12:00 停水。' } });
    assert.deepEqual(posted.postNotice.errors, []);
    assert.equal((await seen).noticePosted.body, '周三 9:00-12:00 停水。');
    const { notices } = await resident.request(NoticesDocument, { communityId, first: 5 });
    assert.equal(notices.edges[0].node.title, '停水通知');
    const empty = await staff.request(PostNoticeDocument, { input: { communityId, title: '', body: 'x' } });
    assert.equal(empty.postNotice.errors[0].code, 'TITLE_REQUIRED');
  });

  test('groups: a resident asks to join a group of the directory', async () => {
    const resident = await as(server, FATHER);
    const communityId = await communityOf(resident);
    const { groups } = await resident.request(GroupsDocument, { communityId, first: 50 });
    const open = groups.edges.map((e) => e.node).find((g) => g.status === 'APPROVED');
    assert.ok(open, 'the demo has an approved group');
    const asked = await resident.request(RequestToJoinGroupDocument, { input: { groupId: open.id } });
    assert.deepEqual(asked.requestToJoinGroup.errors, []);
    assert.equal(asked.requestToJoinGroup.request.groupId, open.id);
    const twice = await resident.request(RequestToJoinGroupDocument, { input: { groupId: open.id } });
    assert.equal(twice.requestToJoinGroup.errors[0].code, 'ALREADY_REQUESTED');
  });

  test('elections: on the roll, the slate, turnout; a ballot before voting opens is refused as data', async () => {
    const voter = await as(server, VOTER);
    const communityId = await communityOf(voter);
    const { elections } = await voter.request(ElectionsDocument, { communityId, first: 10 });
    const election = elections.edges.map((e) => e.node).find((e) => e.slatePublishedOn && e.phase !== 'COUNTED' && !e.title.includes('已计票'));
    assert.ok(election, 'the demo election with a published slate');
    const view = await voter.request(ElectionForVoterDocument, { electionId: election.id });
    assert.equal(view.amIOnTheRoll.onRoll, true);
    assert.ok(view.slate.length >= 7, 'a competitive slate for 7 seats');
    assert.equal(view.electionTurnout.rollSize, election.rollSize);
    const outsider = await as(server, '+8613900000014'); // 赵丽, 法华镇路社区
    await assert.rejects(outsider.request(ElectionForVoterDocument, { electionId: election.id }), (e) => e instanceof LinliError);
    assert.equal(view.electionBallot, null, 'the demo votes in six days: no round open yet');
    const early = await voter.request(CastBallotDocument, { input: { electionId: election.id, marks: [] } });
    assert.equal(early.castBallot.receipt, null);
    assert.equal(early.castBallot.errors[0].code, 'NO_OPEN_ROUND');
    assert.ok(early.castBallot.errors[0].message.length > 0);
  });
});
