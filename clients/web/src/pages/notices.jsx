import { useEffect, useState } from 'preact/hooks';
import { MeDocument, NoticePostedDocument, NoticesDocument } from '@linli/client';
import { communityOf, linli, whenLabel } from '../api.js';
import { t } from '../i18n.js';

/** The community's notices (居务公开, the notices plugin), newest first; new ones live. */
export function Notices() {
  const [notices, setNotices] = useState(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    let stop = () => {};
    linli.request(MeDocument).then(async ({ me }) => {
      const communityId = communityOf(me);
      if (!communityId) return setNotices([]);
      const data = await linli.request(NoticesDocument, { communityId, first: 30 });
      setNotices(data.notices.edges.map((e) => e.node));
      stop = linli.subscribe(NoticePostedDocument, { communityId }, {
        next: ({ noticePosted: notice }) => {
          setNotices((list) => [notice, ...(list ?? []).filter((n) => n.id !== notice.id)]);
          setMessage(`${t('newNotice')}：${notice.title}`);
        },
        error: () => {},
      });
    }).catch((error) => { setNotices([]); setMessage(error.message); });
    return () => stop();
  }, []);
  return (
    <section class="card">
      <h2>{t('notices')}</h2>
      <p class="hint">{t('noticesLive')}</p>
      <p role="status" class="message" data-testid="notices-message">{message}</p>
      <ul class="list">
        {notices === null && <li>{t('loading')}</li>}
        {notices?.length === 0 && <li>{t('none')}</li>}
        {notices?.map((n) => (
          <li class="appointment" data-notice={n.id}>
            <h3 class="big">{n.title}</h3>
            <p class="hint">{whenLabel(n.postedAt)}</p>
            <p class="body">{n.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
