#!/usr/bin/env bash
# Install Wardkeeper into .venv with its front-end assets.
#   scripts/setup.sh          the application
#   scripts/setup.sh --dev    plus the test tools and the browser (Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-venv)
python3 -c "import venv, ensurepip" 2>/dev/null || need_apt+=(python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
# fping: the ICMP checks' fallback when the monitor may not open ICMP sockets.
dpkg -s fping >/dev/null 2>&1 || need_apt+=(fping)
# WenQuanYi Zen Hei: the Latin and Chinese font embedded in every PDF.
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || need_apt+=(fonts-wqy-zenhei)
if [ "$dev" = 1 ]; then
  # Chromium for the browser tests, CJK fonts for readable Chinese screenshots,
  # poppler and zbar to read back generated PDFs and QR codes, gettext for the
  # catalog check; and the real peers the monitoring checks are tested against:
  # dcmtk (DICOM), snmpd, dnsmasq (DNS), sipp (SIP), Dovecot (IMAP), iproute2
  # (network namespaces); PostgreSQL's and MariaDB's servers, whose
  # binaries start the primaries and replicas of the replication tests;
  # nftables for the segmentation tests' router; restic and borgbackup, whose
  # repositories the backup tests read and restore. The tests start their own
  # instances.
  for pkg in chromium fonts-noto-cjk poppler-utils libzbar0 gettext \
      dcmtk snmpd snmp dnsmasq sip-tester dovecot-imapd iproute2 \
      postgresql mariadb-server nftables restic borgbackup; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing system packages: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
  # snmpsim, for the network tests' recorded switches, in a venv of its own.
  [ -x .venv-snmpsim/bin/python ] || python3 -m venv .venv-snmpsim
  .venv-snmpsim/bin/python -m pip install -q --disable-pip-version-check -r requirements/snmpsim.txt
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi

# Front-end packages are pinned in package-lock.json and served locally.
if [ ! -f src/wardkeeper/static/vendor/.installed ] || [ package-lock.json -nt src/wardkeeper/static/vendor/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  .venv/bin/python scripts/vendor_assets.py
  touch src/wardkeeper/static/vendor/.installed
fi
