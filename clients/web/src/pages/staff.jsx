import { useEffect, useState } from 'preact/hooks';
import { AppointmentsForDayDocument, CheckInDocument, MarkArrivedDocument, MarkNoShowDocument, SitesDocument } from '@linli/client';
import { linli, localDate, timeOf } from '../api.js';
import { t } from '../i18n.js';

const ACTIONS = [
  ['arrived', MarkArrivedDocument, 'markArrived'],
  ['checkIn', CheckInDocument, 'checkIn'],
  ['noShow', MarkNoShowDocument, 'markNoShow'],
];

export function Staff() {
  const [sites, setSites] = useState([]);
  const [site, setSite] = useState('');
  const [list, setList] = useState(null);
  const [message, setMessage] = useState('');
  const today = localDate(0);

  useEffect(() => {
    linli.request(SitesDocument).then((data) => { setSites(data.sites); setSite(data.sites[0]?.id ?? ''); });
  }, []);
  const load = () => site && linli.request(AppointmentsForDayDocument, { siteId: site, date: today, first: 100 })
    .then((data) => setList(data.appointmentsForDay.edges.map((e) => e.node)))
    .catch((error) => { setList([]); setMessage(error.message); });
  useEffect(() => { load(); }, [site]);

  async function act(appointment, document, field) {
    const data = await linli.request(document, { input: { appointmentId: appointment.id } });
    const errors = data[field].errors;
    setMessage(errors.length ? errors[0].message : '');
    load();
  }

  return (
    <section class="card">
      <h2>{t('staff')} · {t('today')}</h2>
      <label for="site">{t('site')}</label>
      <select id="site" value={site} onChange={(e) => setSite(e.currentTarget.value)}>
        {sites.map((s) => <option value={s.id}>{s.name}</option>)}
      </select>
      <p role="status" class="message">{message}</p>
      <ul class="list">
        {list === null && <li>{t('loading')}</li>}
        {list?.length === 0 && <li>{t('none')}</li>}
        {list?.map((a) => (
          <li class="appointment">
            <p class="big">{timeOf(a.slot.start)} · {a.personName}</p>
            <p>{a.slot.serviceType.name} · <strong>{t('status')[a.status] ?? a.status}</strong></p>
            <div class="actions">
              {ACTIONS.map(([label, document, field]) => <button class="secondary" onClick={() => act(a, document, field)}>{t(label)}</button>)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
