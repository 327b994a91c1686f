"""Recording the audit trail.

Who is acting, from where, comes from an ``AuditContext`` set once at the edge
(the request middleware, the CLI, the task runner, the importer); the places
that write rows only say what changed. Appending takes a lock on the chain head
so the hash chain grows one entry at a time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from wardkeeper.core.models.audit import (
    GENESIS,
    AuditAction,
    AuditChainHead,
    AuditEntry,
    AuditSource,
    hash_of,
)

__all__ = [
    "GENESIS",
    "MASK",
    "AuditContext",
    "Event",
    "append",
    "append_events",
    "build_entry",
    "record",
    "record_created",
]
MASK = "••••••"

ActorRef = Any  # a User, None, or a callable returning one (resolved late)


@dataclass(frozen=True)
class AuditContext:
    source: str = AuditSource.SYSTEM
    actor: ActorRef = None
    client_ip: str | None = None
    reason: str = ""

    def resolve_actor(self) -> Any:
        actor = self.actor() if callable(self.actor) else self.actor
        if actor is None or not getattr(actor, "is_authenticated", False):
            return None
        return actor


_DEFAULT = AuditContext()
_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    return _context.get() or _DEFAULT


@contextmanager
def audit_context(**changes: Any) -> Iterator[AuditContext]:
    """Run a block with some of the context's fields replaced (source, actor, …)."""
    context = replace(current(), **changes)
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


def jsonable(value: Any) -> Any:
    """A stable JSON form of a field value: what the hash covers must read back
    identically from every database."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return str(value)


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for each field whose value changed."""
    if before is None:
        return {
            key: [None, value]
            for key, value in after.items()
            if value not in (None, "", [], {})
        }
    return {
        key: [before[key], value]
        for key, value in after.items()
        if key in before and before[key] != value
    }


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def build_entry(
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    message: str = "",
    context: AuditContext | None = None,
    flagged: bool = False,
) -> AuditEntry:
    """An unsaved entry for ``obj`` in the current context (see ``append``)."""
    context = context or current()
    actor = context.resolve_actor()
    ip = context.client_ip
    if ip and ":" in ip:
        ip = clean_ipv6_address(ip)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        source=context.source,
        client_ip=ip or None,
        action=action,
        changes=changes or {},
        message=message or context.reason,
        flagged=flagged or bool(getattr(actor, "is_break_glass", False)),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(
            obj, for_concrete_model=True
        )
        entry.object_id = str(obj.pk)
        entry.object_repr = _short(str(obj), 255)
    return entry


