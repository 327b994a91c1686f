"""Paging and ordering of API lists: every list is paged, and pages never overlap.

Counting every row of a long list costs more than reading its page (90,000
assets in use: 15-20 ms on PostgreSQL, several times that when a filter joins
another table). So a list counts at most ``COUNT_CAP`` rows: up to there
``count`` is exact; past it ``count`` is a lower bound and ``count_exact`` is
false, which a client shows as "10,000 or more".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# The rows a list counts at most; past them its count is a lower bound.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows. Past the cap, a page is read one row
    longer to learn whether another page follows, and ``count`` is the larger
    of the cap and the rows seen up to that page (exact on the last page)."""

    cap = COUNT_CAP

    @cached_property
    def _tally(self) -> tuple[int, bool]:
        """(rows counted, whether that is all of them), in one query."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows), True
        counted = rows.order_by()[: self.cap + 1].count()
        return min(counted, self.cap), counted <= self.cap

    @cached_property
    def count(self) -> int:
        return self._tally[0]

    @cached_property
    def count_exact(self) -> bool:
        return self._tally[1]

    def validate_number(self, number: Any) -> int:
        if self.count_exact:
            return super().validate_number(number)
        # Not all counted: any page from 1 on may hold rows; page() finds out.
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if self.count_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        seen = bottom + len(rows)
        self.count_exact = len(rows) <= self.per_page  # the last page: all seen
        self.count = seen if self.count_exact else max(self.cap, seen)
        self.__dict__.pop("num_pages", None)  # worked out again from the count
        return Page(rows[: self.per_page], number, self)


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``: 50 rows a page unless asked, never more than 500.

    The body adds ``count_exact`` to DRF's: false when ``count`` is only the
    lower bound of a list longer than ``COUNT_CAP`` rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator
    # "page=last" needs the whole count; a client follows "next" instead.
    last_page_strings = ()

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None  # paginate_queryset() came first
        paginator: CappedPaginator = self.page.paginator  # type: ignore[assignment]
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = (
            f"Rows in the list; past {COUNT_CAP:,} a lower bound (see count_exact)."
        )
        exact = {
            "type": "boolean",
            "description": "False when count is only a lower bound: "
            "the list is longer than that.",
        }
        response["properties"] = {
            "count": properties.pop("count"),
            "count_exact": exact,
            **properties,
        }
        response["required"] = ["count", "count_exact", "results"]
        return response


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
