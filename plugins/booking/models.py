"""Booking tables (app label ``booking``).

Counters on Slot are what the database uses to hold capacity under concurrency (B3): the
service changes them only with conditional UPDATEs. Unique nullable keys on Appointment hold
the one-per-person rules (B6 daily key, one waitlist place per slot and person).
Never put a semicolon in a docstring here: Tortoise's migration writer breaks on it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field, model_validator
from tortoise import fields
from tortoise.models import Model

from linli.core import kit

from . import rules
from .rules import ServiceCategory, Status


class Settings(kit.CommunitySettings):
    """Per-community booking settings (DOMAIN.md *settings*), with DOMAIN.md's defaults."""

    plugin: ClassVar[str] = "booking"

    min_days_ahead: int = Field(1, ge=0, le=366, description="B6: the nearest local day ahead.")
    max_days_ahead: int = Field(14, ge=0, le=366, description="B6: the furthest local day ahead.")
    one_per_day: bool = Field(
        True, description="B6: one active appointment per person, service type and day."
    )
    cancel_cutoff_days_before: int = Field(
        1, ge=0, le=30, description="B7: free cancellation ends this many days before."
    )
    cancel_cutoff_minute: int = Field(
        16 * 60, ge=0, lt=24 * 60, description="Minutes after local midnight."
    )
    noshow_ladder: list[int] = Field(
        [30, 60, 90], min_length=1, description="B9: ban days for the 1st, 2nd, 3rd+ no-show."
    )
    noshow_grace_minutes: int = Field(
        24 * 60, ge=0, description="B4: how long staff may turn a no-show into arrived."
    )
    elderly_age: int = Field(65, ge=0, le=150, description="B10: priority from this age.")
    reserved_priority_seats: int = Field(0, ge=0, description="B10: seats kept per slot.")
    offer_hold_minutes: int = Field(30, ge=1, description="B8: how long an offer holds.")
    staff_bypass_window: bool = Field(
        True,
        description="Staff booking for a resident may book inside the minimum lead "
        "(the same day); the furthest day still applies.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.min_days_ahead > self.max_days_ahead:
            raise ValueError("min_days_ahead must not pass max_days_ahead")
        if any(days < 1 for days in self.noshow_ladder):
            raise ValueError("every noshow_ladder step is at least one day")
        return self

    def for_rules(self, tz: str) -> rules.BookingSettings:
        """The rules' view of these settings in the community's zone ``tz``."""
        minute = self.cancel_cutoff_minute
        return rules.BookingSettings(
            tz=tz,
            min_days_ahead=self.min_days_ahead,
            max_days_ahead=self.max_days_ahead,
            one_per_day=self.one_per_day,
            cancel_cutoff=rules.Cutoff(
                self.cancel_cutoff_days_before, dt.time(minute // 60, minute % 60)
            ),
            noshow_ladder=tuple(self.noshow_ladder),
            noshow_grace=dt.timedelta(minutes=self.noshow_grace_minutes),
            elderly_age=self.elderly_age,
            reserved_priority_seats=self.reserved_priority_seats,
            offer_hold=dt.timedelta(minutes=self.offer_hold_minutes),
            staff_bypass_window=self.staff_bypass_window,
        )


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


class StatusChange(kit.StatusHistory):
    """Every status change of an appointment: from, to, who and when (B4)."""

    # The columns are the kit's StatusHistory, written by its status machine.

    appointment = fields.ForeignKeyField(
        "booking.Appointment", related_name="changes", on_delete=fields.CASCADE
    )

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
