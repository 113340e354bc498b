"""Booking tables (app label ``booking``).

Counters on Slot are what the database uses to hold capacity under concurrency (B3): the
service changes them only with conditional UPDATEs. Unique nullable keys on Appointment hold
the one-per-person rules (B6 daily key, one waitlist place per slot and person).
Never put a semicolon in a docstring here: Tortoise's migration writer breaks on it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from .rules import DEFAULTS, ServiceCategory, Status


def default_ladder() -> list[int]:
    return list(DEFAULTS.noshow_ladder)


class BookingSettings(Model):
    """Per-community booking settings (DOMAIN.md *settings*), defaults as rules.BookingSettings."""

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField(
        "core.Community", related_name="booking_settings", on_delete=fields.CASCADE, unique=True
    )
    min_days_ahead = fields.IntField(default=1)
    max_days_ahead = fields.IntField(default=14)
    one_per_day = fields.BooleanField(default=True)
    cancel_cutoff_days_before = fields.IntField(default=1)
    cancel_cutoff_minute = fields.IntField(default=16 * 60)  # minutes after local midnight
    noshow_ladder = fields.JSONField(default=default_ladder)
    noshow_grace_minutes = fields.IntField(default=24 * 60)
    elderly_age = fields.IntField(default=65)
    reserved_priority_seats = fields.IntField(default=0)
    offer_hold_minutes = fields.IntField(default=30)
    staff_bypass_window = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "booking_settings"


class Site(Model):
    """The community health service centre or one of its stations."""

    id = fields.BigIntField(primary_key=True)
    community = fields.ForeignKeyField(
        "core.Community", related_name="booking_sites", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    kind = fields.CharField(max_length=20, default="centre")  # centre | station
    address = fields.CharField(max_length=200, default="")
    code = fields.CharField(max_length=32, null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "booking_site"


class ServiceType(Model):
    """A service a site offers (B1), with its category, duration and eligibility."""

    id = fields.BigIntField(primary_key=True)
    site = fields.ForeignKeyField(
        "booking.Site", related_name="service_types", on_delete=fields.RESTRICT
    )
    community_id = fields.BigIntField(db_index=True)
    name = fields.CharField(max_length=100)
    category = fields.CharEnumField(ServiceCategory, max_length=20)
    duration_minutes = fields.IntField(default=15)
    min_age = fields.IntField(null=True)
    max_age = fields.IntField(null=True)
    requires_family_doctor_contract = fields.BooleanField(default=False)
    description = fields.TextField(default="")
    active = fields.BooleanField(default=True)
    code = fields.CharField(max_length=32, null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "booking_service_type"


class Schedule(Model):
    """A practitioner, team or room publishing a weekly pattern with exceptions (B2)."""

    id = fields.BigIntField(primary_key=True)
    service_type = fields.ForeignKeyField(
        "booking.ServiceType", related_name="schedules", on_delete=fields.RESTRICT
    )
    community_id = fields.BigIntField(db_index=True)
    resource = fields.CharField(max_length=100)  # who or where: a doctor, a team, a room
    weekly = fields.JSONField(default=list)  # [{weekday, start, end, slot_minutes, capacity}]
    overrides = fields.JSONField(default=list)  # [{day, windows: [...]}], no windows = closed
    created_by_account_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "booking_schedule"


class Slot(Model):
    """A bookable time with its capacity and the counters the database guards (B3, B8, B10).

    booked counts active appointments (pending waitlist holds included), booked_priority
    those of priority people, reserved the seats kept for priority people.
    """

    id = fields.BigIntField(primary_key=True)
    service_type = fields.ForeignKeyField(
        "booking.ServiceType", related_name="slots", on_delete=fields.RESTRICT
    )
    schedule = fields.ForeignKeyField(
        "booking.Schedule", related_name="slots", null=True, on_delete=fields.SET_NULL
    )
    community_id = fields.BigIntField()
    local_date = fields.DateField()
    start = fields.DatetimeField()
    end = fields.DatetimeField()
    capacity = fields.IntField()
    reserved = fields.IntField(default=0)
    booked = fields.IntField(default=0)
    booked_priority = fields.IntField(default=0)
    # schedule id and start, so generating a range twice adds nothing
    generation_key = fields.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table = "booking_slot"
        indexes = (("service_type_id", "local_date"),)


class Appointment(Model):
    """One appointment (FHIR Appointment) for a Person, made by an Account (B4, B5)."""

    id = fields.BigIntField(primary_key=True)
    slot = fields.ForeignKeyField(
        "booking.Slot", related_name="appointments", on_delete=fields.RESTRICT
    )
    service_type_id = fields.BigIntField()
    community_id = fields.BigIntField(db_index=True)
    local_date = fields.DateField()
    person = fields.ForeignKeyField(
        "core.Person", related_name="booking_appointments", on_delete=fields.RESTRICT
    )
    booked_by_account_id = fields.BigIntField(null=True)
    status = fields.CharEnumField(Status, max_length=20)
    priority = fields.BooleanField(default=False)  # counted in slot.booked_priority
    # B6: rules.daily_limit_key while active, NULL otherwise (NULLs never collide)
    daily_key = fields.CharField(max_length=80, null=True, unique=True)
    # one place per slot and person on the waitlist, NULL otherwise
    waitlist_key = fields.CharField(max_length=40, null=True, unique=True)
    joined_waitlist_at = fields.DatetimeField(null=True)
    # B8: while pending, the seat is held for this person until then (the offer deadline)
    hold_expires_at = fields.DatetimeField(null=True, db_index=True)
    offer_expired = fields.BooleanField(default=False)  # the hold lapsed unanswered
    late_cancellation = fields.BooleanField(default=False)
    cancelled_at = fields.DatetimeField(null=True)
    noshow_marked_at = fields.DatetimeField(null=True)
    sequence = fields.IntField(default=0)  # iCalendar SEQUENCE, raised on every change
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "booking_appointment"
        indexes = (("person_id", "status"), ("slot_id", "status"))


class StatusChange(Model):
    """Every status change of an appointment: from, to, who and when (B4)."""

    id = fields.BigIntField(primary_key=True)
    appointment = fields.ForeignKeyField(
        "booking.Appointment", related_name="changes", on_delete=fields.CASCADE
    )
    from_status = fields.CharField(max_length=20, null=True)
    to_status = fields.CharField(max_length=20)
    at = fields.DatetimeField()
    by_account_id = fields.BigIntField(null=True)  # NULL: the booking job (tick)
    by_how = fields.CharField(max_length=10, default="system")  # system, self, proxy, staff
    note = fields.CharField(max_length=60, default="")

    class Meta:
        table = "booking_status_change"


class PersonStanding(Model):
    """What booking knows about a person across appointments: ban (B9) and contract (B10)."""

    id = fields.BigIntField(primary_key=True)
    person = fields.ForeignKeyField(
        "core.Person", related_name="booking_standing", on_delete=fields.CASCADE, unique=True
    )
    banned_until = fields.DateField(null=True)
    family_doctor_contract = fields.BooleanField(default=False)
    version = fields.IntField(default=0)  # bumped first to serialize ban recomputation

    class Meta:
        table = "booking_person_standing"
