"""The engine imports nothing from Django nor from other areas (STYLE.md §7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROGRAM = """
import importlib, json, pkgutil, sys
import wardkeeper.monitoring.engine as engine
for module in pkgutil.walk_packages(engine.__path__, engine.__name__ + "."):
    try:
        importlib.import_module(module.name)
    except ImportError:
        pass  # a probe whose protocol library is missing is left out
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_every_engine_module_loads_no_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    modules = json.loads(out.stdout.splitlines()[-1])
    assert "wardkeeper.monitoring.engine.scheduler" in modules
    assert not [m for m in modules if m == "django" or m.startswith("django.")]
    ours = [m for m in modules if m.startswith("wardkeeper.")]
    assert all(
        m == "wardkeeper.monitoring" or m.startswith("wardkeeper.monitoring.engine")
        for m in ours
    )
