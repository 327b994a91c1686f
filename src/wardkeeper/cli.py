"""The ``wardkeeper`` command: one name for every operation.

Each subcommand is a Django management command (``serve``, ``demo``,
``createadmin``, ``audit verify``, ``import``, ``export``, …) run with the
audit trail's source set to the command line.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from wardkeeper.core.audit import audit_context
    from wardkeeper.core.models.audit import AuditSource

    args = list(sys.argv[1:] if argv is None else argv)
    with audit_context(source=AuditSource.CLI):
        execute_from_command_line(["wardkeeper", *args])


if __name__ == "__main__":
    main()
