import { useEffect, useState } from 'preact/hooks';
import { BookAppointmentDocument, MeDocument, SitesDocument, SlotAvailabilityDocument, SlotsDocument } from '@linli/client';
import { dayLabel, linli, localDate, timeOf } from '../api.js';
import { t } from '../i18n.js';

export function Book() {
  const [me, setMe] = useState(null);
  const [services, setServices] = useState([]);
  const [person, setPerson] = useState('');
  const [service, setService] = useState('');
  const [date, setDate] = useState(localDate(1));
  const [slots, setSlots] = useState(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    linli.request(MeDocument).then((data) => setMe(data.me));
    linli.request(SitesDocument).then((data) => {
      const all = data.sites.flatMap((site) => site.serviceTypes.map((s) => ({ ...s, siteName: site.name })));
      setServices(all);
      setService((current) => current || all[0]?.id || '');
    });
  }, []);

  // The day's slots, then their seats live: each event replaces that slot's numbers.
  useEffect(() => {
    if (!service) return undefined;
    let alive = true;
    setSlots(null);
    linli.request(SlotsDocument, { serviceTypeId: service, date }).then((data) => alive && setSlots(data.slots));
    const stop = linli.subscribe(SlotAvailabilityDocument, { serviceTypeId: service, date }, {
      next: ({ slotAvailability: change }) =>
        setSlots((list) => list && list.map((s) => (s.id === change.id ? { ...s, ...change } : s))),
      error: () => {},
    });
    return () => { alive = false; stop(); };
  }, [service, date]);

  async function book(slot) {
    setMessage('');
    const data = await linli.request(BookAppointmentDocument, { input: { slotId: slot.id, personId: person || null } });
    const payload = data.bookAppointment;
    setMessage(payload.errors.length ? payload.errors[0].message : `${t('booked')}：${payload.appointment.personName} · ${dayLabel(payload.appointment.localDate)} ${timeOf(payload.appointment.slot.start)}`);
  }

  const people = me ? me.proxies.filter((p) => p.status === 'VERIFIED') : [];
  const days = Array.from({ length: 7 }, (_, i) => localDate(i + 1));
  return (
    <section class="card">
      <h2>{t('book')}</h2>
      <label for="person">{t('whoFor')}</label>
      <select id="person" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
        <option value="">{t('myself')}{me?.person ? `（${me.person.realName}）` : ''}</option>
        {people.map((p) => <option value={p.person.id}>{p.person.realName}（{p.relationLabel}）</option>)}
      </select>
      <label for="service">{t('service')}</label>
      <select id="service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
        {services.map((s) => <option value={s.id}>{s.name} · {s.siteName}</option>)}
      </select>
      <fieldset>
        <legend>{t('day')}</legend>
        <div class="chips">
          {days.map((d) => (
            <button type="button" class={d === date ? 'chip on' : 'chip'} aria-pressed={d === date} onClick={() => setDate(d)}>{dayLabel(d)}</button>
          ))}
        </div>
      </fieldset>
      <p class="hint">{t('live')}</p>
      <p role="status" class="message" data-testid="book-message">{message}</p>
      <ul class="list" aria-label={t('time')}>
        {slots === null && <li>{t('loading')}</li>}
        {slots?.length === 0 && <li>{t('none')}</li>}
        {slots?.map((slot) => (
          <li class="row" data-slot={slot.id}>
            <span class="big">{timeOf(slot.start)}</span>
            <span class="seats" data-testid="remaining" data-remaining={slot.remaining}>{t('seatsLeft', slot.remaining)}</span>
            <button disabled={slot.remaining <= 0} onClick={() => book(slot)}>{t('bookThis')}</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
