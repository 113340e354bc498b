/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AddVolunteerShiftInput = {
  activityId: string;
  adultsOnly?: boolean;
  capacity: number;
  end: string;
  minAge?: number | null | undefined;
  place?: string;
  requiredSkills?: Array<string>;
  start: string;
  title?: string;
};

/** E6: for each candidate. */
export type BallotChoice =
  | 'ABSTAIN'
  | 'AGAINST'
  | 'FOR';

/** A mark on one candidate of the round's ballot. */
export type BallotMarkInput = {
  /** The id electionBallot lists. */
  candidateId: string;
  choice: BallotChoice;
};

export type BookAppointmentInput = {
  /** Whom it is for; default: yourself. */
  personId?: string | null | undefined;
  slotId: string;
};

/** FHIR Appointment.status codes (B4). */
export type BookingAppointmentStatus =
  | 'ARRIVED'
  | 'BOOKED'
  | 'CANCELLED'
  | 'CHECKED_IN'
  | 'ENTERED_IN_ERROR'
  | 'FULFILLED'
  | 'NOSHOW'
  | 'PENDING'
  | 'PROPOSED'
  | 'WAITLIST';

/** Codes of BookingError. */
export type BookingErrorCode =
  | 'ALREADY_BOOKED_TODAY'
  | 'BANNED_UNTIL'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INVALID_INPUT'
  | 'INVALID_TRANSITION'
  | 'LATE_CANCELLATION'
  | 'NOT_ELIGIBLE'
  | 'NOT_FOUND'
  | 'OFFER_EXPIRED'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'PROXY_NOT_VERIFIED'
  | 'RATE_LIMITED'
  | 'SLOT_FULL'
  | 'TOO_LONG'
  | 'UNAUTHENTICATED';

export type BookingServiceCategory =
  | 'FAMILY_PLANNING'
  | 'HEALTH_EDUCATION'
  | 'HOME_VISIT'
  | 'MEDICAL'
  | 'PUBLIC_HEALTH'
  | 'REHABILITATION';

export type CancelAppointmentInput = {
  appointmentId: string;
};

export type CastBallotInput = {
  electionId: string;
  /** E10: the voter whose written proxy you hold. */
  forVoter?: string | null | undefined;
  marks: Array<BallotMarkInput>;
  writeIns?: Array<WriteInInput> | null | undefined;
};

export type CheckInInput = {
  appointmentId: string;
};

export type ClosePollsInput = {
  electionId: string;
};

export type CountVotesInput = {
  electionId: string;
};

export type CreateVolunteerActivityInput = {
  communityId: string;
  description?: string;
  /** The organising group (the groups module must say it may). */
  groupId?: string | null | undefined;
  title: string;
};

/** Codes of ElectionError. */
export type ElectionErrorCode =
  | 'ALREADY_DECIDED'
  | 'ALREADY_GRANTED'
  | 'ALREADY_NOMINATED'
  | 'ALREADY_ON_ROLL'
  | 'ALREADY_SIGNED'
  | 'ALREADY_VOTED'
  | 'CANDIDATE_CANNOT_BE_PROXY'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INVALID_BALLOT'
  | 'INVALID_INPUT'
  | 'INVALID_PHASE'
  | 'INVALID_SEATS'
  | 'INVALID_TRANSITION'
  | 'NOMINEE_NOT_ELIGIBLE'
  | 'NOT_A_CLOSE_RELATIVE'
  | 'NOT_A_CONFLICT'
  | 'NOT_A_CO_NOMINATOR'
  | 'NOT_A_MEMBER'
  | 'NOT_A_PROXY'
  | 'NOT_COMPETITIVE'
  | 'NOT_CONFIRMED'
  | 'NOT_COUNTED_YET'
  | 'NOT_FOUND'
  | 'NOT_ON_ROLL'
  | 'NOT_THE_NOMINEE'
  | 'NO_OPEN_ROUND'
  | 'NO_PROXY_AT_PRIMARY'
  | 'NO_ROUND_DUE'
  | 'ONE_DIRECTOR'
  | 'OTHER_COMMUNITY'
  | 'OUTSIDE_WINDOW'
  | 'PAPER_UNSETTLED'
  | 'POLLS_NOT_CLOSED'
  | 'PRIMARY_NEEDED'
  | 'PRIMARY_NOT_HELD'
  | 'PRIMARY_NOT_NEEDED'
  | 'PROPOSAL_SHORT'
  | 'PROXY_LIMIT'
  | 'RATE_LIMITED'
  | 'ROLL_FROZEN'
  | 'ROLL_HAS_CONFLICTS'
  | 'ROUND_ALREADY_OPEN'
  | 'SCRUTINEERS_REQUIRED'
  | 'SCRUTINEER_NOT_ALLOWED'
  | 'SEATS_OUT_OF_RANGE'
  | 'SHEET_SETTLED'
  | 'TELLER_ALREADY_ENTERED'
  | 'TOO_LONG'
  | 'TOO_MANY_NOMINATIONS'
  | 'UNAUTHENTICATED'
  | 'UNDER_18'
  | 'UNKNOWN_POST';

export type GroupCategory =
  | 'COMMUNITY_AFFAIRS'
  | 'CULTURE_SPORTS'
  | 'LIFE_SERVICES'
  | 'OTHER'
  | 'PUBLIC_WELFARE';

