"""Identity rules as plain functions of plain data: no I/O, no clock (times are arguments).

Phone numbers, resident ID numbers (公民身份号码, GB 11643-1999), passwords, ages, the token
and code policy, and who may grant which role.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers

from linli.core.errors import Refused

ACCESS_TOKEN_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=30)
CODE_TTL = timedelta(minutes=5)
CODE_DIGITS = 6
CODE_MAX_TRIES = 5
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
DEFAULT_REGION = "CN"

STAFF_ROLES = frozenset({"staff", "admin"})


# ---------------------------------------------------------------- phone numbers


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form of a phone number (+86 when no country code is given).

    Raises Refused(INVALID_PHONE, field="phone") for anything that is not a valid number.
    """
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise Refused("INVALID_PHONE", field="phone")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise Refused("INVALID_PHONE", field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise Refused("INVALID_PHONE", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """+8613800138000 -> +86138****8000, for logs and messages."""
    if len(phone) < 8:
        return "****"
    return phone[:-8] + "****" + phone[-4:]


# ---------------------------------------------------------------- ID numbers

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdNumber:
    """A validated resident ID number. Never log it, never return it: hash it and forget it."""

    value: str
    birth_date: date

    def __repr__(self) -> str:  # so that a traceback or a log line never shows it
        return f"IdNumber(****{self.last4})"

    __str__ = __repr__

    @property
    def last4(self) -> str:
        return self.value[-4:]


def parse_id_number(raw: str) -> IdNumber:
    """Validate an 18-character resident ID number (checksum and birth date).

    Raises Refused(INVALID_ID_NUMBER, field="idNumber"); the message never repeats the input.
    """
    value = (raw or "").strip().upper().replace(" ", "")
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise Refused("INVALID_ID_NUMBER", field="idNumber")
    if id_check_char(value[:17]) != value[17]:
        raise Refused("INVALID_ID_NUMBER", field="idNumber")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise Refused("INVALID_ID_NUMBER", field="idNumber") from exc
    if born.year < 1900:
        raise Refused("INVALID_ID_NUMBER", field="idNumber")
    return IdNumber(value, born)


def hash_id_number(id_number: IdNumber, secret_key: str) -> str:
    """HMAC-SHA256 of the normalized ID number with the server's key (hex, 64 characters)."""
    return hmac.new(
        secret_key.encode(), b"id-number:" + id_number.value.encode(), hashlib.sha256
    ).hexdigest()


def check_birth_date(
    id_number: IdNumber | None, birth_date: date | None, today: date
) -> date | None:
    """The person's birth date: the one given, or the one in the ID number; they must agree
    and lie in the past."""
    if id_number is not None:
        if birth_date is not None and birth_date != id_number.birth_date:
            raise Refused("BIRTH_DATE_MISMATCH", field="birthDate")
        birth_date = id_number.birth_date
    if birth_date is not None and (birth_date > today or birth_date.year < 1900):
        raise Refused("INVALID_INPUT", field="birthDate", detail="birthDate")
    return birth_date


# ---------------------------------------------------------------- ages and local dates


def age_on(birth_date: date | None, on: date) -> int | None:
    """Whole years completed on ``on`` (born 29 February: a year completes on 1 March)."""
    if birth_date is None:
        return None
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def local_date(at: datetime, time_zone: str) -> date:
    return at.astimezone(ZoneInfo(time_zone)).date()


# ---------------------------------------------------------------- passwords


def check_password_policy(password: str, field: str = "password") -> None:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH:
        raise Refused("PASSWORD_TOO_SHORT", field=field, min=PASSWORD_MIN_LENGTH)
    if len(password) > PASSWORD_MAX_LENGTH:
        raise Refused("PASSWORD_TOO_LONG", field=field, max=PASSWORD_MAX_LENGTH)


# ---------------------------------------------------------------- tokens and codes


def new_secret_token() -> str:
    """An opaque refresh token (256 bits)."""
    return secrets.token_urlsafe(32)


def new_family() -> str:
    return secrets.token_hex(16)


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for one purpose (refresh token, login code)."""
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def new_login_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_matches(secret_key: str, phone: str, code: str, code_hash: str) -> bool:
    candidate = keyed_hash(secret_key, "login-code", f"{phone}:{(code or '').strip()}")
    return hmac.compare_digest(candidate, code_hash)


def window_start(now: datetime, seconds: int) -> datetime:
    """The start of the fixed throttling window ``now`` falls in."""
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


# ---------------------------------------------------------------- roles


def may_assign_role(assigner_roles: frozenset[str], is_admin: bool, role: str) -> bool:
    """Staff assign resident and volunteer in their community; staff and admin need an admin
    (a global one, or the community's)."""
    if is_admin or "admin" in assigner_roles:
        return True
    return "staff" in assigner_roles and role in ("resident", "volunteer")


# ---------------------------------------------------------------- the person facts modules need


@dataclass(frozen=True)
class PersonFacts:
    """What modules need about a person: no name, no ID number."""

    id: int
    community_id: int
    area_id: int | None
    time_zone: str
    birth_date: date | None
    disabled: bool
    verified: bool
    local_today: date

    def age(self, on: date | None = None) -> int | None:
        """Age on a local date (default: today in the person's community)."""
        return age_on(self.birth_date, on or self.local_today)

    def at_least(self, years: int, on: date | None = None) -> bool:
        age = self.age(on)
        return age is not None and age >= years
