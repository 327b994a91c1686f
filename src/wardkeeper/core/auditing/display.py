"""Showing entries to people: each changed field as ``label: before → after``
with field names, choice labels and the names of related records.

Names are looked up when an entry is shown, never stored in it, so the hashed
content stays exactly what was recorded. The look-up costs one query per
related model on the page, whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wardkeeper.core.audit import MASK
from wardkeeper.core.models.audit import AuditAction, AuditEntry

MAX_NAMES = 10  # related names listed per value before "… and N more"
NAME_LOOKUP_LIMIT = 500  # ids resolved per related model and page


@dataclass(frozen=True)
class ChangeLine:
    """One changed field, ready to show."""

    label: str
    before: str
    after: str


_Plan = list[tuple[str, "models.Field[Any, Any] | None", Any, Any, Any]]


def describe(
    entries: Sequence[AuditEntry], *, limit: int = 160
) -> Sequence[AuditEntry]:
    """Give each entry ``change_lines``, ``object_type`` and ``object_url``."""
    plans: list[tuple[AuditEntry, type[models.Model] | None, _Plan]] = []
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = model_of(entry)
        plan: _Plan = []
        for key, values in (entry.changes or {}).items():
            before, after = _pair(values)
            field = _field(model, key)
            related = field.related_model if field is not None else None
            if isinstance(related, type) and issubclass(related, models.Model):
                wanted[related].update(_ids(before) + _ids(after))
            else:
                related = None
            plan.append((key, field, related, before, after))
        plans.append((entry, model, plan))
    names = _names(wanted)
    urls: dict[type[models.Model], bool] = {}
    for entry, model, plan in plans:
        entry.change_lines = [  # type: ignore[attr-defined]
            ChangeLine(
                _label(key, field),
                _text(before, field, names.get(related), limit),
                _text(after, field, names.get(related), limit),
            )
            for key, field, related, before, after in plan
        ]
        entry.object_type = (  # type: ignore[attr-defined]
            capfirst(model._meta.verbose_name) if model is not None else ""
        )
        entry.object_url = _object_url(entry, model, urls)  # type: ignore[attr-defined]
    return entries


def model_of(entry: AuditEntry) -> type[models.Model] | None:
    """The model an entry is about (no query when ``content_type`` was
    selected; otherwise Django's content-type cache answers)."""
    if entry.content_type_id is None:
        return None
    field = AuditEntry._meta.get_field("content_type")
    if field.is_cached(entry):
        content_type = entry.content_type
    else:
        content_type = ContentType.objects.get_for_id(entry.content_type_id)
    return content_type.model_class() if content_type is not None else None


def _pair(values: Any) -> tuple[Any, Any]:
    if isinstance(values, list | tuple) and len(values) == 2:
        return values[0], values[1]
    return None, values


def _field(
    model: type[models.Model] | None, name: str
) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _ids(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, int | str) and item != MASK]


def _names(
    wanted: dict[type[models.Model], set[Any]],
) -> dict[type[models.Model], dict[str, str]]:
    """``{model: {str(pk): str(obj)}}``, one query per model. ``select_related()``
    follows the non-null foreign keys, which is what ``__str__`` methods read."""
    names: dict[type[models.Model], dict[str, str]] = {}
    for model, ids in wanted.items():
        valid = _valid_pks(model, ids)
        if not valid:
            names[model] = {}
            continue
        rows = model._base_manager.select_related().filter(pk__in=valid)
        names[model] = {str(row.pk): str(row) for row in rows}
    return names


def _valid_pks(model: type[models.Model], ids: Iterable[Any]) -> list[Any]:
    """The ids that fit the model's key (an id recorded for a since-changed
    field must not break the page)."""
    pk_field = model._meta.pk
    valid = []
    for value in list(ids)[:NAME_LOOKUP_LIMIT]:
        try:
            valid.append(pk_field.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue
    return valid


def _label(key: str, field: models.Field[Any, Any] | None) -> str:
    if field is not None:
        return capfirst(str(field.verbose_name))
    return capfirst(key.replace("_", " "))


def _text(
    value: Any,
    field: models.Field[Any, Any] | None,
    names: dict[str, str] | None,
    limit: int,
) -> str:
    """A recorded value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if value == MASK:
        return MASK
    if names is not None:
        items = value if isinstance(value, list) else [value]
        return _join([names.get(str(item), f"#{item}") for item in items])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _local_time(value)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(texts: list[str]) -> str:
    shown = ", ".join(texts[:MAX_NAMES])
    if len(texts) > MAX_NAMES:
        shown += " " + _("… and %(count)s more") % {"count": len(texts) - MAX_NAMES}
    return shown


def _local_time(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "Y-m-d H:i")


def _object_url(
    entry: AuditEntry,
    model: type[models.Model] | None,
    known: dict[type[models.Model], bool],
) -> str:
    """The object's page, when it has one and still exists (not after delete)."""
    if model is None or not entry.object_id or entry.action == AuditAction.DELETE:
        return ""
    if known.get(model) is False:
        return ""
    meta = model._meta
    try:
        url = reverse(
            f"{meta.app_label}:{meta.model_name}-detail", args=[entry.object_id]
        )
    except NoReverseMatch:
        known[model] = False
        return ""
    known[model] = True
    return url
