#!/usr/bin/env bash
# One-step set-up: Debian packages (when missing), a virtual environment in .venv,
# the project installed into it with its test extra, and the web assets of the HTML outputs
# (reveal.js, KaTeX) in node_modules. Cheap when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES="libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra \
texlive-lang-spanish dvisvgm espeak-ng sox libsox-fmt-all fonts-lato fonts-dejavu-core chromium"

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

# Web assets (pinned in package-lock.json), served from disk by the slide decks and the post:
# installed again only when the lock file changed.
web_stamp=node_modules/.installed
if [ ! -f "$web_stamp" ] || [ package-lock.json -nt "$web_stamp" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "set-up: installing Debian package npm"
        SUDO=""
        if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
    fi
    echo "set-up: installing the web assets (reveal.js, KaTeX) into node_modules"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    touch "$web_stamp"
fi
