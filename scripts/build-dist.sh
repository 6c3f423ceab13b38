#!/bin/sh
# Build the packaged `curio` binary from a clean checkout: dist/curio/curio (onedir).
# With CURIO_ONEFILE=1 also the single-file binary dist/onefile/curio (slower to start: it
# unpacks itself on every launch). Then the frozen binary checks itself (--selftest).
#
# Usage: scripts/build-dist.sh            build, then self-test
#        SELFTEST=0 scripts/build-dist.sh build only
set -eu
cd "$(dirname "$0")/.."

# What the frozen binary loads from the system (everything else is inside it).
FROZEN_DEBS="libgl1 libegl1 libfontconfig1 libfreetype6 libglib2.0-0 libx11-6 libxkbcommon0 libdbus-1-3 fonts-dejavu-core fontconfig-config"
if command -v dpkg-query >/dev/null 2>&1; then
    missing=""
    for pkg in $FROZEN_DEBS; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "Installing system libraries for the frozen binary:$missing"
            apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
        else
            echo "The frozen binary needs these system libraries; install them with:"
            echo "  sudo apt-get install -y$missing"
        fi
    fi
fi

# The venv (Curio, its dependencies) as the test command sets it up, plus PyInstaller.
scripts/bootstrap.sh test
if ! .venv/bin/python -c 'import PyInstaller' 2>/dev/null; then
    .venv/bin/python -m pip install -q -e ".[dist]"
fi

build() {  # $1: onedir | onefile, $2: what it makes
    mode=$1 out=$2
    mkdir -p build
    log=build/pyinstaller-$mode.log
    rm -rf "$out"
    started=$(date +%s)
    onefile=0; [ "$mode" = onefile ] && onefile=1
    if ! CURIO_ONEFILE=$onefile .venv/bin/pyinstaller --noconfirm --log-level WARN \
            --distpath "$(dirname "$out")" --workpath "build/$mode" build.spec >"$log" 2>&1; then
        cat "$log" >&2
        echo "pyinstaller failed (log: $log)" >&2
        exit 1
    fi
    # Known noise: Windows DLLs named in ctypes code, and GTK for the dropped theme plugin.
    grep -v -e "required via ctypes not found" -e "libqgtk3.so" "$log" || true
    echo "built $out in $(( $(date +%s) - started )) s: $(du -sh "$out" | cut -f1)"
}
build onedir dist/curio
# The built folder adds itself to the application menu without the checkout.
cp scripts/install-desktop.sh dist/curio/install-desktop.sh
if [ "${CURIO_ONEFILE:-0}" = 1 ]; then
    build onefile dist/onefile/curio
fi

if [ "${SELFTEST:-1}" = 1 ]; then
    QT_QPA_PLATFORM=offscreen dist/curio/curio --selftest
fi
