import { useState } from 'preact/hooks';
import { linli } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../main.jsx';

export function Login({ params }) {
  const [mode, setMode] = useState('password');
  const [phone, setPhone] = useState('');
  const [secret, setSecret] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setMessage('');
    try {
      const payload = mode === 'password' ? await linli.loginWithPassword(phone, secret) : await linli.loginWithCode(phone, secret);
      if (payload.errors.length) setMessage(payload.errors[0].message);
      else go(params.get('next') || 'book');
    } catch (error) {
      setMessage(error.message || t('loginFailed'));
    } finally {
      setBusy(false);
    }
  }

  async function sendCode() {
    const payload = await linli.requestLoginCode(phone);
    setMessage(payload.errors.length ? payload.errors[0].message : t('codeSent'));
  }

  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('login')}</h2>
      <label for="phone">{t('phone')}</label>
      <input id="phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" required value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
      <label for="secret">{mode === 'password' ? t('password') : t('code')}</label>
      <input id="secret" name="secret" type={mode === 'password' ? 'password' : 'text'} inputMode={mode === 'code' ? 'numeric' : undefined} autoComplete={mode === 'password' ? 'current-password' : 'one-time-code'} required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
      {mode === 'code' && <button type="button" class="secondary" onClick={sendCode} disabled={!phone}>{t('getCode')}</button>}
      <button type="submit" disabled={busy}>{t('login')}</button>
      <p role="status" class="message">{message}</p>
      <button type="button" class="link" onClick={() => { setMode(mode === 'password' ? 'code' : 'password'); setSecret(''); }}>
        {mode === 'password' ? t('useCode') : t('usePassword')}
      </button>
    </form>
  );
}
