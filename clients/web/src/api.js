import { createLinliClient } from '@linli/client';
import { signalish } from './state.js';
import { locale } from './i18n.js';

export const session = signalish(null);

export const linli = createLinliClient({
  url: `${location.origin}/graphql`,
  storage: localStorage,
  locale: () => locale.value,
  onSession: (tokens) => { session.value = tokens; },
});
session.value = linli.tokens;

/** Today's local date in the communities' time zone (Asia/Shanghai), offset by days. */
export function localDate(offset = 0) {
  const day = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(day);
}

export function timeOf(iso) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dayLabel(date) {
  const [y, m, d] = date.split('-').map(Number);
  const when = new Date(Date.UTC(y, m - 1, d, 4));
  return new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'short' }).format(when);
}

/** B7: cancelling from the appointment's `cancelFreeUntil` (the community's cutoff, from the
 * server) on is a late cancellation. */
export function isLateCancellation(appointment, now = new Date()) {
  return now.getTime() >= new Date(appointment.cancelFreeUntil).getTime();
}

/** A date and time in the communities' zone, in the reader's language: "3月4日 周三 16:00". */
export function whenLabel(iso) {
  return new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
}

/** The community the caller belongs to (the first membership), or null. */
export function communityOf(me) {
  return me?.memberships[0]?.community.id ?? null;
}

/** Save a protected download (a certificate PDF, an .ics): a plain link cannot carry the
 * session's token, so the SDK fetches it and the browser saves the blob. */
export async function save(path, fallbackName) {
  const file = await linli.download(path);
  const href = URL.createObjectURL(file.blob);
  const link = Object.assign(document.createElement('a'), { href, download: file.filename || fallbackName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return file;
}
