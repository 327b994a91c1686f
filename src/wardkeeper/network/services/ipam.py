"""Address management over the keys of network/addressing.py: which
addresses of a prefix are usable, how many are used, the next free address
and the next free prefix of a length, the prefix tree, and the duplicates
and overlaps a plan should not have.

Every question is an indexed range comparison on the keys; nothing loads
all the addresses of a big prefix. "Next free" walks the sorted used keys
from the start of the prefix and stops at the first gap.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.network import addressing
from wardkeeper.network.choices import AddressStatus
from wardkeeper.network.models import IPAddress, Prefix

# Above this many usable addresses a percentage says nothing (a /64 is 2^64):
# pages show the count of used addresses instead.
PERCENT_LIMIT = 1 << 24
MAX_ASSIGN = 256  # addresses one "assign next free" may create


class NoFreeSpace(DomainError):
    code = "full"


def _bits(family: int) -> int:
    return 32 if family == 4 else 128


def _excludes_ends(prefix: Prefix) -> bool:
    """IPv4 loses its network and broadcast addresses below /31 (RFC 3021);
    IPv6 loses its Subnet-Router anycast (first) address below /127. A pool
    (NAT, DHCP range) uses every address."""
    if prefix.is_pool:
        return False
    return prefix.length < (31 if prefix.family == 4 else 127)


def usable_bounds(prefix: Prefix) -> tuple[int, int]:
    """The first and last usable address of ``prefix``, as key integers."""
    first, last = int(prefix.first, 16), int(prefix.last, 16)
    if _excludes_ends(prefix):
        first += 1
        if prefix.family == 4:
            last -= 1
    return first, last


def usable_count(prefix: Prefix) -> int:
    first, last = usable_bounds(prefix)
    return max(0, last - first + 1)


def _key(value: int) -> str:
    return f"{value:032x}"


def addresses_in(prefix: Prefix) -> QuerySet[IPAddress]:
    """Addresses whose key falls in the prefix (uses the key index)."""
    return IPAddress.objects.filter(
        family=prefix.family, key__gte=prefix.first, key__lte=prefix.last
    )


def used_count(prefix: Prefix) -> int:
    """Distinct usable addresses of ``prefix`` that are recorded."""
    first, last = usable_bounds(prefix)
    return (
        IPAddress.objects.filter(
            family=prefix.family, key__gte=_key(first), key__lte=_key(last)
        )
        .values("key")
        .distinct()
        .count()
    )


def with_usage(prefixes: QuerySet[Prefix]) -> QuerySet[Prefix]:
    """Annotate ``in_span`` (distinct addresses in the prefix) and whether its
    first and last address are recorded, in the one query of the list: the
    usable count follows without a query per row (``usage``)."""
    inside = (
        IPAddress.objects.filter(
            family=OuterRef("family"),
            key__gte=OuterRef("first"),
            key__lte=OuterRef("last"),
        )
        .order_by()
        .values("family")
        .annotate(n=Count("key", distinct=True))
        .values("n")
    )
    same = IPAddress.objects.filter(family=OuterRef("family"))
    return prefixes.annotate(
        in_span=Coalesce(Subquery(inside, output_field=IntegerField()), Value(0)),
        first_used=Exists(same.filter(key=OuterRef("first"))),
        last_used=Exists(same.filter(key=OuterRef("last"))),
    )


@dataclass(frozen=True)
class Usage:
    used: int
    usable: int

    @property
    def percent(self) -> float | None:
        """None when the prefix is too big for a percentage to mean anything."""
        if self.usable > PERCENT_LIMIT or self.usable == 0:
            return None
        return round(100 * self.used / self.usable, 1)

    @property
    def free(self) -> int:
        return max(0, self.usable - self.used)


def usage(prefix: Prefix) -> Usage:
    """Used and usable addresses; uses the ``with_usage`` figures if present."""
    if hasattr(prefix, "in_span"):
        figures: Any = prefix  # annotated by with_usage
        used = int(figures.in_span)
        if _excludes_ends(prefix):
            used -= int(figures.first_used)
            if prefix.family == 4:
                used -= int(figures.last_used)
        return Usage(max(0, used), usable_count(prefix))
    return Usage(used_count(prefix), usable_count(prefix))


def measured(prefixes: QuerySet[Prefix], limit: int = 200) -> list[Prefix]:
    """The first ``limit`` prefixes in address order, each with its ``usage``."""
    rows = list(with_usage(prefixes).order_by("first", "length", "pk")[:limit])
    for row in rows:
        row.usage = usage(row)  # type: ignore[attr-defined]
    return rows


def _used_keys(family: int, first: int, last: int) -> Iterator[int]:
    rows = (
        IPAddress.objects.filter(
            family=family, key__gte=_key(first), key__lte=_key(last)
        )
        .order_by("key")
        .values_list("key", flat=True)
        .distinct()
    )
    for text in rows.iterator(chunk_size=2000):
        yield int(text, 16)


def next_free_address(prefix: Prefix) -> addressing.IPAddress | None:
    """The first usable address of ``prefix`` with no record, or None when
    every usable address is taken."""
    candidate, last = usable_bounds(prefix)
    for used in _used_keys(prefix.family, candidate, last):
        if used > candidate:
            break
        candidate = used + 1
    if candidate > last:
        return None
    return addressing.from_key(_key(candidate), prefix.family)


def _descendant_spans(prefix: Prefix) -> QuerySet[Prefix, tuple[str, str]]:
    return (
        Prefix.objects.filter(
            family=prefix.family,
            first__gte=prefix.first,
            last__lte=prefix.last,
            length__gt=prefix.length,
        )
        .order_by("first", "length")
        .values_list("first", "last")
    )


def next_free_prefix(prefix: Prefix, length: int) -> addressing.IPNetwork | None:
    """The first block of ``length`` inside ``prefix`` that no recorded
    prefix overlaps, or None. Raises DomainError for an impossible length."""
    if not prefix.length < length <= _bits(prefix.family):
        raise DomainError(
            _("The length must be longer than /%(own)d and at most /%(max)d.")
            % {"own": prefix.length, "max": _bits(prefix.family)},
            field="length",
        )
    size = 1 << (_bits(prefix.family) - length)
    candidate, end = int(prefix.first, 16), int(prefix.last, 16)
    for first_text, last_text in _descendant_spans(prefix).iterator(chunk_size=2000):
        first, last = int(first_text, 16), int(last_text, 16)
        if candidate + size - 1 < first:
            break
        if last >= candidate:
            # Jump past the taken block to the next boundary of ``size``.
            candidate = (last + size) // size * size
    if candidate + size - 1 > end:
        return None
    address = addressing.from_key(_key(candidate), prefix.family)
    return ipaddress.ip_network(f"{address}/{length}")


def containing(prefix: Prefix) -> QuerySet[Prefix]:
    """Prefixes that contain ``prefix``; of two identical prefixes the older
    one contains the newer, so a duplicate still sits in the tree."""
    return (
        Prefix.objects.filter(
            family=prefix.family, first__lte=prefix.first, last__gte=prefix.last
        )
        .filter(Q(length__lt=prefix.length) | Q(length=prefix.length, pk__lt=prefix.pk))
        .exclude(pk=prefix.pk)
    )


def parent_of(prefix: Prefix) -> Prefix | None:
    """The smallest prefix containing ``prefix``."""
    return containing(prefix).order_by("-length", "-pk").first()


def with_depth(prefixes: QuerySet[Prefix]) -> QuerySet[Prefix]:
    """Annotate ``depth``: how many prefixes contain each one. Ordered by
    (first, length, pk), a list of prefixes is the tree read top to bottom."""
    outer = Prefix.objects.filter(
        family=OuterRef("family"),
        first__lte=OuterRef("first"),
        last__gte=OuterRef("last"),
    ).filter(
        Q(length__lt=OuterRef("length"))
        | Q(length=OuterRef("length"), pk__lt=OuterRef("pk"))
    )
    count = outer.order_by().values("family").annotate(n=Count("pk")).values("n")
    return prefixes.annotate(
        depth=Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
    ).order_by("first", "length", "pk")


def children_of(prefix: Prefix, limit: int = 500) -> list[Prefix]:
    """The prefixes directly inside ``prefix`` (their parent is it), in
    address order: one ordered scan, skipping what a child already holds."""
    inside = (
        Prefix.objects.filter(
            family=prefix.family, first__gte=prefix.first, last__lte=prefix.last
        )
        .filter(Q(length__gt=prefix.length) | Q(length=prefix.length, pk__gt=prefix.pk))
        .select_related("vlan", "zone", "site")
        .order_by("first", "length", "pk")
    )
    children: list[Prefix] = []
    reach = ""
    for row in inside.iterator(chunk_size=500):
        if reach and row.last <= reach:
            continue  # inside the previous child
        children.append(row)
        reach = row.last
        if len(children) >= limit:
            break
    return children


def overlapping(prefixes: QuerySet[Prefix]) -> QuerySet[Prefix]:
    """The prefixes that duplicate another, or overlap it without either
    containing the other."""
    same = Prefix.objects.filter(family=OuterRef("family")).exclude(pk=OuterRef("pk"))
    identical = same.filter(first=OuterRef("first"), last=OuterRef("last"))
    partial = same.filter(
        Q(
            first__lt=OuterRef("first"),
            last__gte=OuterRef("first"),
            last__lt=OuterRef("last"),
        )
        | Q(
            first__gt=OuterRef("first"),
            first__lte=OuterRef("last"),
            last__gt=OuterRef("last"),
        )
    )
    return prefixes.filter(Q(Exists(identical)) | Q(Exists(partial)))


def overlaps_of(prefix: Prefix) -> QuerySet[Prefix]:
    """The prefixes ``prefix`` duplicates or partly overlaps."""
    same = Prefix.objects.filter(family=prefix.family).exclude(pk=prefix.pk)
    return same.filter(
        Q(first=prefix.first, last=prefix.last)
        | Q(first__lt=prefix.first, last__gte=prefix.first, last__lt=prefix.last)
        | Q(first__gt=prefix.first, first__lte=prefix.last, last__gt=prefix.last)
    )


def with_flags(addresses: QuerySet[IPAddress]) -> QuerySet[IPAddress]:
    """Annotate ``is_duplicate`` (another record has the same address) and
    ``prefix_text`` (the smallest prefix holding it, or None)."""
    others = IPAddress.objects.filter(
        family=OuterRef("family"), key=OuterRef("key")
    ).exclude(pk=OuterRef("pk"))
    holder = Prefix.objects.filter(
        family=OuterRef("family"), first__lte=OuterRef("key"), last__gte=OuterRef("key")
    ).order_by("-length")
    return addresses.annotate(
        is_duplicate=Exists(others),
        prefix_text=Subquery(holder.values("prefix")[:1]),
        prefix_pk=Subquery(holder.values("pk")[:1]),
    )


def duplicates() -> QuerySet[IPAddress]:
    """Every record of an address recorded more than once, grouped by address."""
    others = IPAddress.objects.filter(
        family=OuterRef("family"), key=OuterRef("key")
    ).exclude(pk=OuterRef("pk"))
    return IPAddress.objects.filter(Exists(others)).order_by("key", "pk")


def duplicates_of(address: IPAddress) -> QuerySet[IPAddress]:
    return IPAddress.objects.filter(family=address.family, key=address.key).exclude(
        pk=address.pk
    )


def smallest_prefix(address: IPAddress) -> Prefix | None:
    return (
        Prefix.objects.filter(
            family=address.family, first__lte=address.key, last__gte=address.key
        )
        .order_by("-length")
        .first()
    )


def assign_next_free(
    prefix: Prefix,
    count: int,
    *,
    actor: Any,
    status: str = AddressStatus.ACTIVE,
    dns_name: str = "",
    description: str = "",
) -> list[IPAddress]:
    """Record the next ``count`` free addresses of ``prefix`` (audited, all
    or none). Raises NoFreeSpace when fewer are free, DomainError for a bad
    count."""
    if not 1 <= count <= MAX_ASSIGN:
        raise DomainError(
            _("Assign between 1 and %(max)d addresses at once.") % {"max": MAX_ASSIGN},
            field="count",
        )
    made: list[IPAddress] = []
    with audit.audit_context(actor=actor), transaction.atomic():
        # Two people assigning from one prefix at once take turns here.
        locked = Prefix.objects.select_for_update().get(pk=prefix.pk)
        for _n in range(count):
            free = next_free_address(locked)
            if free is None:
                raise NoFreeSpace(
                    _("%(prefix)s has only %(free)d free addresses.")
                    % {"prefix": locked, "free": len(made)},
                    field="count",
                )
            address = IPAddress(
                address=f"{free}/{locked.length}",
                status=status,
                dns_name=dns_name,
                description=description,
            )
            address.save()
            made.append(address)
    return made
