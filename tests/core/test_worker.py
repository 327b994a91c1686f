"""The background jobs: the periodic registry, `wardkeeper worker` (--once,
graceful stop on SIGTERM) and the worker `wardkeeper serve` starts."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.core import test_notifications_servers as servers
from tests.core import test_serve as serve
from tests.factories.core import UserFactory
from wardkeeper.core import tasks
from wardkeeper.core.models import AuditEntry, Delivery, DeliveryState
from wardkeeper.core.notifications import notify


@pytest.fixture
def smtp(settings):
    with servers.smtp_server(settings) as box:
        yield box


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the real one is left alone."""
    fresh: dict[str, tasks.Periodic] = {}
    monkeypatch.setattr(tasks, "REGISTRY", fresh)
    return fresh


@pytest.mark.django_db
def test_a_job_runs_when_due_and_again_after_its_interval(registry):
    runs = []
    tasks.periodic("count", dt.timedelta(minutes=5))(lambda now: runs.append(now))
    start = timezone.now()

    tasks.run_due(start)
    tasks.run_due(start + dt.timedelta(minutes=4))
    tasks.run_due(start + dt.timedelta(minutes=5))

    assert runs == [start, start + dt.timedelta(minutes=5)]
    assert tasks.seconds_until_next(start + dt.timedelta(minutes=6)) == 240
    tasks.run_due(start + dt.timedelta(minutes=6), every_job=True)  # --once
    assert len(runs) == 3


@pytest.mark.django_db
def test_one_failing_job_does_not_stop_the_others(registry, caplog):
    def broken(now):
        raise RuntimeError("disk full")

    tasks.periodic("broken", dt.timedelta(seconds=10))(broken)
    tasks.periodic("fine", dt.timedelta(seconds=10))(lambda now: "done")

    results = tasks.run_due(timezone.now())

    assert isinstance(results["broken"], RuntimeError)
    assert results["fine"] == "done"
    assert "disk full" in caplog.text


def test_jobs_come_from_each_apps_tasks_module():
    assert "wardkeeper.core.tasks" in tasks.discover()
    assert "notifications.deliver" in tasks.REGISTRY


@pytest.mark.django_db
def test_worker_once_sends_what_is_queued_as_a_task(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify("assigned", [UserFactory()], subject="T000009 assigned", body="b")
    out = StringIO()

    call_command("worker", "--once", stdout=out)

    assert "notifications.deliver" in out.getvalue()
    assert [mail.subject for mail in smtp.mails] == ["T000009 assigned"]
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT
    assert (
        AuditEntry.objects.for_object(delivery).order_by("id").last().source == "task"
    )


class Output:
    """Collects a process's output in a thread, so a test can wait for a line."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process, self.text = process, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.text += line

    def wait_for(self, marker: bytes, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while marker not in self.text and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker in self.text, self.text[-2000:]

    def stop(self) -> bytes:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.thread.join(timeout=10)
        return self.text


def start(args: list[str], env: dict[str, str]) -> Output:
    process = subprocess.Popen(
        [*serve.WARDKEEPER, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return Output(process)


def test_the_worker_stops_cleanly_on_sigterm(serve_dir):
    worker = start(["worker"], serve.command_env(serve_dir))
    worker.wait_for(b"Worker started")
    output = worker.stop()
    assert worker.process.returncode == 0
    assert b"Worker stopped." in output


def serve_args() -> list[str]:
    bind = f"127.0.0.1:{serve.free_port()}"
    return ["serve", "--bind", bind, "--workers", "1", "--no-collectstatic"]


def test_serve_runs_the_worker_beside_it_and_stops_it(serve_dir):
    server = start(serve_args(), serve.command_env(serve_dir))
    server.wait_for(b"Worker started")
    output = server.stop()
    assert server.process.returncode == 0
    assert b"Worker stopped." in output


def test_an_external_worker_is_not_started_by_serve(serve_dir):
    env = serve.command_env(serve_dir) | {"WARDKEEPER_WORKER": "external"}
    server = start(serve_args(), env)
    server.wait_for(b"Listening at")
    time.sleep(8)  # an embedded worker would have said so by now
    output = server.stop()
    assert b"Worker jobs" not in output


@pytest.fixture(scope="module")
def serve_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve") / "data"
    subprocess.run(
        [*serve.WARDKEEPER, "migrate", "-v", "0"],
        env=serve.command_env(data_dir),
        check=True,
        timeout=120,
    )
    return data_dir
