"""The reference side of bench/monitoring.py: Prometheus and blackbox_exporter
(Debian's packages ``prometheus`` and ``prometheus-blackbox-exporter``) run as
child processes with configurations written to a temporary directory, probing
the same targets at the same interval; and one fping process for ICMP.

Figures: CPU of both processes together (utime + stime from /proc, all
threads) over the measured window, divided by the probes made in it (samples
of ``probe_success`` in the window); schedule lag from
``prometheus_target_interval_length_seconds`` (how much later than the
interval a scrape started); scrape durations; peak RSS (VmHWM, summed).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")

BLACKBOX_CONFIG = """\
modules:
  tcp_connect:
    prober: tcp
    timeout: {timeout}s
    tcp:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
  http_2xx:
    prober: http
    timeout: {timeout}s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
"""

JOB = """\
  - job_name: {job}
    metrics_path: /probe
    params:
      module: [{module}]
    file_sd_configs:
      - files: ['{file}']
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:{blackbox_port}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def write_configs(
    workdir: Path, targets: list[dict[str, Any]], interval: int, blackbox_port: int
) -> tuple[Path, Path]:
    timeout = min(10, interval)
    blackbox = workdir / "blackbox.yml"
    blackbox.write_text(BLACKBOX_CONFIG.format(timeout=max(1, timeout - 1)))
    jobs = []
    for kind, module in (("tcp", "tcp_connect"), ("http", "http_2xx")):
        addresses = [
            t["params"]["url"]
            if kind == "http"
            else f"{t['host']}:{t['params']['port']}"
            for t in targets
            if t["kind"] == kind
        ]
        if not addresses:
            continue
        sd_file = workdir / f"{kind}.json"
        sd_file.write_text(json.dumps([{"targets": addresses}]))
        jobs.append(
            JOB.format(
                job=f"blackbox_{kind}",
                module=module,
                file=sd_file,
                blackbox_port=blackbox_port,
            )
        )
    prometheus = workdir / "prometheus.yml"
    prometheus.write_text(
        f"global:\n  scrape_interval: {interval}s\n  scrape_timeout: {timeout}s\n"
        "  evaluation_interval: 1m\nscrape_configs:\n" + "".join(jobs)
    )
    return blackbox, prometheus


def query(port: int, expr: str, at: float) -> list[dict[str, Any]]:
    params = urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"})
    url = f"http://127.0.0.1:{port}/api/v1/query?{params}"
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.loads(response.read())["data"]["result"]  # type: ignore[no-any-return]


def scalar(port: int, expr: str, at: float) -> float | None:
    result = query(port, expr, at)
    return float(result[0]["value"][1]) if result else None


def interval_lateness(port: int, interval: int) -> list[float]:
    """p50 and p99 of how much longer than ``interval`` the gaps between a
    target's scrapes were, from Prometheus's own /metrics (a summary)."""
    url = f"http://127.0.0.1:{port}/metrics"
    with urllib.request.urlopen(url, timeout=30) as response:
        text = response.read().decode()
    found = {}
    for line in text.splitlines():
        if line.startswith("prometheus_target_interval_length_seconds{") and (
            f'interval="{interval}s"' in line
        ):
            quantile = line.split('quantile="', 1)[1].split('"', 1)[0]
            found[quantile] = max(0.0, float(line.rsplit(" ", 1)[1]) - interval)
    return [found[q] for q in ("0.5", "0.99") if q in found]


