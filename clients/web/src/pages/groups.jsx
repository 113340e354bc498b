import { useEffect, useState } from 'preact/hooks';
import { GroupsDocument, MeDocument } from '@linli/client';
import { linli } from '../api.js';
import { t } from '../i18n.js';

export function Groups() {
  const [groups, setGroups] = useState(null);
  useEffect(() => {
    linli.request(MeDocument).then(async ({ me }) => {
      const community = me.memberships[0]?.community.id;
      if (!community) return setGroups([]);
      const data = await linli.request(GroupsDocument, { communityId: community, first: 50 });
      setGroups(data.groups.edges.map((e) => e.node));
    }).catch(() => setGroups([]));
  }, []);
  return (
    <section class="card">
      <h2>{t('groups')}</h2>
      <ul class="list">
        {groups === null && <li>{t('loading')}</li>}
        {groups?.length === 0 && <li>{t('none')}</li>}
        {groups?.map((g) => (
          <li class="appointment">
            <p class="big">{g.name}</p>
            <p>{g.venue} · {g.schedule}</p>
            <p>{t('members', g.memberCount)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