def append(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Chain and store entries, in one transaction holding the chain head."""
    batch = list(entries)
    if not batch:
        return batch
    with _locked_head() as head:
        previous = head.hash
        for entry in batch:
            entry.prev_hash = previous
            entry.hash = previous = entry.compute_hash()
        AuditEntry.objects.bulk_create(batch, batch_size=2000)
        AuditChainHead.objects.filter(pk=1).update(
            hash=previous,
            entries=F("entries") + len(batch),
            last_id=_newest_id(batch),
        )
    return batch


def _newest_id(batch: list[AuditEntry]) -> int:
    """The id of the batch's last entry. Both databases return ids from a bulk
    insert; the fallback reads it back, which is safe while the head is locked."""
    if batch[-1].pk is not None:
        return int(batch[-1].pk)
    return _last_stored_id()


def _last_stored_id() -> int:
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return int(newest or 0)


@contextmanager
def _locked_head() -> Iterator[AuditChainHead]:
    """The chain head, locked until the enclosing transaction ends."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            # An emptied database (migrate seeds the head): create it once;
            # get_or_create absorbs a concurrent creator, then lock it.
            AuditChainHead.objects.get_or_create(pk=1, defaults={"hash": GENESIS})
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        yield head


class Event(NamedTuple):
    """One thing to record in bulk: what was done to which record."""

    action: str
    obj: models.Model
    changes: dict[str, Any]
    message: str = ""


# Rows per INSERT statement of the bulk path (SQLite; PostgreSQL uses COPY).
LEAN_BATCH = 2000


def append_events(
    events: Iterable[Event], *, context: AuditContext | None = None
) -> int:
    """Chain and store one entry per event, as ``append`` does, but without an
    ``AuditEntry`` instance per entry: the canonical content is built as plain
    data, hashed in one pass and written with ``COPY`` or ``executemany``. For
    tens of thousands of records at once (the demo, large imports), where the
    ORM's per-instance work cost several times the database's. Every entry of
    the batch carries the same time and context. Returns how many were stored."""
    at = timezone.now()
    contents = _contents(events, context or current(), at)
    if not contents:
        return 0
    with _locked_head() as head:
        previous = head.hash
        for content in contents:
            content["prev_hash"] = previous
            content["hash"] = previous = hash_of(content)
        _insert(contents, at)
        AuditChainHead.objects.filter(pk=1).update(
            hash=previous,
            entries=F("entries") + len(contents),
            last_id=_last_stored_id(),
        )
    return len(contents)


def _contents(
    events: Iterable[Event], context: AuditContext, at: dt.datetime
) -> list[dict[str, Any]]:
    """The canonical content of each event's entry, without its hashes."""
    template = build_entry("", context=context)
    shared = {
        "at": at.isoformat(),
        "actor_id": template.actor_id,
        "actor_name": template.actor_name,
        "source": template.source,
        "client_ip": template.client_ip,
        "flagged": template.flagged,
    }
    types: dict[type[models.Model], int] = {}
    contents = []
    for action, obj, changes, message in events:
        kind = type(obj)
        if kind not in types:
            types[kind] = ContentType.objects.get_for_model(
                obj, for_concrete_model=True
            ).pk
        contents.append(
            {
                **shared,
                "action": action,
                "content_type_id": types[kind],
                "object_id": str(obj.pk),
                "object_repr": _short(str(obj), 255),
                "changes": changes,
                "message": message or context.reason,
            }
        )
    return contents


def record_created(
    objs: Iterable[models.Model],
    *,
    message: str = "",
    context: AuditContext | None = None,
) -> int:
    """One "created" entry per saved object, with its initial field values,
    through the bulk path (``append_events``)."""
    return append_events(
        (
            Event(AuditAction.CREATE, obj, diff(None, _values(obj)), message)
            for obj in objs
        ),
        context=context,
    )


def _values(obj: models.Model) -> dict[str, Any]:
    audit_values = getattr(obj, "audit_values", None)
    return audit_values() if audit_values else {}


def _insert(contents: list[dict[str, Any]], at: dt.datetime) -> None:
    """Write chained entries as rows of the audit table, values converted as
    their fields convert them (the time once: every entry shares it)."""
    meta = AuditEntry._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    at_value = meta.get_field("at").get_db_prep_save(at, connection)
    ip_field = meta.get_field("client_ip")
    ip_value = ip_field.get_db_prep_save(contents[0]["client_ip"], connection)
    changes_field = meta.get_field("changes")

    def row(content: dict[str, Any]) -> list[Any]:
        values = {
            **content,
            "at": at_value,
            "client_ip": ip_value,
            "changes": changes_field.get_db_prep_save(content["changes"], connection),
        }
        return [values[f.attname] for f in fields]

    quote = connection.ops.quote_name
    target = "{} ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for content in contents:
                    copy.write_row(row(content))
            return
        placeholders = ", ".join(["%s"] * len(fields))
        for start in range(0, len(contents), LEAN_BATCH):
            cursor.executemany(
                f"INSERT INTO {target} VALUES ({placeholders})",
                [row(c) for c in contents[start : start + LEAN_BATCH]],
            )


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    message: str = "",
    flagged: bool = False,
) -> AuditEntry:
    """Record one event now, in the current context."""
    entry = build_entry(action, obj, changes=changes, message=message, flagged=flagged)
    return append([entry])[0]


def record_lifecycle(
    obj: models.Model, changes: dict[str, Any], reason: str
) -> AuditEntry:
    return record(AuditAction.LIFECYCLE, obj, changes=changes, message=reason)


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Entries about ``obj``, newest first."""
    return AuditEntry.objects.for_object(obj).select_related("actor")


SnapshotFn = Callable[[models.Model], dict[str, Any]]
