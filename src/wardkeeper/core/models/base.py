from __future__ import annotations

from typing import Any, ClassVar, Self

from django.db import models, transaction


class AuditedModel(models.Model):
    """A model whose every create, change and delete lands in the audit trail,
    with the before and after value of each changed field.

    Recording sits in ``save()``/``delete()`` rather than in each caller so that
    no write path (form, API, CLI, import, task) can forget it; bulk paths call
    ``wardkeeper.core.audit`` themselves. See docs/decisions/0002-audit-trail.md.
    """

    # Fields left out of the diff (timestamps that change on every save).
    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    # Fields whose values are masked in the trail (secrets).
    audit_secret: ClassVar[frozenset[str]] = frozenset()

    _audit_snapshot: dict[str, Any] | None = None
    # Keyed digests of the secret fields as loaded, kept in memory only: a
    # change to a secret alone must still be recorded (as masked → masked).
    _secret_digests: dict[str, str] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        from wardkeeper.core import audit
        from wardkeeper.core.models.audit import AuditAction

        # A caller may name the action ("lifecycle") instead of plain "changed".
        action = kwargs.pop("audit_action", None)
        creating = self._state.adding
        before = None if creating else self._audit_snapshot
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            after = self.audit_values()
            changes = audit.diff(before, after)
            digests = self.secret_digests()
            if not creating and self._secret_digests is not None:
                for name, digest in digests.items():
                    if name not in changes and self._secret_digests.get(name) != digest:
                        changes[name] = [after[name], after[name]]
            if creating:
                audit.record(AuditAction.CREATE, self, changes=changes)
            elif changes:
                audit.record(action or AuditAction.UPDATE, self, changes=changes)
        self._audit_snapshot = after
        self._secret_digests = digests

    def secret_digests(self) -> dict[str, str]:
        """An HMAC of each loaded secret field's value (never stored)."""
        import hashlib
        import hmac

        from django.conf import settings

        key = settings.SECRET_KEY.encode()
        deferred = self.get_deferred_fields()
        return {
            field.name: hmac.new(
                key, str(getattr(self, field.attname)).encode(), hashlib.sha256
            ).hexdigest()
            for field in self._meta.concrete_fields
            if field.name in self.audit_secret and field.attname not in deferred
        }

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from wardkeeper.core import audit
        from wardkeeper.core.models.audit import AuditAction

        before = self.audit_values()
        with transaction.atomic(using=kwargs.get("using")):
            audit.record(
                AuditAction.DELETE,
                self,
                changes={key: [value, None] for key, value in before.items()},
            )
            return super().delete(*args, **kwargs)

    def audit_values(self) -> dict[str, Any]:
        """The current value of each audited field that is loaded (deferred
        fields are skipped: reading them would cost a query each)."""
        from wardkeeper.core.audit import MASK, jsonable

        deferred = self.get_deferred_fields()
        values: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            name = field.attname
            if (
                name in deferred
                or field.name in self.audit_exclude
                or field.primary_key
            ):
                continue
            value = getattr(self, name)
            values[field.name] = (
                MASK if field.name in self.audit_secret and value else jsonable(value)
            )
        return values

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = instance.audit_values()
        if instance.audit_secret:
            instance._secret_digests = instance.secret_digests()
        return instance
