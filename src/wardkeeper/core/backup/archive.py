"""Writing and reading the archive: one ``tar.gz`` with the database snapshot,
the keys, the uploads and, last, the manifest with every member's SHA-256.

Writing goes to a hidden partial file beside the target (mode 0600) that is
renamed into place only when complete; any failure removes it. Reading
extracts into a staging directory while hashing, and verifies the gzip
checksum and every member before anything is put in place.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

import wardkeeper
from wardkeeper import env
from wardkeeper.core import audit
from wardkeeper.core.backup import BackupError, database
from wardkeeper.core.backup.manifest import NAME as MANIFEST
from wardkeeper.core.backup.manifest import Manifest
from wardkeeper.core.models.audit import AuditAction

KEY_FILES = ("secret.key", "field-encryption.key")
AREAS = ("database", "keys", "uploads")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Written:
    """A finished archive: where it is, how big, what it holds."""

    path: Path
    size: int
    manifest: Manifest


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it (what tar stores is what
    the checksum covers, even if the file changes meanwhile)."""

    def __init__(self, source: IO[bytes], digest: Any) -> None:
        self.source, self.digest = source, digest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def default_name(now: dt.datetime) -> str:
    return f"wardkeeper-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def write(output: Path, *, uploads: bool = True) -> Written:
    """Write a backup archive to ``output``; raises BackupError, leaving nothing."""
    output = output.resolve()
    if output.exists():
        raise BackupError(
            _("%(path)s already exists: choose another name.") % {"path": output}
        )
    if not output.parent.is_dir():
        raise BackupError(
            _("The folder %(path)s does not exist.") % {"path": output.parent}
        )
    partial = output.with_name(f".{output.name}.partial")
    try:
        handle = os.fdopen(
            os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        )
    except OSError as exc:
        raise BackupError(
            _("Cannot write %(path)s: %(error)s") % {"path": partial, "error": exc}
        ) from exc
    try:
        with handle, tempfile.TemporaryDirectory(dir=output.parent) as scratch:
            manifest = _fill(handle, Path(scratch), uploads=uploads)
        os.replace(partial, output)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError | DatabaseError):
            raise BackupError(
                _("The backup failed: %(error)s") % {"error": exc}
            ) from exc
        raise
    # Copying every record and the keys off the machine is an event to audit.
    audit.record(
        AuditAction.EXPORT,
        message=f"wrote a Wardkeeper backup (keys included) to {output}",
        changes={"backup_records": [None, manifest.total]},
    )
    return Written(output, output.stat().st_size, manifest)


def _fill(handle: IO[bytes], scratch: Path, *, uploads: bool) -> Manifest:
    created = dt.datetime.now(dt.UTC)
    vendor = database.vendor()
    snapshot = scratch / "database"
    state = database.snapshot(snapshot)
    manifest = Manifest(
        wardkeeper_version=wardkeeper.__version__,
        created_at=created.isoformat(timespec="seconds"),
        database_vendor=vendor,
        database_member=database.MEMBERS[vendor],
        migrations=state.migrations,
        counts=state.counts,
        uploads=uploads,
        keys_from_environment=keys_from_environment(),
    )
    # The uploads are read after the snapshot: a file the database names was
    # there when it was taken (attachments are written before their rows).
    with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as tar:
        _add(tar, snapshot, manifest.database_member, manifest)
        snapshot.unlink()
        for name in KEY_FILES:
            if (settings.DATA_DIR / name).is_file():
                _add(tar, settings.DATA_DIR / name, f"keys/{name}", manifest)
                manifest.keys.append(name)
        if uploads:
            for path, name in _upload_files(Path(settings.MEDIA_ROOT)):
                _add(tar, path, name, manifest)
        body = manifest.to_bytes()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(body), 0o600, int(created.timestamp())
        tar.addfile(info, io.BytesIO(body))
    return manifest


def keys_from_environment() -> list[str]:
    """The key variables set in the environment (their values stay out of the archive)."""
    names = []
    if env.string_list("FIELD_ENCRYPTION_KEYS", []):
        names.append("WARDKEEPER_FIELD_ENCRYPTION_KEYS")
    if env.raw("SECRET_KEY"):
        names.append("WARDKEEPER_SECRET_KEY")
    return names


def _upload_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under the uploads folder, in a stable order (links are skipped)."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path, f"uploads/{path.relative_to(root).as_posix()}"


def _add(tar: tarfile.TarFile, path: Path, name: str, manifest: Manifest) -> None:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    digest = hashlib.sha256()
    with path.open("rb") as source:
        tar.addfile(info, _Hashing(source, digest))
    manifest.members[name] = {"sha256": digest.hexdigest(), "size": info.size}


def extract(archive: Path, staging: Path) -> Manifest:
    """Extract ``archive`` into ``staging`` and verify it; raises BackupError
    if it is damaged, altered or not a Wardkeeper backup."""
    digests: dict[str, str] = {}
    body: bytes | None = None
    try:
        with gzip.open(archive, "rb") as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    if member.name == MANIFEST and member.isfile():
                        body = _read(tar, member)
                    elif member.isfile():
                        digests[member.name] = _extract_file(tar, member, staging)
                    elif not member.isdir():
                        raise _unexpected(member.name)
            # Read to the end so gzip checks its CRC and length trailer.
            while stream.read(_CHUNK):
                pass
    except FileNotFoundError as exc:
        raise BackupError(_("%(path)s does not exist.") % {"path": archive}) from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            _("The archive is damaged and cannot be restored: %(error)s")
            % {"error": exc}
        ) from exc
    if body is None:
        raise BackupError(_("This is not a Wardkeeper backup: it has no manifest."))
    manifest = Manifest.from_bytes(body)
    _verify(manifest, digests)
    return manifest


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    assert source is not None  # a regular file always has content
    return source.read()


def _unexpected(name: str) -> BackupError:
    return BackupError(
        _(
            "The archive holds an unexpected member %(name)s: it is not a Wardkeeper backup."
        )
        % {"name": name}
    )


def _extract_file(tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path) -> str:
    parts = PurePosixPath(member.name).parts
    if (
        len(parts) < 2
        or parts[0] not in AREAS
        or any(part in ("", ".", "..") for part in parts)
        or PurePosixPath(member.name).is_absolute()
    ):
        raise _unexpected(member.name)
    target = staging.joinpath(*parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    assert source is not None
    digest = hashlib.sha256()
    with os.fdopen(
        os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
    ) as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _verify(manifest: Manifest, digests: dict[str, str]) -> None:
    listed = set(manifest.members)
    for name in sorted(listed | set(digests)):
        if name not in digests:
            problem = _("is missing")
        elif name not in listed:
            problem = _("is not listed in the manifest")
        elif digests[name] != manifest.members[name]["sha256"]:
            problem = _("does not match its checksum")
        else:
            continue
        raise BackupError(
            _("The archive was altered or damaged: %(name)s %(problem)s.")
            % {"name": name, "problem": problem}
        )
    if manifest.database_member not in digests:
        raise BackupError(_("The archive holds no database."))
