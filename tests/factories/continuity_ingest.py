"""Real restic and borg repositories for the ingestion tests: each helper
runs the Debian tool itself, in a temporary directory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.factories.continuity import BackupJobFactory
from wardkeeper.continuity.choices import BackupTool

PASSWORD = "correct horse battery staple"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "TZ": "UTC", **extra}


def restic(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["restic", "--repo", str(repo), "--no-cache", *args],
        env=_env(RESTIC_PASSWORD=PASSWORD),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def borg(*args: str, base: Path) -> str:
    return subprocess.run(
        ["borg", *args],
        env=_env(BORG_PASSPHRASE=PASSWORD, BORG_BASE_DIR=str(base)),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def fill(folder: Path, files: int, size: int) -> Path:
    """A tree of ``files`` files of ``size`` bytes (not compressible)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        (folder / f"f{n}.bin").write_bytes(os.urandom(size))
    return folder


def restic_job(tmp_path: Path, **kwargs):
    """A job reading a fresh, empty restic repository under ``tmp_path``."""
    repo = tmp_path / "restic-repo"
    restic(repo, "init")
    return BackupJobFactory(
        tool=BackupTool.RESTIC,
        repository=str(repo),
        repository_password=PASSWORD,
        **kwargs,
    )


def borg_job(tmp_path: Path, **kwargs):
    """A job reading a fresh, empty borg repository under ``tmp_path``."""
    repo = tmp_path / "borg-repo"
    borg("init", "--encryption=repokey", str(repo), base=tmp_path / "borg-home")
    return BackupJobFactory(
        tool=BackupTool.BORG,
        repository=str(repo),
        repository_password=PASSWORD,
        **kwargs,
    )


# Pages and API of the ingestion, served from here until the lead wires
# urls/findings.py into continuity/urls and api/ingest.py into the API router
# (the ``ingest_urls`` fixture); once wired, the real ones answer the same.
def _urlpatterns() -> list:
    from django.urls import include, path
    from rest_framework.routers import SimpleRouter

    from wardkeeper import urls as site
    from wardkeeper.continuity import urls as continuity
    from wardkeeper.continuity.api import ingest as api_ingest
    from wardkeeper.continuity.urls import findings

    known = {pattern.name for pattern in continuity.urlpatterns}
    mine = [p for p in findings.urlpatterns if p.name not in known]
    router = SimpleRouter()
    api_ingest.register(router)
    return [
        path("continuity/", include(([*continuity.urlpatterns, *mine], "continuity"))),
        path("api/", include(router.urls)),
        *site.urlpatterns,
    ]


def __getattr__(name: str):
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


@pytest.fixture
def ingest_urls(settings):
    settings.ROOT_URLCONF = "tests.factories.continuity_ingest"
