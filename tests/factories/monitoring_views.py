"""People and history for tests of monitoring's pages, reports and API."""

import datetime as dt

from django.contrib.auth.models import Permission

from tests.conftest import make_persona
from wardkeeper.monitoring.models import Rollup

WATCH = ["view_check", "view_alert"]
CONFIGURE = [
    "add_check",
    "change_check",
    "delete_check",
    "add_maintenancewindow",
    "change_maintenancewindow",
    "view_maintenancewindow",
    "delete_maintenancewindow",
    "add_checktemplate",
    "view_checktemplate",
    "change_checktemplate",
    "add_alertrule",
    "view_alertrule",
    "change_alertrule",
]


def person(username: str, *codenames: str):
    """Someone with no role holding exactly these monitoring permissions
    (roles.py gives them to roles; these tests are about each permission)."""
    user = make_persona(username)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="monitoring", codename__in=codenames
        )
    )
    return user


def hours(check, start: dt.datetime, count: int, **counts: int) -> None:
    """``count`` hourly roll-ups of ``check`` from ``start``, each with the
    given counts (up, degraded, down, maintenance)."""
    runs = sum(counts.values())
    Rollup.objects.bulk_create(
        Rollup(
            source=check,
            period=Rollup.HOUR,
            start=start + dt.timedelta(hours=n),
            runs=runs,
            latency_p50=5.0,
            latency_p95=9.0,
            **counts,
        )
        for n in range(count)
    )
