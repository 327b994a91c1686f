"""Copy the pinned front-end packages from node_modules into the static folder.

Run by the setup step after ``npm ci``; the copies are not committed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
TARGET = ROOT / "src" / "wardkeeper" / "static" / "vendor"

# (source inside node_modules, destination inside static/vendor)
FILES = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    # Source maps named by sourceMappingURL comments: the hashed-manifest
    # storage that `serve` collects into fails on a reference it cannot find.
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
    (
        "bootstrap/dist/js/bootstrap.bundle.min.js.map",
        "bootstrap/bootstrap.bundle.min.js.map",
    ),
    ("swagger-ui-dist/swagger-ui.css.map", "swagger-ui/swagger-ui.css.map"),
    (
        "bootstrap-icons/font/bootstrap-icons.min.css",
        "bootstrap-icons/bootstrap-icons.min.css",
    ),
    ("bootstrap-icons/font/fonts", "bootstrap-icons/fonts"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
    # The network topology view and its SVG export.
    ("cytoscape/dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"),
    ("cytoscape-svg/cytoscape-svg.js", "cytoscape/cytoscape-svg.js"),
    ("html5-qrcode/html5-qrcode.min.js", "html5-qrcode/html5-qrcode.min.js"),
    ("swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"),
    ("swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"),
    (
        "swagger-ui-dist/swagger-ui-standalone-preset.js",
        "swagger-ui/swagger-ui-standalone-preset.js",
    ),
]


def main() -> int:
    missing = [src for src, _ in FILES if not (MODULES / src).exists()]
    if missing:
        return 1
    for src, dest in FILES:
        target = TARGET / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if (MODULES / src).is_dir():
            shutil.copytree(MODULES / src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(MODULES / src, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
