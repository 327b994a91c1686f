"""The manifest: what an archive holds and whether this Wardkeeper can restore it.

It is the archive's last member, so every other member's checksum is known
when it is written. Its own ``digest`` covers the rest of it: an edited
manifest is found like an edited member. That is integrity, not authenticity:
whoever can write the archive can recompute both, so archives are kept where
only the operators can write.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

import wardkeeper
from wardkeeper.core.backup import BackupError

NAME = "manifest.json"
FORMAT = 1  # bumped when the layout changes in a way older readers cannot read


@dataclass
class Manifest:
    """An archive's description: who wrote it, from which database, what is in it."""

    wardkeeper_version: str
    created_at: str
    database_vendor: str
    database_member: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: bool = True
    keys: list[str] = field(default_factory=list)
    keys_from_environment: list[str] = field(default_factory=list)
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        content = asdict(self)
        content["digest"] = _digest(content)
        return json.dumps(content, indent=2, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse and check a manifest; raises BackupError if it is not one."""
        try:
            content = json.loads(data)
            digest = content.pop("digest")
            if digest != _digest(content):
                raise BackupError(_("The archive's manifest was altered or damaged."))
            return cls(**content)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BackupError(
                _("The archive's manifest cannot be read: %(error)s") % {"error": exc}
            ) from exc

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def version_tuple(version: str) -> tuple[int, ...]:
    """``"1.4.2rc1"`` → ``(1, 4, 2)``: the numeric release parts."""
    parts = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this installation's code has, applied or not."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_restorable(manifest: Manifest, vendor: str) -> None:
    """Refuse an archive this Wardkeeper cannot restore: a newer format,
    version or migration, another major version, another database vendor."""
    ours = wardkeeper.__version__
    theirs = manifest.wardkeeper_version
    values = {"theirs": theirs, "ours": ours}
    if manifest.format > FORMAT or version_tuple(theirs) > version_tuple(ours):
        raise BackupError(
            _(
                "The archive was written by Wardkeeper %(theirs)s, newer than this "
                "one (%(ours)s). Install %(theirs)s or later to restore it."
            )
            % values
        )
    if version_tuple(theirs)[:1] != version_tuple(ours)[:1]:
        raise BackupError(
            _(
                "The archive was written by Wardkeeper %(theirs)s, another major "
                "version than this one (%(ours)s). Restore it with a %(theirs)s "
                "release first, then upgrade."
            )
            % values
        )
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known_migrations()
    )
    if unknown:
        raise BackupError(
            _(
                "The archive's database has migrations this Wardkeeper does not "
                "know (%(names)s): it comes from a newer installation."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    if manifest.database_vendor != vendor:
        raise BackupError(
            _(
                "The archive holds a %(theirs)s database, but this installation is "
                "configured for %(ours)s. Restore it with the same kind of database "
                "(see WARDKEEPER_DATABASE_URL), then move it as the operator guide "
                "describes."
            )
            % {"theirs": manifest.database_vendor, "ours": vendor}
        )


def per_app(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Record counts summed per app, largest first: ``[("inventory", 412), …]``."""
    totals: Counter[str] = Counter()
    for label, count in counts.items():
        totals[label.partition(".")[0]] += count
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def differences(expected: dict[str, int], found: dict[str, int]) -> dict[str, Any]:
    """``{label: [expected, found]}`` for each table whose count differs."""
    return {
        label: [expected.get(label), found.get(label)]
        for label in sorted(set(expected) | set(found))
        if expected.get(label) != found.get(label)
    }
