"""Recording what ``AuditedModel.save()`` cannot see: many-to-many changes
(assets a contract covers, places a stocktake counts, a person's roles) and
changes to user accounts, whose model Django defines and we only extend.

``core/signals.py`` connects these; each records ``{field: [before, after]}``
like every other entry. Password hashes are never recorded, only masked.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.models.base import AuditedModel

# Signed-in time changes on every sign-in, which has its own entry.
USER_EXCLUDE = frozenset({"last_login"})
USER_SECRET = frozenset({"password"})
_PENDING = "_audit_m2m_before"
_USER_BEFORE = "_audit_user_before"


def is_audited(model: type[models.Model]) -> bool:
    """Whether changes to ``model`` belong in the trail."""
    return issubclass(model, AuditedModel) or model is get_user_model()


def _m2m_field(owner: type[models.Model], through: Any) -> Any:
    for field in owner._meta.many_to_many:
        if field.remote_field.through is through:
            return field
    return None


def _links(through: Any, field: Any, owner_ids: list[Any]) -> dict[Any, list[Any]]:
    """``{owner id: sorted target ids}`` for the given owners, in one query."""
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links: dict[Any, list[Any]] = {pk: [] for pk in owner_ids}
    rows = through._default_manager.filter(**{f"{source}__in": owner_ids})
    for owner_id, target_id in rows.values_list(source, target):
        links.setdefault(owner_id, []).append(target_id)
    return {pk: sorted(ids) for pk, ids in links.items()}


def m2m_before(
    instance: models.Model,
    through: Any,
    *,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
) -> None:
    """On ``pre_add/pre_remove/pre_clear``: remember the links as they were.

    The field belongs to the "owner" model (the one declaring it); changed
    from the other side (``asset.contracts.add(...)``) the owners are the
    objects named in ``pk_set``."""
    owner = model if reverse else type(instance)
    if not is_audited(owner):
        return
    field = _m2m_field(owner, through)
    if field is None:
        return
    if not reverse:
        owner_ids = [instance.pk]
    elif pk_set is not None:
        owner_ids = sorted(pk_set)
    else:  # clear() from the other side: every owner linked to this instance
        target = field.m2m_reverse_field_name()
        owner_ids = list(
            through._default_manager.filter(**{target: instance.pk}).values_list(
                field.m2m_field_name(), flat=True
            )
        )
    pending = instance.__dict__.setdefault(_PENDING, {})
    pending[through] = (owner, field, owner_ids, _links(through, field, owner_ids))


def m2m_after(instance: models.Model, through: Any, *, reverse: bool) -> None:
    """On ``post_add/post_remove/post_clear``: record each owner whose links
    changed, as ``{field: [ids before, ids after]}``."""
    pending = instance.__dict__.get(_PENDING, {}).pop(through, None)
    if pending is None:
        return
    owner, field, owner_ids, before = pending
    after = _links(through, field, owner_ids)
    changed = [pk for pk in owner_ids if before.get(pk, []) != after.get(pk, [])]
    if not changed:
        return
    if reverse:
        objects = owner._base_manager.in_bulk(changed)
    else:
        objects = {instance.pk: instance}
    audit.append(
        audit.build_entry(
            AuditAction.UPDATE,
            objects[pk],
            changes={field.name: [before.get(pk, []), after.get(pk, [])]},
        )
        for pk in changed
        if pk in objects
    )


def _user_fields() -> list[models.Field[Any, Any]]:
    return [
        field
        for field in get_user_model()._meta.concrete_fields
        if not field.primary_key and field.name not in USER_EXCLUDE
    ]


def _user_values(source: Any, fields: list[models.Field[Any, Any]]) -> dict[str, Any]:
    """Field values of a user (an instance or a ``values()`` row), unmasked."""
    if isinstance(source, dict):
        return {f.name: audit.jsonable(source[f.attname]) for f in fields}
    return {f.name: audit.jsonable(getattr(source, f.attname)) for f in fields}


def _masked(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Secrets show only that they were set or changed, never their value."""
    for name in USER_SECRET & changes.keys():
        before, after = changes[name]
        changes[name] = [
            audit.MASK if before else before,
            audit.MASK if after else after,
        ]
    return changes


def user_before_save(user: Any, update_fields: Any) -> None:
    """Read the stored row before a user is saved (skipped for saves that only
    touch excluded fields, such as the sign-in time)."""
    fields = _user_fields()
    if update_fields is not None:
        fields = [
            f for f in fields if f.name in update_fields or f.attname in update_fields
        ]
    stored = None
    if fields and user.pk is not None and not user._state.adding:
        stored = (
            type(user)
            ._base_manager.filter(pk=user.pk)
            .values(*[f.attname for f in fields])
            .first()
        )
    user.__dict__[_USER_BEFORE] = (fields, stored)


def user_after_save(user: Any, created: bool) -> None:
    """Record the account's creation, or the fields a save changed."""
    fields, stored = user.__dict__.pop(_USER_BEFORE, (None, None))
    if not fields:
        return
    after = _user_values(user, fields)
    if created:
        audit.record(AuditAction.CREATE, user, changes=_masked(audit.diff(None, after)))
        return
    if stored is None:
        return
    changes = audit.diff(_user_values(stored, fields), after)
    if changes:
        audit.record(AuditAction.UPDATE, user, changes=_masked(changes))


def user_deleted(user: Any) -> None:
    """Record the values an account held when it was deleted."""
    values = _user_values(user, _user_fields())
    audit.record(
        AuditAction.DELETE,
        user,
        changes=_masked({name: [value, None] for name, value in values.items()}),
    )
