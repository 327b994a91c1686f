"""Paging and ordering of API lists: every list is paged, and pages never overlap."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``: 50 rows a page unless asked, never more than 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class StableOrderingFilter(OrderingFilter):
    """``?ordering=name,-id`` over the fields a view lists in ``ordering_fields``.

    The primary key always comes last: ordering by a column with repeated
    values (a status, a date) would otherwise let a row show up on two pages,
    or on none, as the database is free to break ties differently each time."""

    def filter_queryset(
        self, request: Any, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        chosen = self.get_ordering(request, queryset, view)
        ordering: list[Any] = list(
            chosen or queryset.query.order_by or queryset.model._meta.ordering
        )
        if ordering and not _is_unique(queryset.model, str(ordering[-1]).lstrip("-")):
            # A unique last term (the asset tag) already fixes the order; adding
            # the key after it would stop the database ordering by the index.
            ordering = [*ordering, "pk"]
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The ``ordering`` parameter, naming the fields this list orders by."""
        parameters = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, list | tuple):
            for parameter in parameters:
                parameter["description"] = (
                    "Comma-separated fields to order by; a leading '-' reverses. "
                    f"Fields: {', '.join(fields)}."
                )
        return parameters


def _is_unique(model: Any, name: str) -> bool:
    """Whether ``name`` is the primary key or a unique column of ``model``."""
    if name in ("pk", "id"):
        return True
    try:
        field = model._meta.get_field(name)
    except Exception:  # a related path such as "campus__name"
        return False
    return bool(getattr(field, "unique", False))
