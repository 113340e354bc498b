import { useEffect, useState } from 'preact/hooks';
import { CancelAppointmentDocument, MyAppointmentsDocument, MyAppointmentUpdatesDocument } from '@linli/client';
import { dayLabel, isLateCancellation, linli, save, timeOf, whenLabel } from '../api.js';
import { t } from '../i18n.js';

const ACTIVE = new Set(['BOOKED', 'PENDING', 'PROPOSED', 'WAITLIST']);

export function Appointments() {
  const [list, setList] = useState(null);
  const [asking, setAsking] = useState(null); // the appointment whose cancellation is being confirmed
  const [message, setMessage] = useState('');

  const load = () => linli.request(MyAppointmentsDocument, { first: 50 }).then((data) => setList(data.myAppointments.edges.map((e) => e.node)));
  useEffect(() => {
    load();
    // Mine and those I act for, live (staff check-in, a cancellation elsewhere).
    const stop = linli.subscribe(MyAppointmentUpdatesDocument, {}, {
      next: ({ myAppointmentUpdates: change }) => setList((l) => l && l.map((a) => (a.id === change.id ? { ...a, ...change } : a))),
      error: () => {},
    });
    return stop;
  }, []);

  async function cancel(appointment) {
    const data = await linli.request(CancelAppointmentDocument, { input: { appointmentId: appointment.id } });
    const payload = data.cancelAppointment;
    setAsking(null);
    setMessage(payload.errors.length ? payload.errors[0].message : t('cancelled'));
    load();
  }

  return (
    <section class="card">
      <h2>{t('myAppointments')}</h2>
      <p role="status" class="message">{message}</p>
      <ul class="list">
        {list === null && <li>{t('loading')}</li>}
        {list?.length === 0 && <li>{t('none')}</li>}
        {list?.map((a) => (
          <li class="appointment" data-appointment={a.id} data-start={a.slot.start} data-free-until={a.cancelFreeUntil} data-slot={a.slot.id}>
            <p class="big">{a.slot.serviceType.name}</p>
            <p>{dayLabel(a.localDate)} {timeOf(a.slot.start)} · {a.slot.serviceType.site.name}</p>
            <p>{t('forPerson', a.personName)} · <strong>{t('status')[a.status] ?? a.status}</strong></p>
            {ACTIVE.has(a.status) && !isLateCancellation(a) && <p class="hint">{t('freeUntil', whenLabel(a.cancelFreeUntil))}</p>}
            {ACTIVE.has(a.status) && (
              <div class="actions">
                <button class="secondary" onClick={() => save(a.icsUrl, 'appointment.ics').catch((e) => setMessage(e.message))}>{t('addToCalendar')}</button>
                <button class="danger" onClick={() => setAsking(a)}>{t('cancel')}</button>
              </div>
            )}
            {asking?.id === a.id && (
              <div class="confirm" role="alertdialog" aria-labelledby={`ask-${a.id}`} aria-describedby={isLateCancellation(a) ? `warn-${a.id}` : undefined}>
                <p id={`ask-${a.id}`} class="big">{t('confirmCancel')}</p>
                {isLateCancellation(a) && <p id={`warn-${a.id}`} class="warning" data-testid="late-warning">{t('lateWarningAt', whenLabel(a.cancelFreeUntil))}</p>}
                <div class="actions">
                  <button class="danger" onClick={() => cancel(a)}>{t('cancel')}</button>
                  <button class="secondary" onClick={() => setAsking(null)}>{t('keep')}</button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
