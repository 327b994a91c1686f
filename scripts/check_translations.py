#!/usr/bin/env python3
"""Check that the zh-Hans catalog is complete and its compiled copy current.

Re-extracts every translatable string from the source into the catalog, then
counts what is untranslated or fuzzy. The working tree is left as it was
unless ``--update`` is given (then the refreshed catalog is kept, ready to be
translated, and compiled).
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "src" / "wardkeeper"
LC = APP / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")


def extract() -> None:
    wardkeeper = [str(ROOT / ".venv" / "bin" / "wardkeeper")]
    for domain in DOMAINS:
        subprocess.run(
            [
                *wardkeeper,
                "makemessages",
                "-l",
                "zh_Hans",
                "-d",
                domain,
                "--no-location",
                "--no-obsolete",
                "-i",
                "static/vendor/*",
            ],
            cwd=APP,
            check=True,
            capture_output=True,
        )


def statistics(po: Path) -> tuple[str, bool]:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stderr.strip()
    complete = (
        result.returncode == 0
        and "untranslated" not in report
        and "fuzzy" not in report
    )
    return report, complete


def compiled_is_current(po: Path) -> bool:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "fresh.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
        mo = po.with_suffix(".mo")
        return mo.exists() and filecmp.cmp(fresh, mo, shallow=False)


def main() -> int:
    update = "--update" in sys.argv
    backup = Path(tempfile.mkdtemp())
    shutil.copytree(LC, backup / "lc", dirs_exist_ok=True)
    ok = True
    try:
        extract()
        for domain in DOMAINS:
            po = LC / f"{domain}.po"
            if not po.exists():  # no string of this domain in the source yet
                continue
            report, complete = statistics(po)
            print(f"{domain}: {report}")  # noqa: T201
            ok = ok and complete
            if update:
                subprocess.run(
                    ["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True
                )
    finally:
        if not update:
            shutil.copytree(backup / "lc", LC, dirs_exist_ok=True)
        shutil.rmtree(backup)
    for domain in DOMAINS:
        po = LC / f"{domain}.po"
        if po.exists() and not compiled_is_current(po):
            stale = f"{domain}: the compiled catalog is out of date (--update)"
            print(stale)  # noqa: T201
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