/** Codes of GroupError. */
export type GroupErrorCode =
  | 'ALREADY_MEMBER'
  | 'ALREADY_REQUESTED'
  | 'BELOW_MINIMUM'
  | 'CONFLICT'
  | 'EXCLUDED_KIND'
  | 'FORBIDDEN'
  | 'GROUP_NOT_ACTIVE'
  | 'INVALID_INPUT'
  | 'INVALID_TRANSITION'
  | 'NOTHING_CHANGED'
  | 'NOT_A_MEMBER'
  | 'NOT_FOUND'
  | 'NOT_IN_RENEWAL_WINDOW'
  | 'ONE_LEADER'
  | 'OUTSIDE_JURISDICTION'
  | 'RATE_LIMITED'
  | 'REASON_REQUIRED'
  | 'TEXT_REQUIRED'
  | 'TEXT_TOO_LONG'
  | 'TOO_LONG'
  | 'UNAUTHENTICATED';

export type GroupStatus =
  | 'APPROVED'
  | 'DISSOLVED'
  | 'DRAFT'
  | 'LAPSED'
  | 'REJECTED'
  | 'RETURNED'
  | 'SUBMITTED'
  | 'SUPERSEDED';

/** Codes of IdentityError. */
export type IdentityErrorCode =
  | 'ALREADY_GRANTED'
  | 'ALREADY_MEMBER'
  | 'ALREADY_VERIFIED'
  | 'BIRTH_DATE_MISMATCH'
  | 'CODE_TAKEN'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'ID_NUMBER_TAKEN'
  | 'INVALID_CODE'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_ID_NUMBER'
  | 'INVALID_INPUT'
  | 'INVALID_PARENT'
  | 'INVALID_PHONE'
  | 'INVALID_TOKEN'
  | 'NOT_FOUND'
  | 'NOT_PENDING'
  | 'PASSWORD_TOO_LONG'
  | 'PASSWORD_TOO_SHORT'
  | 'PHONE_TAKEN'
  | 'PROXY_NOT_VERIFIED'
  | 'RATE_LIMITED'
  | 'SELF_PROXY'
  | 'TOO_LONG'
  | 'UNAUTHENTICATED';

export type IssueVolunteerCertificateInput = {
  from: string;
  personId?: string | null | undefined;
  to: string;
};

export type LoginInput = {
  password: string;
  phone: string;
};

export type LoginWithCodeInput = {
  code: string;
  phone: string;
};

export type LogoutInput = {
  refreshToken?: string | null | undefined;
};

export type MarkArrivedInput = {
  appointmentId: string;
};

export type MarkNoShowInput = {
  appointmentId: string;
};

/** Codes of PostNoticeError. */
export type PostNoticeErrorCode =
  | 'BODY_REQUIRED'
  | 'BODY_TOO_LONG'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'TITLE_REQUIRED'
  | 'TITLE_TOO_LONG'
  | 'TOO_LONG'
  | 'UNAUTHENTICATED';

export type PostNoticeInput = {
  body: string;
  communityId: string;
  title: string;
};

export type ProxyGrantStatus =
  | 'PENDING'
  | 'REVOKED'
  | 'VERIFIED';

export type PublishVolunteerActivityInput = {
  activityId: string;
};

export type RefreshTokenInput = {
  refreshToken: string;
};

export type RegisterVolunteerInput = {
  availability?: Array<VolunteerAvailabilityInput>;
  /** A minor you are guardian for; yourself when omitted. */
  personId?: string | null | undefined;
  serviceAreas?: Array<string>;
  skills?: Array<string>;
};

export type RequestLoginCodeInput = {
  phone: string;
};

export type RequestToJoinGroupInput = {
  groupId: string;
  message?: string;
  /** Who joins (default: the caller's own person). */
  personId?: string | null | undefined;
};

/** A role held in a community. */
export type Role =
  | 'ADMIN'
  | 'RESIDENT'
  | 'STAFF'
  | 'VOLUNTEER';

export type SignUpForShiftInput = {
  /** A minor you are guardian for; yourself when omitted. */
  personId?: string | null | undefined;
  shiftId: string;
};

export type VolunteerActivityStatus =
  | 'CANCELLED'
  | 'DRAFT'
  | 'PUBLISHED';

export type VolunteerAvailabilityInput = {
  end: string;
  start: string;
  /** Monday 0 … Sunday 6 */
  weekday: number;
};

/** Codes of VolunteerError. */
export type VolunteerErrorCode =
  | 'ACCOMPANIMENT_REQUIRED'
  | 'ADULTS_ONLY'
  | 'ALREADY_RECORDED'
  | 'ALREADY_REGISTERED'
  | 'ALREADY_SIGNED_UP'
  | 'ATTENDANCE_CLOSED'
  | 'CONFLICT'
  | 'CONSENT_NOT_NEEDED'
  | 'CORRECTION_BELOW_ZERO'
  | 'END_BEFORE_START'
  | 'FORBIDDEN'
  | 'INSUFFICIENT_COINS'
  | 'INVALID_AMOUNT'
  | 'INVALID_CAPACITY'
  | 'INVALID_INPUT'
  | 'INVALID_TRANSITION'
  | 'IN_THE_PAST'
  | 'NOT_APPROVED'
  | 'NOT_CHECKED_IN'
  | 'NOT_FOUND'
  | 'NOT_PUBLISHED'
  | 'NOT_REGISTERED'
  | 'NO_APPROVED_HOURS'
  | 'ORGANISER_NOT_ACTIVE'
  | 'OVERLAP'
  | 'PERIOD_IN_FUTURE'
  | 'PROXY_NOT_VERIFIED'
  | 'RATE_LIMITED'
  | 'REDEEM_TOO_YOUNG'
  | 'SHIFT_CANCELLED'
  | 'SHIFT_STARTED'
  | 'SKILL_REQUIRED'
  | 'TIME_BANK_OFF'
  | 'TOO_LONG'
  | 'TOO_YOUNG'
  | 'UNAUTHENTICATED'
  | 'WRONG_CODE';

