#!/usr/bin/env bash
# Installs everything the test suite needs into ./.venv (and LibreOffice, headless, where apt
# is available and it is missing). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
     libreoffice-calc-nogui fonts-noto-cjk poppler-utils >/dev/null) \
    || echo "LibreOffice could not be installed: tests that need it will be skipped" >&2
fi
# The Calc extension's tests: the SDK's IDL compiler (unoidl-write) and LibreOffice's Python
# with uno and NumPy; each package only when missing.
if command -v soffice >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=""
  for pkg in libreoffice-dev python3-uno python3-numpy libreoffice-script-provider-python; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
      || echo "Could not install$missing: the Calc extension's tests will be skipped" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
