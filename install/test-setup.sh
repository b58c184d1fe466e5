#!/usr/bin/env bash
# Installs everything the test suite needs into ./.venv, and each system tool that is missing
# (LibreOffice headless, the Noto CJK fonts, poppler-utils, and for the Calc extension's tests the
# SDK's IDL compiler and LibreOffice's Python with uno and NumPy), each on its own: one that is
# already there or cannot be installed does not keep the others out. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# tool to look for | Debian package that brings it
tools=(
  "soffice|libreoffice-calc-nogui"
  "fc-list:Noto Sans CJK|fonts-noto-cjk"
  "pdftoppm|poppler-utils"
  "pdffonts|poppler-utils"
  "dpkg:libreoffice-dev|libreoffice-dev"
  "dpkg:python3-uno|python3-uno"
  "dpkg:python3-numpy|python3-numpy"
  "dpkg:libreoffice-script-provider-python|libreoffice-script-provider-python"
)

present() {  # present "program", "fc-list:Font family" or "dpkg:package"
  case "$1" in
    dpkg:*) command -v dpkg >/dev/null 2>&1 && dpkg -s "${1#dpkg:}" >/dev/null 2>&1 ;;
    fc-list:*) command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "${1#fc-list:}" ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for entry in "${tools[@]}"; do
  tool="${entry%%|*}" package="${entry##*|}"
  if ! present "$tool" && [[ " ${missing[*]-} " != *" $package "* ]]; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq || true
    for package in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null \
        || echo "$package could not be installed: tests that need it will be skipped" >&2
    done
  else
    echo "missing (install them for the LibreOffice/PDF tests): ${missing[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
