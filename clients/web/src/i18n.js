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
  addToCalendar: '加到手机日历', none: '暂时没有', forPerson: (n) => `就诊人：${n}`,
  status: { BOOKED: '已预约', CANCELLED: '已取消', ARRIVED: '已到达', CHECKED_IN: '已签到', FULFILLED: '已完成', NOSHOW: '爽约', WAITLIST: '候补中', PENDING: '待确认', PROPOSED: '待确认', ENTERED_IN_ERROR: '录入错误' },
  site: '服务点', today: '今天', arrived: '已到达', checkIn: '签到', noShow: '爽约',
  language: 'English', back: '返回', loginFirst: '请先登录', error: '出错了',
  live: '名额实时更新', members: (n) => `${n} 人`, home: '首页',
  lateWarningAt: (when) => `现在取消属于“迟取消”：免费取消截止到${when}。多次迟取消或爽约可能暂时不能预约。`,
  freeUntil: (when) => `${when}前可以免费取消`,
  // volunteers
  volunteer: '志愿服务', becomeVolunteer: '成为志愿者', becomeHint: '登记后就可以报名参加社区志愿活动。',
  registered: '已登记为志愿者', comingActivities: '近期活动', myShifts: '我的报名',
  filled: (c, n) => `已报名 ${c} / ${n} 人`, waiting: (n) => `${n} 人候补`, fillLevel: '报名人数',
  signUp: '报名', signUpWaitlist: '已满，报名候补', withdraw: '取消报名', confirmWithdraw: '确定不参加了吗？',
  signedUp: '报名成功', waitlisted: (n) => `已满员，您在候补第 ${n} 位。有人取消时会自动转为正式报名。`,
  withdrawn: '已取消报名', promoted: '好消息：有人取消了，您已从候补转为正式报名。',
  signUpStatus: { CONFIRMED: '已报名', WAITLISTED: '候补中', PENDING_CONSENT: '等监护人同意', WITHDRAWN: '已取消', CANCELLED: '活动取消', EXPIRED: '已过期' },
  waitlistPosition: (n) => `候补第 ${n} 位`,
  myHours: '我的服务时长', hours: (h) => `${h} 小时`, stars: (n) => (n > 0 ? `${n} 星志愿者` : '还没有星级'),
  nextStar: (h) => `满 ${h} 小时升一星`, certificates: '志愿服务证明', downloadPdf: '下载证明（PDF）',
  issueCertificate: '开具今年的服务证明', certificateNo: (n) => `编号 ${n}`, period: (a, b) => `${a} 至 ${b}`,
  // groups
  join: '申请加入', joinAsked: '已提交申请，请等负责人同意。', member: '我已加入', asked: '已申请',
  // elections
  elections: '选举', electionDay: (d) => `选举日：${d}`, onRoll: '您在选民名单上，可以投票。',
  notOnRoll: '您不在这次的选民名单上。', rollReason: { UNDER_18: '未满18周岁', OTHER_COMMUNITY: '户籍或居住不在本社区', NOT_ON_ROLL: '名单上没有您', ROLL_NOT_PUBLISHED: '选民名单还没有公布' },
  slate: '正式候选人', ballot: '投票', choose: (n) => `请选 ${n} 人（可以少选，不能多选）`,
  castBallot: '投出选票', noBallot: '现在不在投票时间。选举日当天可以投票。',
  youVoted: '您已经投过票了。选票是保密的：谁也看不到您选了谁。',
  receipt: '投票成功。这是您的回执码，请抄下来或截图保存：', receiptHint: '计票后可以用回执码查询您的选票是否被计入。',
  receiptOnce: '回执码只显示这一次，本应用不保存。请不要给别人看：看到回执码就能查到您的选票。',
  copyCode: '复制回执码', copied: '已复制',
  checkReceipt: '用回执码查询我的选票', check: '查询',
  receiptFound: (bad) => (bad.length ? `找到了：您的选票已计入，但“${bad.join('、')}”一栏选多了，这一栏不计。` : '找到了：您的选票已计入。'),
  receiptNotFound: '没有找到这个回执码，请核对后再试。',
  turnout: (v, n) => `已投票 ${v} / ${n} 人`, turnoutLive: '投票人数实时更新',
  post: { DIRECTOR: '主任', DEPUTY_DIRECTOR: '副主任', MEMBER: '委员' },
  phase: { ROLL_PUBLISHED: '选民名单公示', NOMINATION: '提名候选人', PRIMARY: '预选', PRIMARY_COUNTING: '预选计票中', SLATE_PUBLISHED: '候选人已公布', VOTING: '正在投票', COUNTING: '计票中', COUNTED: '已计票' },
  // notices
  tab: { book: '预约服务', appointments: '我的预约', volunteer: '志愿服务', notices: '社区公告', groups: '社区团队', elections: '选举', staff: '工作人员' },
  notices: '社区公告', newNotice: '新公告', noticesLive: '新公告会自动出现',
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
  addToCalendar: 'Add to phone calendar', none: 'Nothing yet', forPerson: (n) => `For: ${n}`,
  status: { BOOKED: 'Booked', CANCELLED: 'Cancelled', ARRIVED: 'Arrived', CHECKED_IN: 'Checked in', FULFILLED: 'Done', NOSHOW: 'No-show', WAITLIST: 'Waiting list', PENDING: 'Pending', PROPOSED: 'Pending', ENTERED_IN_ERROR: 'Entered in error' },
  site: 'Site', today: 'Today', arrived: 'Arrived', checkIn: 'Check in', noShow: 'No-show',
  language: '中文', back: 'Back', loginFirst: 'Please log in first', error: 'Something went wrong',
  live: 'Places update live', members: (n) => `${n} members`, home: 'Home',
  lateWarningAt: (when) => `This is a late cancellation: free cancellation ended ${when}. Repeated late cancellations or missed visits may pause your bookings.`,
  freeUntil: (when) => `Free to cancel until ${when}`,
  volunteer: 'Volunteering', becomeVolunteer: 'Become a volunteer', becomeHint: 'Once registered you can sign up for community activities.',
  registered: 'Registered as a volunteer', comingActivities: 'Coming activities', myShifts: 'My sign-ups',
  filled: (c, n) => `${c} of ${n} places taken`, waiting: (n) => `${n} waiting`, fillLevel: 'Places taken',
  signUp: 'Sign up', signUpWaitlist: 'Full: join the waiting list', withdraw: 'Withdraw', confirmWithdraw: 'Are you sure you will not come?',
  signedUp: 'You are signed up', waitlisted: (n) => `It is full: you are number ${n} on the waiting list. If someone withdraws you move up by yourself.`,
  withdrawn: 'You have withdrawn', promoted: 'Good news: someone withdrew and you now have a place.',
  signUpStatus: { CONFIRMED: 'Signed up', WAITLISTED: 'Waiting list', PENDING_CONSENT: 'Waiting for a guardian', WITHDRAWN: 'Withdrawn', CANCELLED: 'Cancelled', EXPIRED: 'Expired' },
  waitlistPosition: (n) => `Number ${n} on the waiting list`,
  myHours: 'My volunteer hours', hours: (h) => `${h} hours`, stars: (n) => (n > 0 ? `${n}-star volunteer` : 'No star yet'),
  nextStar: (h) => `Next star at ${h} hours`, certificates: 'Volunteer certificates', downloadPdf: 'Download certificate (PDF)',
  issueCertificate: "Get this year's certificate", certificateNo: (n) => `No. ${n}`, period: (a, b) => `${a} to ${b}`,
  join: 'Ask to join', joinAsked: 'Request sent: the leader will answer.', member: 'I am a member', asked: 'Asked',
  elections: 'Elections', electionDay: (d) => `Election day: ${d}`, onRoll: 'You are on the voter roll: you may vote.',
  notOnRoll: 'You are not on the voter roll of this election.', rollReason: { UNDER_18: 'under 18', OTHER_COMMUNITY: 'registered in another community', NOT_ON_ROLL: 'not on the roll', ROLL_NOT_PUBLISHED: 'the roll is not published yet' },
  slate: 'Candidates', ballot: 'Vote', choose: (n) => `Choose up to ${n}`,
  castBallot: 'Cast my ballot', noBallot: 'Voting is not open now. You can vote on election day.',
  youVoted: 'You have voted. Your ballot is secret: nobody can see whom you chose.',
  receipt: 'Your vote is in. This is your receipt code: write it down or take a screenshot:', receiptHint: 'After the count you can check with it that your ballot was counted.',
  receiptOnce: 'The code is shown only this once and this app does not keep it. Do not show it to anyone: with it they can see your ballot.',
  copyCode: 'Copy the code', copied: 'Copied',
  checkReceipt: 'Check my ballot with its receipt code', check: 'Check',
  receiptFound: (bad) => (bad.length ? `Found: your ballot was counted, except ${bad.join(', ')}, where it chose too many.` : 'Found: your ballot was counted.'),
  receiptNotFound: 'No ballot has this code. Please check it and try again.',
  turnout: (v, n) => `${v} of ${n} have voted`, turnoutLive: 'Turnout updates live',
  post: { DIRECTOR: 'Director', DEPUTY_DIRECTOR: 'Deputy director', MEMBER: 'Member' },
  phase: { ROLL_PUBLISHED: 'Voter roll on display', NOMINATION: 'Nominations', PRIMARY: 'Primary', PRIMARY_COUNTING: 'Counting the primary', SLATE_PUBLISHED: 'Candidates published', VOTING: 'Voting', COUNTING: 'Counting', COUNTED: 'Counted' },
  // Short tab labels: four to a row at 320 px.
  tab: { book: 'Book', appointments: 'My visits', volunteer: 'Volunteer', notices: 'Notices', groups: 'Groups', elections: 'Elections', staff: 'Staff' },
  notices: 'Notices', newNotice: 'New notice', noticesLive: 'New notices appear by themselves',
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
