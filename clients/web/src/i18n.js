// Plain words, zh-CN first (the residents' language), English second. The choice is kept.
import { signalish } from './state.js';

const zh = {
  app: '邻里', login: '登录', logout: '退出登录', phone: '手机号', password: '密码',
  usePassword: '用密码登录', useCode: '用短信验证码登录', getCode: '获取验证码', code: '验证码',
  codeSent: '验证码已发送，请查看短信。', loginFailed: '登录没有成功', loading: '正在加载…',
  book: '预约服务', myAppointments: '我的预约', staff: '工作人员', groups: '社区团队',
  whoFor: '为谁预约', myself: '我自己', service: '服务项目', day: '日期', time: '时间',
  seatsLeft: (n) => (n > 0 ? `还剩 ${n} 个名额` : '已约满'), bookThis: '预约这个时间',
  booked: '预约成功', cancel: '取消预约', cancelled: '已取消', keep: '不取消',
  confirmCancel: '确定要取消这个预约吗？',
  lateWarning: '现在取消属于“迟取消”：已过免费取消时间（就诊前一天下午4点）。多次迟取消或爽约可能暂时不能预约。',
  addToCalendar: '加到手机日历', none: '暂时没有', forPerson: (n) => `就诊人：${n}`,
  status: { BOOKED: '已预约', CANCELLED: '已取消', ARRIVED: '已到达', CHECKED_IN: '已签到', FULFILLED: '已完成', NOSHOW: '爽约', WAITLIST: '候补中', PENDING: '待确认', PROPOSED: '待确认', ENTERED_IN_ERROR: '录入错误' },
  site: '服务点', today: '今天', arrived: '已到达', checkIn: '签到', noShow: '爽约',
  language: 'English', back: '返回', loginFirst: '请先登录', error: '出错了',
  live: '名额实时更新', members: (n) => `${n} 人`, home: '首页',
};

const en = {
  app: 'Linli', login: 'Log in', logout: 'Log out', phone: 'Phone number', password: 'Password',
  usePassword: 'Log in with password', useCode: 'Log in with a text code', getCode: 'Send me a code', code: 'Code',
  codeSent: 'We sent you a code by text message.', loginFailed: 'Could not log in', loading: 'Loading…',
  book: 'Book a service', myAppointments: 'My appointments', staff: 'Staff', groups: 'Community groups',
  whoFor: 'Who is it for', myself: 'Myself', service: 'Service', day: 'Day', time: 'Time',
  seatsLeft: (n) => (n > 0 ? `${n} places left` : 'Full'), bookThis: 'Book this time',
  booked: 'Booked', cancel: 'Cancel appointment', cancelled: 'Cancelled', keep: 'Keep it',
  confirmCancel: 'Do you want to cancel this appointment?',
  lateWarning: 'This is a late cancellation: free cancellation ended at 4 pm the day before. Repeated late cancellations or missed visits may pause your bookings.',
  addToCalendar: 'Add to phone calendar', none: 'Nothing yet', forPerson: (n) => `For: ${n}`,
  status: { BOOKED: 'Booked', CANCELLED: 'Cancelled', ARRIVED: 'Arrived', CHECKED_IN: 'Checked in', FULFILLED: 'Done', NOSHOW: 'No-show', WAITLIST: 'Waiting list', PENDING: 'Pending', PROPOSED: 'Pending', ENTERED_IN_ERROR: 'Entered in error' },
  site: 'Site', today: 'Today', arrived: 'Arrived', checkIn: 'Check in', noShow: 'No-show',
  language: '中文', back: 'Back', loginFirst: 'Please log in first', error: 'Something went wrong',
  live: 'Places update live', members: (n) => `${n} members`, home: 'Home',
};

export const locale = signalish(localStorage.getItem('linli.locale') || 'zh-CN');
export function t(key, ...args) {
  const table = locale.value === 'en' ? en : zh;
  const value = table[key] ?? zh[key] ?? key;
  return typeof value === 'function' ? value(...args) : value;
}
export function toggleLocale() {
  locale.value = locale.value === 'en' ? 'zh-CN' : 'en';
  localStorage.setItem('linli.locale', locale.value);
  document.documentElement.lang = locale.value;
}
