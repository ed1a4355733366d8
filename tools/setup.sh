#!/usr/bin/env bash
# One-step set-up: Debian packages (when missing), a virtual environment in .venv,
# and the project installed into it with its test extra. Cheap when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES="libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra \
texlive-lang-spanish dvisvgm espeak-ng sox libsox-fmt-all fonts-lato fonts-dejavu-core"

missing=""
for pkg in $DEB_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    echo "set-up: installing Debian packages:$missing"
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "set-up: creating .venv"
    "$PY" -m venv .venv
fi

# Re-install only when the project's declared dependencies changed.
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "set-up: installing the project into .venv (first time takes a few minutes)"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    touch "$stamp"
fi
