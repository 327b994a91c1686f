"""Building blocks shared by every area's serializers.

``CompactRelatedField`` writes a relation as the related row's id and reads it
as ``{"id", "name"}``; ``CleanModelSerializer`` runs the model's own validation
(``clean()``, unique checks, constraints) so that a rule kept in the model comes
back as a field error in the standard error body, never as a server error.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings


class CompactSerializer(serializers.Serializer[Any]):
    """How a related row reads: its id and the name a person recognises."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class CompactRelatedField(serializers.PrimaryKeyRelatedField[Any]):
    """A relation written as the related row's id and read as ``{"id", "name"}``.

    The name is ``str()`` of the row: the queryset behind a list must
    ``select_related`` whatever that needs, or each row costs a query."""

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value: Any) -> dict[str, Any]:
        return {"id": value.pk, "name": str(value)}

    def to_internal_value(self, data: Any) -> Any:
        # Accept the object as read, so a client can send back what it got.
        if isinstance(data, dict) and "id" in data:
            data = data["id"]
        return super().to_internal_value(data)


class CompactRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """Tells the OpenAPI schema that the field is an id on write, an object on read."""

    target_class = CompactRelatedField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return auto_schema.resolve_serializer(CompactSerializer, direction).ref


def choice_display(source: str) -> serializers.CharField:
    """A read-only field with the label of a choice field, in the reader's language."""
    return serializers.CharField(source=f"get_{source}_display", read_only=True)


def field_errors(exc: DjangoValidationError) -> dict[str, Any]:
    """A model's ValidationError as DRF error details keyed by field name."""
    detail = get_error_detail(exc)
    if not isinstance(detail, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
        for key, value in detail.items()
    }


class CleanModelSerializer(serializers.ModelSerializer[Any]):
    """A model serializer that also runs the model's ``full_clean()``.

    The check runs on a copy of the instance with the new values applied, so a
    refused change leaves the row as it was. Fields the serializer does not
    write are left out of the field checks: the client cannot fix them."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: type[Model] = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if not field.many_to_many:
                setattr(candidate, name, value)
        writable = {field.source for field in self._writable_fields}
        exclude = [
            field.name
            for field in model._meta.concrete_fields
            if field.name not in writable
        ]
        try:
            candidate.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(field_errors(exc)) from exc
        return attrs
