"""A status machine: the allowed transitions as data, and one call that moves a row.

``move`` is the guarded transition every module needs (an appointment, a sign-up, a filing,
an election): a conditional ``UPDATE … SET status = target WHERE pk = ? AND status =
current`` (so of two concurrent transitions one wins and the other is refused with
INVALID_TRANSITION), a history row with who and when, the audit line and the events, all in
one transaction (events go out after its commit; each is a declared ``EventType`` of
linli.core.topics with its payload)::

    machine = StatusMachine(
        Appointment,
        {None: {"booked"}, "booked": {"arrived", "cancelled"}, "arrived": {"fulfilled"}},
        history=StatusChange,          # a model subclassing StatusHistory
        history_key="appointment_id",  # its foreign key to the row
        field="appointmentId",         # the input field a refusal names
    )

    await machine.move(
        appointment, "cancelled", by=who, changes={"cancelled_at": at},
        audit="booking.cancel", events=[(APPOINTMENT_CHANGED, payload)],
    )

Rules that depend on more than the two statuses (who may, until when) stay in the plugin's
rules.py and run before ``move``; the machine knows only which edges exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tortoise import fields
from tortoise.models import Model

from linli.core import audit as audit_log
from linli.core import db, events
from linli.core.actor import Actor
from linli.core.clock import now
from linli.core.errors import Refused
from linli.core.identity.access import ActingFor
from linli.core.kit.unique import update_unless_taken

_AS_READ = object()


class StatusHistory(Model):
    """The columns of a status history row; subclass it with a foreign key to your row::

    class StatusChange(StatusHistory):
        appointment = fields.ForeignKeyField("booking.Appointment", related_name="changes")
    """

    id = fields.BigIntField(primary_key=True)
    from_status = fields.CharField(max_length=20, null=True)
    to_status = fields.CharField(max_length=20)
    at = fields.DatetimeField()
    by_account_id = fields.BigIntField(null=True)  # NULL: the system (a periodic task)
    by_how = fields.CharField(max_length=10, default="system")  # system, self, proxy, staff
    note = fields.CharField(max_length=60, default="")

    class Meta:
        abstract = True


def who_acted(by: ActingFor | Actor | None) -> tuple[int | None, str]:
    """(account id, how) for a history row: an ActingFor says how (self, proxy, staff), a bare
    Actor is staff acting on the day, None is the system."""
    if isinstance(by, ActingFor):
        return by.actor.account_id, by.how
    if by is not None:
        return by.account_id, "staff"
    return None, "system"


class StatusMachine:
    """The transitions of ``model.status`` (``None`` is "new"), and the guarded move."""

    def __init__(
        self,
        model: Any,
        transitions: Mapping[str | None, Iterable[str]],
        *,
        history: Any = None,
        history_key: str = "",
        status: str = "status",
        field: str | None = None,
        code: str = "INVALID_TRANSITION",
    ) -> None:
        self.model = model
        self.transitions = {
            _plain(before): frozenset(_plain(after) for after in afters)
            for before, afters in transitions.items()
        }
        self.history = history
        self.history_key = history_key
        self.status = status
        self.field = field
        self.code = code

    def allows(self, current: Any, target: Any) -> bool:
        return _plain(target) in self.transitions.get(_plain(current), frozenset())

    def refusal(self) -> Refused:
        return Refused(self.code, field=self.field)

    def check(self, current: Any, target: Any) -> None:
        """Refused(INVALID_TRANSITION) unless current → target is an edge."""
        if not self.allows(current, target):
            raise self.refusal()

    async def move(
        self,
        row: Any,
        target: Any,
        *,
        expect: Any = _AS_READ,
        by: ActingFor | Actor | None = None,
        note: str = "",
        changes: Mapping[str, Any] | None = None,
        guard: Mapping[str, Any] | None = None,
        audit: str | None = None,
        audit_detail: Mapping[str, Any] | None = None,
        events: Iterable[tuple[Any, dict[str, Any]]] = (),
        lost: Refused | None = None,
        taken: Refused | None = None,
    ) -> None:
        """``row`` from its current status to ``target``, guarded by that status (and by
        ``guard``, more filters), with ``changes`` to other columns in the same UPDATE.
        ``expect`` is the status the row must be in (default: its status as read).

        Refused: INVALID_TRANSITION when the edge does not exist or another transaction moved
        the row first (``lost`` to say it otherwise, e.g. OFFER_EXPIRED); ``taken`` when the
        changes collide with a unique key (the UPDATE runs in a savepoint then). ``audit``
        writes the audit line: an ActingFor records it when acting for someone else (its
        ``record``), a bare Actor always. The row's status is ``target`` afterwards; other
        changed columns are refreshed by the caller if it needs them.
        """
        current = getattr(row, self.status) if expect is _AS_READ else expect
        self.check(current, target)
        values = {self.status: target, **(changes or {})}
        query = self.model.filter(pk=row.pk, **{self.status: current}, **(guard or {}))
        async with db.atomic():
            if taken is not None:
                changed = await update_unless_taken(query, refuse=taken, **values)
            else:
                changed = await query.update(**values)
            if changed != 1:
                raise lost or self.refusal()
            setattr(row, self.status, target)
            await self._after(row, current, target, by, note, audit, audit_detail, events)

    async def created(
        self,
        row: Any,
        *,
        by: ActingFor | Actor | None = None,
        note: str = "",
        audit: str | None = None,
        audit_detail: Mapping[str, Any] | None = None,
        events: Iterable[tuple[Any, dict[str, Any]]] = (),
    ) -> None:
        """The history, audit and events of a row just inserted (new → its status)."""
        target = getattr(row, self.status)
        self.check(None, target)
        await self._after(row, None, target, by, note, audit, audit_detail, events)

    async def _after(
        self,
        row: Any,
        before: Any,
        after: Any,
        by: ActingFor | Actor | None,
        note: str,
        audit: str | None,
        audit_detail: Mapping[str, Any] | None,
        published: Iterable[tuple[Any, dict[str, Any]]],
    ) -> None:
        if self.history is not None:
            account_id, how = who_acted(by)
            await self.history.create(
                **{self.history_key: row.pk},
                from_status=None if before is None else _plain(before),
                to_status=_plain(after),
                at=now(),
                by_account_id=account_id,
                by_how=how,
                note=note,
            )
        if audit is not None:
            detail = dict(audit_detail or {})
            if isinstance(by, ActingFor):
                await by.record(audit, obj=row, **detail)
            elif by is not None:
                detail.setdefault("community_id", getattr(row, "community_id", None))
                await audit_log.record(by, audit, obj=row, **detail)
        for event, payload in published:
            if isinstance(event, str):
                await events.publish(event, payload)
            else:  # a declared EventType (linli.core.topics)
                await event.publish(**payload)


def _plain(status: Any) -> Any:
    """A status as stored: an enum's value, a str as is, None for "new"."""
    return getattr(status, "value", status)
