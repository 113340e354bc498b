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

/** B7's default: free cancellation ends at 16:00 local time the day before the visit. (The
 * community's own cutoff is staff-only in the API today; see the report.) */
export function isLateCancellation(slotStart, now = new Date()) {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(slotStart));
  const [y, m, d] = local.split('-').map(Number);
  const cutoff = Date.UTC(y, m - 1, d - 1, 16 - 8, 0); // 16:00 in UTC+8
  return now.getTime() >= Math.min(cutoff, new Date(slotStart).getTime());
}