def wait_ready(port: int, process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/-/ready", timeout=2
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("not ready in time")


def run_reference(
    workdir: Path,
    targets: list[dict[str, Any]],
    interval: int,
    warmup: float,
    duration: float,
) -> dict[str, Any]:
    """Start blackbox_exporter and Prometheus, measure one window, stop them."""
    for binary in ("prometheus", "prometheus-blackbox-exporter"):
        if not shutil.which(binary):
            return {"error": f"{binary} not installed (apt-get install -y {binary})"}
    workdir.mkdir(parents=True, exist_ok=True)
    blackbox_port, prometheus_port = free_port(), free_port()
    blackbox_yml, prometheus_yml = write_configs(
        workdir, targets, interval, blackbox_port
    )
    log = (workdir / "reference.log").open("wb")
    blackbox = subprocess.Popen(
        [
            "prometheus-blackbox-exporter",
            f"--config.file={blackbox_yml}",
            f"--web.listen-address=127.0.0.1:{blackbox_port}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    prometheus = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={prometheus_yml}",
            f"--storage.tsdb.path={workdir / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    processes = (blackbox, prometheus)
    try:
        wait_ready(prometheus_port, prometheus, 60)
        time.sleep(warmup)
        cpu0 = sum(cpu_seconds(p.pid) for p in processes)
        t0 = time.time()
        time.sleep(duration)
        t1 = time.time()
        cpu1 = sum(cpu_seconds(p.pid) for p in processes)
        peak = sum(status_kb(p.pid, "VmHWM") for p in processes) / 1024
        window = f"[{int(t1 - t0)}s]"
        probes = scalar(
            prometheus_port, f"sum(count_over_time(probe_success{window}))", t1
        )
        up = scalar(prometheus_port, f"sum(sum_over_time(probe_success{window}))", t1)
        lags = interval_lateness(prometheus_port, interval)
        durations = [
            float(value)
            for row in query(
                prometheus_port,
                f'scrape_duration_seconds{{job=~"blackbox.*"}}{window}',
                t1,
            )
            for _at, value in row["values"]
        ]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
    cpu = cpu1 - cpu0
    return {
        "checks": int(probes or 0),
        "up": int(up or 0),
        "cpu_s": cpu,
        "wall_s": t1 - t0,
        "cpu_ms_per_check": cpu * 1000 / probes if probes else None,
        "lag_p50": lags[0] if len(lags) == 2 else None,
        "lag_p99": lags[1] if len(lags) == 2 else None,
        "scrape_p50": percentile(durations, 50),
        "scrape_p99": percentile(durations, 99),
        "peak_rss_mb": peak,
    }


def run_fping(
    workdir: Path, hosts: list[str], interval: int, duration: float
) -> dict[str, Any]:
    """One fping process pinging every host each ``interval`` for about
    ``duration`` seconds (``fping -C rounds -q -p interval -i spread``)."""
    if not shutil.which("fping"):
        return {"error": "fping not installed (apt-get install -y fping)"}
    workdir.mkdir(parents=True, exist_ok=True)
    listing = workdir / "fping-targets.txt"
    listing.write_text("\n".join(hosts) + "\n")
    rounds = max(1, round(duration / interval))
    gap_ms = max(0.1, interval * 1000 / len(hosts))
    command = [
        "fping", "-q", "-C", str(rounds), "-p", str(interval * 1000),
        "-i", f"{gap_ms:.2f}", "-t", "1000", "-f", str(listing),
    ]  # fmt: skip
    out_path = workdir / "fping-output.txt"
    started = time.monotonic()
    with out_path.open("w") as out:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=out)
    # Reap it ourselves to get its own rusage (CPU and peak RSS).
    killer = threading.Timer(duration + interval + 120, process.kill)
    killer.start()
    _pid, _status, usage = os.wait4(process.pid, 0)
    killer.cancel()
    process.returncode = 0
    wall = time.monotonic() - started
    replies = sum(
        1
        for line in out_path.read_text().splitlines()
        if " : " in line
        for value in line.split(" : ", 1)[1].split()
        if value != "-"
    )
    echoes = rounds * len(hosts)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "command": " ".join([*command[:-1], "<targets>"]),
        "checks": echoes,
        "up": replies,
        "cpu_s": cpu,
        "wall_s": wall,
        "cpu_ms_per_check": cpu * 1000 / echoes,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