export type VolunteerSignUpStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'EXPIRED'
  | 'PENDING_CONSENT'
  | 'WAITLISTED'
  | 'WITHDRAWN';

export type WithdrawFromShiftInput = {
  signUpId: string;
};

/** E6: a write-in of another eligible voter for a post. */
export type WriteInInput = {
  personId: string;
  /** DIRECTOR, DEPUTY_DIRECTOR or MEMBER. */
  post: string;
};

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { accessToken: string | null, refreshToken: string | null, account: { id: string, phone: string } | null, errors: Array<{ code: IdentityErrorCode, field: Array<string> | null, message: string }> } };

export type RequestLoginCodeMutationVariables = Exact<{
  input: RequestLoginCodeInput;
}>;


export type RequestLoginCodeMutation = { requestLoginCode: { ok: boolean | null, errors: Array<{ code: IdentityErrorCode, field: Array<string> | null, message: string }> } };

export type LoginWithCodeMutationVariables = Exact<{
  input: LoginWithCodeInput;
}>;


export type LoginWithCodeMutation = { loginWithCode: { accessToken: string | null, refreshToken: string | null, account: { id: string, phone: string } | null, errors: Array<{ code: IdentityErrorCode, field: Array<string> | null, message: string }> } };

export type RefreshTokenMutationVariables = Exact<{
  input: RefreshTokenInput;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string | null, refreshToken: string | null, errors: Array<{ code: IdentityErrorCode, field: Array<string> | null, message: string }> } };

export type LogoutMutationVariables = Exact<{
  input?: LogoutInput | null | undefined;
}>;


