import { useEffect, useState } from 'preact/hooks';
import { IssueVolunteerCertificateDocument, MyVolunteerHoursDocument } from '@linli/client';
import { linli, localDate, save } from '../api.js';
import { t } from '../i18n.js';

/** My approved hours, star level, and certificates (the PDF saved with the session's token). */
export function Hours() {
  const [data, setData] = useState(null);
  const [message, setMessage] = useState('');
  const load = () => linli.request(MyVolunteerHoursDocument).then(setData).catch((e) => setMessage(e.message));
  useEffect(() => { load(); }, []);

  async function issue() {
    const today = localDate(0);
    const result = await linli.request(IssueVolunteerCertificateDocument, { input: { from: `${today.slice(0, 4)}-01-01`, to: today } });
    const [error] = result.issueVolunteerCertificate.errors;
    setMessage(error ? error.message : t('certificateNo', result.issueVolunteerCertificate.certificate.number));
    load();
  }

  const hours = data?.myVolunteerHours;
  return (
    <>
      <section class="card" aria-labelledby="hours-title">
        <h2 id="hours-title">{t('myHours')}</h2>
        <p role="status" class="message" data-testid="hours-message">{message}</p>
        {!data && !message && <p>{t('loading')}</p>}
        {hours && (
          <>
            <p class="huge" data-testid="approved-hours">{t('hours', hours.approvedHours)}</p>
            <p class="big" data-testid="stars">
              <span aria-hidden="true" class="star">{'★'.repeat(hours.stars)}</span> {t('stars', hours.stars)}
            </p>
            {hours.nextStarAtHours !== null && <p>{t('nextStar', hours.nextStarAtHours)}</p>}
          </>
        )}
      </section>
      <section class="card" aria-labelledby="certificates-title">
        <h2 id="certificates-title">{t('certificates')}</h2>
        <ul class="list">
          {data?.myVolunteerCertificates.length === 0 && <li>{t('none')}</li>}
          {data?.myVolunteerCertificates.filter((c) => !c.revoked).map((c) => (
            <li class="appointment" data-certificate={c.id}>
              <p class="big">{t('hours', c.hours)}</p>
              <p>{t('period', c.periodFrom, c.periodTo)} · {t('certificateNo', c.number)}</p>
              <button class="secondary" onClick={() => save(c.pdfUrl, `${c.number}.pdf`).catch((e) => setMessage(e.message))}>{t('downloadPdf')}</button>
            </li>
          ))}
        </ul>
        <button onClick={issue}>{t('issueCertificate')}</button>
      </section>
    </>
  );
}
