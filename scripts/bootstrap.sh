#!/bin/sh
# Set up everything Curio needs on a fresh machine: the Debian libraries Qt loads (when
# this user may install them, otherwise the exact command is printed) and a virtual
# environment with Curio and its dependencies. Re-running it is cheap.
# Usage: scripts/bootstrap.sh app|test
set -eu
cd "$(dirname "$0")/.."
purpose="${1:-app}"

QT_LIBS="libgl1 libegl1 libfontconfig1 libfreetype6 libglib2.0-0 libx11-6 libxkbcommon0 libdbus-1-3"
X11_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 fonts-noto-cjk"
debs="$QT_LIBS"
[ "$purpose" = app ] && debs="$debs $X11_LIBS"

. scripts/debs.sh
ensure_debs "Qt" $debs || [ "$purpose" = test ] || exit 1

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Curio needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.curio-installed
wanted="$(cat pyproject.toml | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev]"
    echo "$wanted" > "$stamp"
fi