export type LogoutMutation = { logout: { ok: boolean | null, errors: Array<{ code: IdentityErrorCode, message: string }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { account: { id: string, phone: string, isAdmin: boolean }, person: { id: string, realName: string, age: number | null, verified: boolean } | null, memberships: Array<{ role: Role, roleLabel: string, community: { id: string, name: string } | null }>, proxies: Array<{ id: string, status: ProxyGrantStatus, relationLabel: string, person: { id: string, realName: string } | null }> } };

export type SitesQueryVariables = Exact<{ [key: string]: never; }>;


export type SitesQuery = { sites: Array<{ id: string, name: string, kind: string, address: string, communityId: string, serviceTypes: Array<{ id: string, name: string, category: BookingServiceCategory, durationMinutes: number, minAge: number | null, maxAge: number | null, description: string }> }> };

export type SlotsQueryVariables = Exact<{
  serviceTypeId: string;
  date: string;
}>;


export type SlotsQuery = { slots: Array<{ id: string, start: string, end: string, localDate: string, capacity: number, remaining: number }> };

export type BookAppointmentMutationVariables = Exact<{
  input: BookAppointmentInput;
}>;


export type BookAppointmentMutation = { bookAppointment: { appointment: { id: string, status: BookingAppointmentStatus, localDate: string, personName: string, icsUrl: string, slot: { id: string, start: string, remaining: number } } | null, errors: Array<{ code: BookingErrorCode, field: Array<string> | null, message: string }> } };

export type CancelAppointmentMutationVariables = Exact<{
  input: CancelAppointmentInput;
}>;


export type CancelAppointmentMutation = { cancelAppointment: { lateCancellation: boolean | null, appointment: { id: string, status: BookingAppointmentStatus, lateCancellation: boolean } | null, errors: Array<{ code: BookingErrorCode, field: Array<string> | null, message: string }> } };

export type MyAppointmentsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyAppointmentsQuery = { myAppointments: { edges: Array<{ node: { id: string, status: BookingAppointmentStatus, localDate: string, lateCancellation: boolean, cancelFreeUntil: string, personId: string, personName: string, icsUrl: string, slot: { id: string, start: string, end: string, serviceType: { id: string, name: string, site: { id: string, name: string, address: string } } } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AppointmentsForDayQueryVariables = Exact<{
  siteId: string;
  date: string;
  first?: number | null | undefined;
}>;


export type AppointmentsForDayQuery = { appointmentsForDay: { edges: Array<{ node: { id: string, status: BookingAppointmentStatus, personName: string, slot: { id: string, start: string, serviceType: { name: string } } } }> } };

export type MarkArrivedMutationVariables = Exact<{
  input: MarkArrivedInput;
}>;


export type MarkArrivedMutation = { markArrived: { appointment: { id: string, status: BookingAppointmentStatus } | null, errors: Array<{ code: BookingErrorCode, field: Array<string> | null, message: string }> } };

export type CheckInMutationVariables = Exact<{
  input: CheckInInput;
}>;


export type CheckInMutation = { checkIn: { appointment: { id: string, status: BookingAppointmentStatus } | null, errors: Array<{ code: BookingErrorCode, field: Array<string> | null, message: string }> } };

export type MarkNoShowMutationVariables = Exact<{
  input: MarkNoShowInput;
}>;


export type MarkNoShowMutation = { markNoShow: { appointment: { id: string, status: BookingAppointmentStatus } | null, errors: Array<{ code: BookingErrorCode, field: Array<string> | null, message: string }> } };

export type SlotAvailabilitySubscriptionVariables = Exact<{
  serviceTypeId: string;
  date: string;
}>;


export type SlotAvailabilitySubscription = { slotAvailability: { id: string, remaining: number, capacity: number } };

export type MyAppointmentUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyAppointmentUpdatesSubscription = { myAppointmentUpdates: { id: string, status: BookingAppointmentStatus, lateCancellation: boolean } };

export type ElectionsQueryVariables = Exact<{
  communityId: string;
  first?: number | null | undefined;
}>;


export type ElectionsQuery = { elections: { edges: Array<{ node: { id: string, title: string, electionDay: string, phase: string, rollSize: number, slatePublishedOn: string | null } }> } };

export type ElectionForVoterQueryVariables = Exact<{
  electionId: string;
}>;


export type ElectionForVoterQuery = { amIOnTheRoll: { onRoll: boolean, reason: string | null }, slate: Array<{ id: string, post: string, name: string, position: number }>, electionBallot: { number: number, kind: string, status: string, youVoted: boolean, posts: Array<{ post: string, seats: number }>, candidates: Array<{ id: string, post: string, name: string }> } | null, electionTurnout: { round: number | null, rollSize: number, voted: number } };

export type CastBallotMutationVariables = Exact<{
  input: CastBallotInput;
}>;


export type CastBallotMutation = { castBallot: { receipt: { trackingCode: string, round: number } | null, errors: Array<{ code: ElectionErrorCode, field: Array<string> | null, message: string }> } };

export type VerifyBallotReceiptQueryVariables = Exact<{
  electionId: string;
  code: string;
}>;


export type VerifyBallotReceiptQuery = { verifyBallotReceipt: { found: boolean, round: string | null, validPosts: Array<string>, invalidPosts: Array<string> } };

export type ElectionTurnoutSubscriptionVariables = Exact<{
  electionId: string;
}>;


export type ElectionTurnoutSubscription = { electionTurnout: { round: number | null, rollSize: number, voted: number } };

export type ClosePollsMutationVariables = Exact<{
  input: ClosePollsInput;
}>;


export type ClosePollsMutation = { closePolls: { round: { number: number, status: string } | null, errors: Array<{ code: ElectionErrorCode, field: Array<string> | null, message: string }> } };

export type CountVotesMutationVariables = Exact<{
  input: CountVotesInput;
}>;


export type CountVotesMutation = { countVotes: { result: { name: string, sha256: string, bundleUrl: string } | null, errors: Array<{ code: ElectionErrorCode, field: Array<string> | null, message: string }> } };

export type GroupsQueryVariables = Exact<{
  communityId: string;
  first?: number | null | undefined;
}>;


export type GroupsQuery = { groups: { edges: Array<{ node: { id: string, name: string, category: GroupCategory, venue: string, schedule: string, memberCount: number, status: GroupStatus, badge: boolean } }> } };

export type MyGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyGroupsQuery = { myGroups: Array<{ id: string, name: string }> };

export type RequestToJoinGroupMutationVariables = Exact<{
  input: RequestToJoinGroupInput;
}>;


export type RequestToJoinGroupMutation = { requestToJoinGroup: { request: { id: string, status: string, groupId: string, personName: string } | null, errors: Array<{ code: GroupErrorCode, field: Array<string> | null, message: string }> } };

export type MyGroupUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyGroupUpdatesSubscription = { myGroupUpdates: { kind: string, group: { id: string, name: string, memberCount: number } } };

export type NoticesQueryVariables = Exact<{
  communityId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NoticesQuery = { notices: { edges: Array<{ node: { id: string, title: string, body: string, postedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PostNoticeMutationVariables = Exact<{
  input: PostNoticeInput;
}>;


export type PostNoticeMutation = { postNotice: { notice: { id: string, title: string } | null, errors: Array<{ code: PostNoticeErrorCode, field: Array<string> | null, message: string }> } };

export type NoticePostedSubscriptionVariables = Exact<{
  communityId: string;
}>;


export type NoticePostedSubscription = { noticePosted: { id: string, title: string, body: string, postedAt: string } };

export type MyVolunteerProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type MyVolunteerProfileQuery = { myVolunteerProfile: { id: string, skills: Array<string> } | null };

export type RegisterVolunteerMutationVariables = Exact<{
  input: RegisterVolunteerInput;
}>;


export type RegisterVolunteerMutation = { registerVolunteer: { profile: { id: string, skills: Array<string> } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type VolunteerActivitiesQueryVariables = Exact<{
  communityId: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type VolunteerActivitiesQuery = { volunteerActivities: Array<{ id: string, title: string, description: string, shifts: Array<{ id: string, title: string, place: string, start: string, end: string, localDate: string, capacity: number, confirmed: number, waitlisted: number, remaining: number, fillLevel: number, requiredSkills: Array<string>, minAge: number | null, adultsOnly: boolean, cancelled: boolean }> }> };

export type MyVolunteerShiftsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyVolunteerShiftsQuery = { myVolunteerShifts: Array<{ id: string, status: VolunteerSignUpStatus, waitlistPosition: number | null, personId: string, shift: { id: string, title: string, place: string, start: string, end: string, icsUrl: string, activity: { id: string, title: string } } }> };

export type SignUpForShiftMutationVariables = Exact<{
  input: SignUpForShiftInput;
}>;


export type SignUpForShiftMutation = { signUpForShift: { signUp: { id: string, status: VolunteerSignUpStatus, waitlistPosition: number | null, shift: { id: string, confirmed: number, waitlisted: number, remaining: number, fillLevel: number } } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type WithdrawFromShiftMutationVariables = Exact<{
  input: WithdrawFromShiftInput;
}>;


export type WithdrawFromShiftMutation = { withdrawFromShift: { signUp: { id: string, status: VolunteerSignUpStatus } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type MyVolunteerHoursQueryVariables = Exact<{ [key: string]: never; }>;


export type MyVolunteerHoursQuery = { myVolunteerHours: { approvedHours: number, stars: number, nextStarAtHours: number | null }, myVolunteerCertificates: Array<{ id: string, number: string, periodFrom: string, periodTo: string, hours: number, revoked: boolean, pdfUrl: string }> };

export type IssueVolunteerCertificateMutationVariables = Exact<{
  input: IssueVolunteerCertificateInput;
}>;


export type IssueVolunteerCertificateMutation = { issueVolunteerCertificate: { certificate: { id: string, number: string, periodFrom: string, periodTo: string, hours: number, revoked: boolean, pdfUrl: string } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type VolunteerShiftFillSubscriptionVariables = Exact<{
  activityId: string;
}>;


export type VolunteerShiftFillSubscription = { volunteerShiftFill: { id: string, confirmed: number, waitlisted: number, remaining: number, fillLevel: number } };

export type MyVolunteerUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyVolunteerUpdatesSubscription = { myVolunteerUpdates: { kind: string, signUpId: string | null } };

export type CreateVolunteerActivityMutationVariables = Exact<{
  input: CreateVolunteerActivityInput;
}>;


export type CreateVolunteerActivityMutation = { createVolunteerActivity: { activity: { id: string, title: string } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type AddVolunteerShiftMutationVariables = Exact<{
  input: AddVolunteerShiftInput;
}>;


export type AddVolunteerShiftMutation = { addVolunteerShift: { shift: { id: string, capacity: number } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };

export type PublishVolunteerActivityMutationVariables = Exact<{
  input: PublishVolunteerActivityInput;
}>;


export type PublishVolunteerActivityMutation = { publishVolunteerActivity: { activity: { id: string, status: VolunteerActivityStatus } | null, errors: Array<{ code: VolunteerErrorCode, field: Array<string> | null, message: string }> } };


export const LoginDocument = {"__meta__":{"hash":"sha256:8398518482a108b11c9d78c5f6f27f9a73796b8a12878254439c07dd6d3b0e47"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const RequestLoginCodeDocument = {"__meta__":{"hash":"sha256:a04102640826a8fbca7a1e616c2f9e31e983644806e19ad0915ebd44a70c267f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestLoginCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestLoginCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestLoginCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RequestLoginCodeMutation, RequestLoginCodeMutationVariables>;
export const LoginWithCodeDocument = {"__meta__":{"hash":"sha256:f3af240bcc9276c890f14aad3d8f59e4fce417db5908bf44a756ea38ac36f861"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LoginWithCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginWithCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"loginWithCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LoginWithCodeMutation, LoginWithCodeMutationVariables>;
export const RefreshTokenDocument = {"__meta__":{"hash":"sha256:ba8d48a21705e976b6078a8d2dbb5b8632fd2c7ef0b61d79f72678cb3f97133d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const LogoutDocument = {"__meta__":{"hash":"sha256:5311c88872f7f0ff144daee4a43b402fbd0132176cbd1beec916aa2ea160490a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Logout"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LogoutInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logout"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = {"__meta__":{"hash":"sha256:3a8a7176273a296a167c84db346f8e6cf88f1c1f71a050d0c534647b145ef663"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"isAdmin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"realName"}},{"kind":"Field","name":{"kind":"Name","value":"age"}},{"kind":"Field","name":{"kind":"Name","value":"verified"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memberships"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"roleLabel"}},{"kind":"Field","name":{"kind":"Name","value":"community"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"proxies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relationLabel"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"realName"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const SitesDocument = {"__meta__":{"hash":"sha256:816a28f2562fe36cb1d7cee8e810ee555d73bd8f367ed0d169b1c9df5c2ec99b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Sites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"communityId"}},{"kind":"Field","name":{"kind":"Name","value":"serviceTypes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"durationMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"minAge"}},{"kind":"Field","name":{"kind":"Name","value":"maxAge"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<SitesQuery, SitesQueryVariables>;
export const SlotsDocument = {"__meta__":{"hash":"sha256:90d21ac573b237deb04e0084ec29cafb748953cc7e2b5b130230dd0ecf9cbb4d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Slots"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serviceTypeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serviceTypeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serviceTypeId"}}},{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"localDate"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}}]} as unknown as DocumentNode<SlotsQuery, SlotsQueryVariables>;
export const BookAppointmentDocument = {"__meta__":{"hash":"sha256:20573b2f854c1f453e01cc3fa1ffaab1b0d79ecdb49d2b6b356262e2b8aa303b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"BookAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BookAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bookAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"localDate"}},{"kind":"Field","name":{"kind":"Name","value":"personName"}},{"kind":"Field","name":{"kind":"Name","value":"icsUrl"}},{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<BookAppointmentMutation, BookAppointmentMutationVariables>;
export const CancelAppointmentDocument = {"__meta__":{"hash":"sha256:034c868205876faee986b8bc531b73277f2ed931ae70ffd2cb6828ef8bb5aad1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lateCancellation"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lateCancellation"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CancelAppointmentMutation, CancelAppointmentMutationVariables>;
export const MyAppointmentsDocument = {"__meta__":{"hash":"sha256:65de437fd8d02c05dedb5686ad38658941a047161ba23bab1c4527cb9b2a686d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyAppointments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myAppointments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"localDate"}},{"kind":"Field","name":{"kind":"Name","value":"lateCancellation"}},{"kind":"Field","name":{"kind":"Name","value":"cancelFreeUntil"}},{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"personName"}},{"kind":"Field","name":{"kind":"Name","value":"icsUrl"}},{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"serviceType"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"site"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"address"}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<MyAppointmentsQuery, MyAppointmentsQueryVariables>;
export const AppointmentsForDayDocument = {"__meta__":{"hash":"sha256:bd23ec7d2d36933aaee8600bc399b05a934936f7324b2b8709d7619758733ee1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AppointmentsForDay"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"siteId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointmentsForDay"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"siteId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"siteId"}}},{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"personName"}},{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"serviceType"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AppointmentsForDayQuery, AppointmentsForDayQueryVariables>;
export const MarkArrivedDocument = {"__meta__":{"hash":"sha256:867c422980f95ffe3e6fb5d5cc1dd34f5143c45b011e763e024566ce350abbe1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkArrived"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MarkArrivedInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markArrived"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MarkArrivedMutation, MarkArrivedMutationVariables>;
export const CheckInDocument = {"__meta__":{"hash":"sha256:b492fed2d93550cae8d0bdcea754bc05e400c9cf68a40dba43f916bd04cdbfbc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CheckInInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CheckInMutation, CheckInMutationVariables>;
export const MarkNoShowDocument = {"__meta__":{"hash":"sha256:5b8d3ca862b46fc9ef33f5f943c10a35552f0f7a16f01d71af1f32f964c2f849"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNoShow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MarkNoShowInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markNoShow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MarkNoShowMutation, MarkNoShowMutationVariables>;
export const SlotAvailabilityDocument = {"__meta__":{"hash":"sha256:26f2ec8cded131368fa16d7cbcbe34f519d84398e03d48112bb7d684606d5797"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SlotAvailability"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serviceTypeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slotAvailability"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serviceTypeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serviceTypeId"}}},{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}}]}}]}}]} as unknown as DocumentNode<SlotAvailabilitySubscription, SlotAvailabilitySubscriptionVariables>;
export const MyAppointmentUpdatesDocument = {"__meta__":{"hash":"sha256:88990b687a1368fb44d5ac8c110905e9b8c6a63c5583a17f427d16a03090b218"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MyAppointmentUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myAppointmentUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lateCancellation"}}]}}]}}]} as unknown as DocumentNode<MyAppointmentUpdatesSubscription, MyAppointmentUpdatesSubscriptionVariables>;
export const ElectionsDocument = {"__meta__":{"hash":"sha256:0be70eae9cc93bde1a71509b15aebdb2f416d3f5a8848e33112ba0c8595cecd7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Elections"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"elections"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"electionDay"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}},{"kind":"Field","name":{"kind":"Name","value":"rollSize"}},{"kind":"Field","name":{"kind":"Name","value":"slatePublishedOn"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ElectionsQuery, ElectionsQueryVariables>;
export const ElectionForVoterDocument = {"__meta__":{"hash":"sha256:0dbaf622aeef3dbcaa313cf8c3a371dacdff24911b8d18895050b657f927e0ab"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ElectionForVoter"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amIOnTheRoll"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"onRoll"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"slate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"post"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"position"}}]}},{"kind":"Field","name":{"kind":"Name","value":"electionBallot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"youVoted"}},{"kind":"Field","name":{"kind":"Name","value":"posts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"post"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}},{"kind":"Field","name":{"kind":"Name","value":"candidates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"post"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"electionTurnout"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"round"}},{"kind":"Field","name":{"kind":"Name","value":"rollSize"}},{"kind":"Field","name":{"kind":"Name","value":"voted"}}]}}]}}]} as unknown as DocumentNode<ElectionForVoterQuery, ElectionForVoterQueryVariables>;
export const CastBallotDocument = {"__meta__":{"hash":"sha256:f6f90c4be6bf7eef1defe3cd812626bb2dbc9301b680881e6b06608d4021cdee"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CastBallot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CastBallotInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"castBallot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"receipt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trackingCode"}},{"kind":"Field","name":{"kind":"Name","value":"round"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CastBallotMutation, CastBallotMutationVariables>;
export const VerifyBallotReceiptDocument = {"__meta__":{"hash":"sha256:43bc4a3cb7152c3d59017af1be6803c3ed30f7f219382cfa0c01acd2f1a87dd2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VerifyBallotReceipt"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyBallotReceipt"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"found"}},{"kind":"Field","name":{"kind":"Name","value":"round"}},{"kind":"Field","name":{"kind":"Name","value":"validPosts"}},{"kind":"Field","name":{"kind":"Name","value":"invalidPosts"}}]}}]}}]} as unknown as DocumentNode<VerifyBallotReceiptQuery, VerifyBallotReceiptQueryVariables>;
export const ElectionTurnoutDocument = {"__meta__":{"hash":"sha256:a87e5d3c80fa7e2c05d05c65d6585345b712c618b4e6c7a58271cd727a90238e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ElectionTurnout"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"electionTurnout"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"electionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"electionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"round"}},{"kind":"Field","name":{"kind":"Name","value":"rollSize"}},{"kind":"Field","name":{"kind":"Name","value":"voted"}}]}}]}}]} as unknown as DocumentNode<ElectionTurnoutSubscription, ElectionTurnoutSubscriptionVariables>;
export const ClosePollsDocument = {"__meta__":{"hash":"sha256:059a969cc48fad10830171930b1ffef19bf67f36d824ccf71b3654226b12a194"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ClosePolls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClosePollsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"closePolls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"round"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ClosePollsMutation, ClosePollsMutationVariables>;
export const CountVotesDocument = {"__meta__":{"hash":"sha256:7b8fa8df4b8942b799298a3abe0c5282490fde5d973b2e90c779c5e1f8cec98f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CountVotes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CountVotesInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countVotes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"bundleUrl"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CountVotesMutation, CountVotesMutationVariables>;
export const GroupsDocument = {"__meta__":{"hash":"sha256:e68f2e061c64cae93d9ffc24905cbf784fecc1df637a9690d2bb4bb3be96978d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Groups"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"venue"}},{"kind":"Field","name":{"kind":"Name","value":"schedule"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"badge"}}]}}]}}]}}]}}]} as unknown as DocumentNode<GroupsQuery, GroupsQueryVariables>;
export const MyGroupsDocument = {"__meta__":{"hash":"sha256:919f3a6dec660b78e09e664090dc210f9fe82dde36d1ca36e9d091d2a0ef4e8a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<MyGroupsQuery, MyGroupsQueryVariables>;
export const RequestToJoinGroupDocument = {"__meta__":{"hash":"sha256:5d0075a62e3db34ae88cb3969727851e519333dcb74b32a71f254413fa380879"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestToJoinGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestToJoinGroupInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestToJoinGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"request"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"groupId"}},{"kind":"Field","name":{"kind":"Name","value":"personName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RequestToJoinGroupMutation, RequestToJoinGroupMutationVariables>;
export const MyGroupUpdatesDocument = {"__meta__":{"hash":"sha256:35e4e4f00fbd0c18a7d3c3abf64c51d39d56fdd950f49137de2a75088d0c27d6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MyGroupUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myGroupUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]}}]}}]} as unknown as DocumentNode<MyGroupUpdatesSubscription, MyGroupUpdatesSubscriptionVariables>;
export const NoticesDocument = {"__meta__":{"hash":"sha256:4a4ad87a9253ebcb422b64bcbdd7416ef077953e6517fb325c8da3bb9a4d932a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Notices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notices"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<NoticesQuery, NoticesQueryVariables>;
export const PostNoticeDocument = {"__meta__":{"hash":"sha256:b22ab13c3c36bf6bdfa0ea4d6ea6149415b0fc1b26557b5ff6e2d11cf6f43bdd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PostNotice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PostNoticeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"postNotice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PostNoticeMutation, PostNoticeMutationVariables>;
export const NoticePostedDocument = {"__meta__":{"hash":"sha256:5a02a3336757b1f12feb2345a58c8523c9dd24079819d4bf073489f1a08a9cf0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"NoticePosted"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"noticePosted"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"body"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}}]}}]}}]} as unknown as DocumentNode<NoticePostedSubscription, NoticePostedSubscriptionVariables>;
export const MyVolunteerProfileDocument = {"__meta__":{"hash":"sha256:3f175711838b053152be73a3a745e2048588a4dad398bb821a1f10028fbe9220"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyVolunteerProfile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myVolunteerProfile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"skills"}}]}}]}}]} as unknown as DocumentNode<MyVolunteerProfileQuery, MyVolunteerProfileQueryVariables>;
export const RegisterVolunteerDocument = {"__meta__":{"hash":"sha256:f28a6e0710dd3911732a0e6948b3f1e132f822932b07d2e5de1e03efbb97b3b0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterVolunteer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterVolunteerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerVolunteer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"skills"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterVolunteerMutation, RegisterVolunteerMutationVariables>;
export const VolunteerActivitiesDocument = {"__meta__":{"hash":"sha256:0943ebec58b5eea667e4778d0fe5fb1afed2d43ce7e33a0ed6c2071a06c28ca2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VolunteerActivities"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volunteerActivities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"communityId"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"shifts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"place"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"localDate"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}},{"kind":"Field","name":{"kind":"Name","value":"waitlisted"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"fillLevel"}},{"kind":"Field","name":{"kind":"Name","value":"requiredSkills"}},{"kind":"Field","name":{"kind":"Name","value":"minAge"}},{"kind":"Field","name":{"kind":"Name","value":"adultsOnly"}},{"kind":"Field","name":{"kind":"Name","value":"cancelled"}}]}}]}}]}}]} as unknown as DocumentNode<VolunteerActivitiesQuery, VolunteerActivitiesQueryVariables>;
export const MyVolunteerShiftsDocument = {"__meta__":{"hash":"sha256:31c5ec20525c613ee569ae05a4ff75f1058d53752fe67b8cde5384264741597c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyVolunteerShifts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myVolunteerShifts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}},{"kind":"Field","name":{"kind":"Name","value":"personId"}},{"kind":"Field","name":{"kind":"Name","value":"shift"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"place"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"icsUrl"}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyVolunteerShiftsQuery, MyVolunteerShiftsQueryVariables>;
export const SignUpForShiftDocument = {"__meta__":{"hash":"sha256:e6516d6caf09559bacc3a0596393a3774ff867a156c6cf644e2c47382fe190b2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignUpForShift"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignUpForShiftInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signUpForShift"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signUp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}},{"kind":"Field","name":{"kind":"Name","value":"shift"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}},{"kind":"Field","name":{"kind":"Name","value":"waitlisted"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"fillLevel"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SignUpForShiftMutation, SignUpForShiftMutationVariables>;
export const WithdrawFromShiftDocument = {"__meta__":{"hash":"sha256:806eeea967721816da987db285e7f758ace7a57f512dec00296bae4df23269d6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WithdrawFromShift"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WithdrawFromShiftInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withdrawFromShift"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signUp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<WithdrawFromShiftMutation, WithdrawFromShiftMutationVariables>;
export const MyVolunteerHoursDocument = {"__meta__":{"hash":"sha256:6957045502f86ba8adca42a975e76578062caf4d03ef18f8b25aaf617d6bb51b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyVolunteerHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myVolunteerHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approvedHours"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"nextStarAtHours"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myVolunteerCertificates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"periodFrom"}},{"kind":"Field","name":{"kind":"Name","value":"periodTo"}},{"kind":"Field","name":{"kind":"Name","value":"hours"}},{"kind":"Field","name":{"kind":"Name","value":"revoked"}},{"kind":"Field","name":{"kind":"Name","value":"pdfUrl"}}]}}]}}]} as unknown as DocumentNode<MyVolunteerHoursQuery, MyVolunteerHoursQueryVariables>;
export const IssueVolunteerCertificateDocument = {"__meta__":{"hash":"sha256:abe400236d97326af0673d39f8cf8652179121e448f30cc58f73b78f0bff6cd9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IssueVolunteerCertificate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IssueVolunteerCertificateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issueVolunteerCertificate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"certificate"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"periodFrom"}},{"kind":"Field","name":{"kind":"Name","value":"periodTo"}},{"kind":"Field","name":{"kind":"Name","value":"hours"}},{"kind":"Field","name":{"kind":"Name","value":"revoked"}},{"kind":"Field","name":{"kind":"Name","value":"pdfUrl"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<IssueVolunteerCertificateMutation, IssueVolunteerCertificateMutationVariables>;
export const VolunteerShiftFillDocument = {"__meta__":{"hash":"sha256:1dd750ddcd1856ea82c5df045fbb8db8b9c4e5c0972127bc10819eb5387d7626"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"VolunteerShiftFill"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"activityId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volunteerShiftFill"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"activityId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"activityId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}},{"kind":"Field","name":{"kind":"Name","value":"waitlisted"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"fillLevel"}}]}}]}}]} as unknown as DocumentNode<VolunteerShiftFillSubscription, VolunteerShiftFillSubscriptionVariables>;
export const MyVolunteerUpdatesDocument = {"__meta__":{"hash":"sha256:caafc62bcd6c8fc053e7a851827ce42f6f0ce8c575cc19854828c907e5067e72"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MyVolunteerUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myVolunteerUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"signUpId"}}]}}]}}]} as unknown as DocumentNode<MyVolunteerUpdatesSubscription, MyVolunteerUpdatesSubscriptionVariables>;
export const CreateVolunteerActivityDocument = {"__meta__":{"hash":"sha256:efd882f0822a54850af8c2c683371c3d3d99e5f3c2927e41cd76a848a11be977"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateVolunteerActivity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateVolunteerActivityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createVolunteerActivity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateVolunteerActivityMutation, CreateVolunteerActivityMutationVariables>;
export const AddVolunteerShiftDocument = {"__meta__":{"hash":"sha256:979f649f6ef5791c7dfee6826158118ac9657f0c0a4d1ac9248013765fe2e3c3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddVolunteerShift"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddVolunteerShiftInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addVolunteerShift"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shift"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AddVolunteerShiftMutation, AddVolunteerShiftMutationVariables>;
export const PublishVolunteerActivityDocument = {"__meta__":{"hash":"sha256:459ad912ebdc956ad6905bd3cfd9f2d37fe64d393412fb87217731e655610d18"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishVolunteerActivity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PublishVolunteerActivityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishVolunteerActivity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PublishVolunteerActivityMutation, PublishVolunteerActivityMutationVariables>;