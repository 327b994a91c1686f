"""``wardkeeper serve``: the production web server (gunicorn), static files included.

The server binds to ``--bind`` or ``WARDKEEPER_BIND`` (default 127.0.0.1:8000)
and runs ``--workers``/``WARDKEEPER_WORKERS`` processes of
``WARDKEEPER_THREADS`` threads each. Static files are collected into the data
directory first, because whitenoise's hashed-manifest storage serves only what
the manifest lists.

The background worker (``wardkeeper worker``) starts beside the server as a
child process and stops with it, unless ``WARDKEEPER_WORKER=external`` says
the operator runs it separately (another unit, another machine). The
monitoring engine (``wardkeeper monitor``) starts the same way, unless
``WARDKEEPER_MONITOR=external``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from wardkeeper import env

DEFAULT_BIND = "127.0.0.1:8000"


def default_workers() -> int:
    """Two processes per core, at most eight: SQLite serialises writers anyway."""
    return min(8, 2 * (os.cpu_count() or 1))


def pending_migrations() -> list[str]:
    """Names of the migrations the database still lacks."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _back in plan]


class WardkeeperServer(BaseApplication):
    """Gunicorn configured in code, serving ``wardkeeper.wsgi:application``."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from wardkeeper.wsgi import application

        return application


def server_options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    """Gunicorn settings: threaded workers, bounded timeouts, logs to stdout."""
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # Long enough for a large import or a PDF of labels; a stuck worker is
        # still replaced instead of holding a slot forever.
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then so a slow leak cannot grow without bound.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": env.string("LOG_LEVEL", "INFO").lower(),
        "proc_name": "wardkeeper",
        # The app is imported once in the master and shared by forked workers.
        "preload_app": True,
        # Gunicorn's runtime control socket lives in $HOME by default: two
        # servers on one machine would fight over it, and no one needs it here.
        "control_socket_disable": True,
    }


def start_child(command: str, variable: str) -> subprocess.Popen[bytes] | None:
    """``wardkeeper <command>`` as a child, unless WARDKEEPER_<variable>=external."""
    mode = env.string(variable, "embedded").strip().lower()
    if mode == "external":
        return None
    if mode != "embedded":
        raise CommandError(_("WARDKEEPER_%s must be embedded or external.") % variable)
    return subprocess.Popen([sys.executable, "-m", "wardkeeper", command])


def start_worker() -> subprocess.Popen[bytes] | None:
    """The embedded worker, unless WARDKEEPER_WORKER=external."""
    return start_child("worker", "WORKER")


def start_monitor() -> subprocess.Popen[bytes] | None:
    """The embedded monitor, unless WARDKEEPER_MONITOR=external."""
    return start_child("monitor", "MONITOR")


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()  # SIGTERM: the worker finishes its round, then exits
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = _(
        "Run Wardkeeper's production web server (gunicorn), static files included."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=None,
            help=_("Address and port to listen on (default: WARDKEEPER_BIND or %s).")
            % DEFAULT_BIND,
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("Worker processes (default: WARDKEEPER_WORKERS or 2 per core)."),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help=_("Do not collect static files into the data directory first."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pending = pending_migrations()
        if pending:
            raise CommandError(
                _(
                    "The database lacks %(count)d migration(s) (%(first)s, …). "
                    "Run `wardkeeper migrate` first, then start the server again."
                )
                % {"count": len(pending), "first": pending[0]}
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(_("Static files collected in %s") % settings.STATIC_ROOT)
        bind = options["bind"] or env.string("BIND", DEFAULT_BIND)
        workers = options["workers"] or env.integer(
            "WORKERS", default_workers(), minimum=1
        )
        if workers < 1:
            raise CommandError(_("--workers must be at least 1."))
        threads = env.integer("THREADS", 4, minimum=1)
        # Forked workers must not share the master's database connection.
        connections.close_all()
        self.stdout.write(
            _("Serving on http://%(bind)s with %(workers)d worker(s)")
            % {"bind": bind, "workers": workers}
        )
        self.stdout.flush()
        worker = start_worker()
        monitor = start_monitor()
        try:
            WardkeeperServer(server_options(bind, workers, threads)).run()
        finally:
            stop_worker(monitor)
            stop_worker(worker)
