import { useEffect, useState } from 'preact/hooks';
import {
  MeDocument,
  MyVolunteerProfileDocument,
  MyVolunteerShiftsDocument,
  MyVolunteerUpdatesDocument,
  RegisterVolunteerDocument,
  SignUpForShiftDocument,
  VolunteerActivitiesDocument,
  VolunteerShiftFillDocument,
  WithdrawFromShiftDocument,
} from '@linli/client';
import { communityOf, linli, localDate, save, timeOf, whenLabel } from '../api.js';
import { t } from '../i18n.js';

const ACTIVE = new Set(['CONFIRMED', 'WAITLISTED', 'PENDING_CONSENT']);

/** The volunteer's page: my sign-ups (waitlist position live), the coming activities with
 * their fill levels (live), sign up or withdraw. Hours and certificates: #/hours. */
export function Volunteer() {
  const [profile, setProfile] = useState(undefined); // undefined: loading; null: not registered
  const [activities, setActivities] = useState(null);
  const [mine, setMine] = useState(null);
  const [asking, setAsking] = useState(null); // the sign-up whose withdrawal is being confirmed
  const [message, setMessage] = useState('');

  const loadMine = () => linli.request(MyVolunteerShiftsDocument).then((d) => setMine(d.myVolunteerShifts));
  const loadProfile = () => linli.request(MyVolunteerProfileDocument).then((d) => setProfile(d.myVolunteerProfile));

  useEffect(() => {
    loadProfile();
    loadMine();
    const stops = [];
    linli.request(MeDocument).then(async ({ me }) => {
      const communityId = communityOf(me);
      if (!communityId) return setActivities([]);
      const data = await linli.request(VolunteerActivitiesDocument, { communityId, from: localDate(0) });
      const coming = data.volunteerActivities.filter((a) => a.shifts.some((s) => !s.cancelled));
      setActivities(coming);
      // Each activity's seats live; a change may move my place on its waiting list too.
      for (const activity of coming) {
        stops.push(linli.subscribe(VolunteerShiftFillDocument, { activityId: activity.id }, {
          next: ({ volunteerShiftFill: change }) => {
            setActivities((list) => list && list.map((a) => ({ ...a, shifts: a.shifts.map((s) => (s.id === change.id ? { ...s, ...change } : s)) })));
            loadMine();
          },
          error: () => {},
        }));
      }
    });
    // My own news: promoted from the waiting list, a shift cancelled, hours approved.
    stops.push(linli.subscribe(MyVolunteerUpdatesDocument, {}, {
      next: ({ myVolunteerUpdates: update }) => {
        if (update.kind === 'PROMOTED') setMessage(t('promoted'));
        loadMine();
      },
      error: () => {},
    }));
    return () => stops.forEach((stop) => stop());
  }, []);

  async function register() {
    const data = await linli.request(RegisterVolunteerDocument, { input: {} });
    const [error] = data.registerVolunteer.errors;
    setMessage(error ? error.message : t('registered'));
    loadProfile();
  }

  async function signUp(shift) {
    setMessage('');
    const data = await linli.request(SignUpForShiftDocument, { input: { shiftId: shift.id } });
    const { signUp: row, errors } = data.signUpForShift;
    if (errors.length) setMessage(errors[0].message);
    else setMessage(row.status === 'WAITLISTED' ? t('waitlisted', row.waitlistPosition) : t('signedUp'));
    loadMine();
  }

  async function withdraw(row) {
    const data = await linli.request(WithdrawFromShiftDocument, { input: { signUpId: row.id } });
    const [error] = data.withdrawFromShift.errors;
    setAsking(null);
    setMessage(error ? error.message : t('withdrawn'));
    loadMine();
  }

  const active = (mine ?? []).filter((row) => ACTIVE.has(row.status));
  const signedUpFor = new Map(active.map((row) => [row.shift.id, row]));
  return (
    <>
      <section class="card">
        <h2>{t('volunteer')}</h2>
        <p role="status" class="message" data-testid="volunteer-message">{message}</p>
        {profile === null && (
          <div class="confirm">
            <p>{t('becomeHint')}</p>
            <button onClick={register}>{t('becomeVolunteer')}</button>
          </div>
        )}
        <a class="button secondary" href="#/hours">{t('myHours')}</a>
      </section>

      <section class="card" aria-labelledby="my-shifts">
        <h2 id="my-shifts">{t('myShifts')}</h2>
        <ul class="list">
          {mine === null && <li>{t('loading')}</li>}
          {mine !== null && active.length === 0 && <li>{t('none')}</li>}
          {active.map((row) => (
            <li class="appointment" data-signup={row.id} data-status={row.status} data-position={row.waitlistPosition ?? ''}>
              <p class="big">{row.shift.activity.title} · {row.shift.title}</p>
              <p>{whenLabel(row.shift.start)}–{timeOf(row.shift.end)} · {row.shift.place}</p>
              <p><strong data-testid="signup-status">{row.status === 'WAITLISTED' ? t('waitlistPosition', row.waitlistPosition) : t('signUpStatus')[row.status]}</strong></p>
              <div class="actions">
                <button class="secondary" onClick={() => save(row.shift.icsUrl, 'shift.ics').catch((e) => setMessage(e.message))}>{t('addToCalendar')}</button>
                <button class="danger" onClick={() => setAsking(row)}>{t('withdraw')}</button>
              </div>
              {asking?.id === row.id && (
                <div class="confirm" role="alertdialog" aria-labelledby={`withdraw-${row.id}`}>
                  <p id={`withdraw-${row.id}`} class="big">{t('confirmWithdraw')}</p>
                  <div class="actions">
                    <button class="danger" onClick={() => withdraw(row)}>{t('withdraw')}</button>
                    <button class="secondary" onClick={() => setAsking(null)}>{t('keep')}</button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="coming">
        <h2 id="coming">{t('comingActivities')}</h2>
        <p class="hint">{t('live')}</p>
        <ul class="list">
          {activities === null && <li>{t('loading')}</li>}
          {activities?.length === 0 && <li>{t('none')}</li>}
          {activities?.map((activity) => (
            <li class="appointment">
              <h3 class="big">{activity.title}</h3>
              {activity.description && <p class="hint">{activity.description}</p>}
              <ul class="list">
                {activity.shifts.filter((s) => !s.cancelled).map((shift) => {
                  const label = `fill-${shift.id}`;
                  const row = signedUpFor.get(shift.id);
                  return (
                    <li class="shift" data-shift={shift.id} data-confirmed={shift.confirmed} data-waitlisted={shift.waitlisted}>
                      <p><strong>{shift.title}</strong> · {whenLabel(shift.start)}–{timeOf(shift.end)}</p>
                      <p>{shift.place}</p>
                      <p id={label}>{t('filled', shift.confirmed, shift.capacity)}{shift.waitlisted > 0 ? ` · ${t('waiting', shift.waitlisted)}` : ''}</p>
                      <progress max={shift.capacity} value={shift.confirmed} aria-labelledby={label} />
                      {row
                        ? <p class="seats">{row.status === 'WAITLISTED' ? t('waitlistPosition', row.waitlistPosition) : t('signUpStatus')[row.status]}</p>
                        : <button disabled={profile === null} onClick={() => signUp(shift)}>{shift.remaining > 0 ? t('signUp') : t('signUpWaitlist')}</button>}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
