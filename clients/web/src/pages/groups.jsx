import { useEffect, useState } from 'preact/hooks';
import { GroupsDocument, MeDocument, MyGroupsDocument, RequestToJoinGroupDocument } from '@linli/client';
import { communityOf, linli } from '../api.js';
import { t } from '../i18n.js';

/** The community's group directory; ask to join one (its leader answers). */
export function Groups() {
  const [groups, setGroups] = useState(null);
  const [mine, setMine] = useState(new Set());
  const [asked, setAsked] = useState(new Set());
  const [message, setMessage] = useState('');
  useEffect(() => {
    linli.request(MeDocument).then(async ({ me }) => {
      const community = communityOf(me);
      if (!community) return setGroups([]);
      const [data, my] = await Promise.all([
        linli.request(GroupsDocument, { communityId: community, first: 50 }),
        linli.request(MyGroupsDocument),
      ]);
      setMine(new Set(my.myGroups.map((g) => g.id)));
      setGroups(data.groups.edges.map((e) => e.node));
    }).catch(() => setGroups([]));
  }, []);

  async function join(group) {
    const data = await linli.request(RequestToJoinGroupDocument, { input: { groupId: group.id } });
    const [error] = data.requestToJoinGroup.errors;
    setMessage(error ? error.message : t('joinAsked'));
    if (!error || error.code === 'ALREADY_REQUESTED') setAsked((s) => new Set([...s, group.id]));
  }

  return (
    <section class="card">
      <h2>{t('groups')}</h2>
      <p role="status" class="message" data-testid="groups-message">{message}</p>
      <ul class="list">
        {groups === null && <li>{t('loading')}</li>}
        {groups?.length === 0 && <li>{t('none')}</li>}
        {groups?.map((g) => (
          <li class="appointment" data-group={g.id}>
            <p class="big">{g.name}</p>
            <p>{g.venue} · {g.schedule}</p>
            <p>{t('members', g.memberCount)}</p>
            {mine.has(g.id)
              ? <p class="seats">{t('member')}</p>
              : g.status === 'APPROVED' && (
                <button class={asked.has(g.id) ? 'secondary' : ''} disabled={asked.has(g.id)} onClick={() => join(g)}>
                  {asked.has(g.id) ? t('asked') : t('join')}
                </button>
              )}
          </li>
        ))}
      </ul>
    </section>
  );
}
