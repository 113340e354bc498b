"""Volunteer test helpers (conftest puts this folder on sys.path)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from linli.testing import make_account

SH = ZoneInfo("Asia/Shanghai")


def gid(type_name: str, pk: Any) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":", 1)[1])


def sh(y, mo, d, h=0, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SH)


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


REGISTER = """mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) {
  profile { id skills personId } errors { code field message } } }"""
CREATE = """mutation($input: CreateVolunteerActivityInput!)
  { createVolunteerActivity(input: $input) {
  activity { id title status } errors { code field message } } }"""
ADD_SHIFT = """mutation($input: AddVolunteerShiftInput!) { addVolunteerShift(input: $input) {
  shift { id capacity confirmed fillLevel localDate } errors { code field message } } }"""
PUBLISH = """mutation($input: PublishVolunteerActivityInput!)
  { publishVolunteerActivity(input: $input) {
  activity { id status } errors { code message } } }"""
SIGN_UP = """mutation($input: SignUpForShiftInput!) { signUpForShift(input: $input) {
  signUp { id status waitlistPosition } errors { code field message } } }"""
WITHDRAW = """mutation($input: WithdrawFromShiftInput!) { withdrawFromShift(input: $input) {
  signUp { id status } errors { code message } } }"""
CONSENT = """mutation($input: GiveGuardianConsentInput!) { giveGuardianConsent(input: $input) {
  signUp { id status accompanied } errors { code message } } }"""
CANCEL_SHIFT = """mutation($input: CancelVolunteerShiftInput!)
  { cancelVolunteerShift(input: $input) {
  shift { id cancelled } errors { code message } } }"""
RECORD = """mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) {
  record { id status minutes } errors { code field message } } }"""
APPROVE = """mutation($input: ApproveVolunteerHoursInput!) { approveVolunteerHours(input: $input) {
  record { id status minutes } errors { code message } } }"""
REJECT = """mutation($input: RejectVolunteerHoursInput!) { rejectVolunteerHours(input: $input) {
  record { id status } errors { code message } } }"""
CORRECT = """mutation($input: CorrectVolunteerHoursInput!) { correctVolunteerHours(input: $input) {
  record { id kind status minutes correctsId } errors { code message } } }"""
CHECK_IN = """mutation($input: CheckInToShiftInput!) { checkInToShift(input: $input) {
  record { id status } errors { code message } } }"""
CHECK_OUT = """mutation($input: CheckOutOfShiftInput!) { checkOutOfShift(input: $input) {
  record { id status minutes } errors { code message } } }"""
MY_HOURS = """query($p: ID) { myVolunteerHours(personId: $p) { approvedHours stars nextStarAtHours
  records { id kind status minutes } } }"""
ISSUE = """mutation($input: IssueVolunteerCertificateInput!)
  { issueVolunteerCertificate(input: $input) {
  certificate { id number hours pdfUrl lines { activityTitle hours } } errors
  { code field message } } }"""
VERIFY = """query($n: String!) { verifyVolunteerCertificate(number: $n) { found number maskedName
  issuer periodFrom periodTo hours revoked } }"""
REDEEM = """mutation($input: RedeemTimeCoinsInput!) { redeemTimeCoins(input: $input) {
  account { coins } errors { code message } } }"""
TRANSFER = """mutation($input: TransferTimeCoinsInput!) { transferTimeCoins(input: $input) {
  account { coins } errors { code message } } }"""
ACCOUNT = """query($p: ID) { timeBankAccount(personId: $p) { coins entries { coins kind } } }"""

FILL = """subscription($a: ID!) { volunteerShiftFill(activityId: $a) {
  id confirmed waitlisted fillLevel } }"""
MINE = "subscription { myVolunteerUpdates { kind signUpId recordId } }"


@dataclass
class World:
    community: Any
    staff: Any

    @property
    def cid(self) -> str:
        return gid("Community", self.community.pk)

    async def volunteer(
        self,
        birth_date: dt.date | None = dt.date(1980, 1, 1),
        gql: Any = None,
        skills: list[str] | None = None,
    ) -> Any:
        made = await make_account("resident", self.community, birth_date=birth_date)
        if gql is not None:
            got = await gql.mutate(REGISTER, {"skills": skills or []}, token=made.token)
            assert got["errors"] == [], got
        return made

    async def activity(self, gql: Any, title: str = "社区消毒", publish: bool = True) -> str:
        got = await gql.mutate(
            CREATE, {"communityId": self.cid, "title": title}, token=self.staff.token
        )
        assert got["errors"] == [], got
        aid = got["activity"]["id"]
        if publish:
            done = await gql.mutate(PUBLISH, {"activityId": aid}, token=self.staff.token)
            assert done["errors"] == [], done
        return aid

    async def shift(
        self,
        gql: Any,
        activity_id: str,
        start: dt.datetime | None = None,
        hours: float = 3,
        capacity: int = 5,
        **extra: Any,
    ) -> str:
        start = start or sh(2026, 3, 7, 9)
        got = await gql.mutate(
            ADD_SHIFT,
            {
                "activityId": activity_id,
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=hours)).isoformat(),
                "capacity": capacity,
                "place": "番禺路社区广场",
                **extra,
            },
            token=self.staff.token,
        )
        assert got["errors"] == [], got
        return got["shift"]["id"]
