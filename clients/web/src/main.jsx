import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { MeDocument } from '@linli/client';
import { linli, session } from './api.js';
import { locale, t, toggleLocale } from './i18n.js';
import { useValue } from './state.js';
import { Login } from './pages/login.jsx';
import { Book } from './pages/book.jsx';
import { Appointments } from './pages/appointments.jsx';
import { Staff } from './pages/staff.jsx';
import { Groups } from './pages/groups.jsx';
import { Volunteer } from './pages/volunteer.jsx';
import { Hours } from './pages/hours.jsx';
import { Elections } from './pages/elections.jsx';
import { Notices } from './pages/notices.jsx';
import './style.css';

const PAGES = {
  book: Book, appointments: Appointments, volunteer: Volunteer, hours: Hours, groups: Groups,
  elections: Elections, notices: Notices, staff: Staff,
};
// The tabs, two rows of four at a phone's width (hours is reached from the volunteer page).
const TABS = ['book', 'appointments', 'volunteer', 'notices', 'groups', 'elections', 'staff'];

function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: path || 'book', params: new URLSearchParams(query) };
}

export function go(page, params = '') {
  location.hash = `#/${page}${params ? `?${params}` : ''}`;
}

function App() {
  const [where, setWhere] = useState(route());
  const tokens = useValue(session);
  const [staff, setStaff] = useState(false);
  useValue(locale);
  // The staff tab only for staff (fewer tabs that do nothing for a resident).
  useEffect(() => {
    if (!tokens) return setStaff(false);
    linli.request(MeDocument).then(({ me }) => setStaff(me.account.isAdmin || me.memberships.some((m) => m.role === 'STAFF' || m.role === 'ADMIN')), () => {});
  }, [tokens?.refreshToken]);
  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  // Every page but login needs a session: to login and back.
  useEffect(() => {
    if (!tokens && where.page !== 'login') go('login', `next=${encodeURIComponent(where.page)}`);
  }, [tokens, where.page]);
  const Page = where.page === 'login' ? Login : PAGES[where.page] ?? Book;
  return (
    <>
      <header class="bar">
        <h1>{t('app')}</h1>
        <button class="link" onClick={toggleLocale} lang={locale.value === 'en' ? 'zh-CN' : 'en'}>{t('language')}</button>
        {tokens && <button class="link" onClick={() => linli.logout().then(() => go('login'))}>{t('logout')}</button>}
      </header>
      {tokens && (
        <nav class="tabs" aria-label={t('home')}>
          {TABS.filter((name) => name !== 'staff' || staff).map((name) => (
            <a href={`#/${name}`} aria-current={where.page === name || (name === 'volunteer' && where.page === 'hours') ? 'page' : undefined}>{t('tab')[name]}</a>
          ))}
        </nav>
      )}
      <main>{(tokens || where.page === 'login') && <Page params={where.params} />}</main>
    </>
  );
}

document.documentElement.lang = locale.value;
render(<App />, document.getElementById('app'));
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {});
