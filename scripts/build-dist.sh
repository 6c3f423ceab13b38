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
# What build.spec uses to make the bundle smaller: strip (binutils) for symbol tables, the C
# compiler to link the trimmed ICU data (scripts/icudata.py). Without them the build still
# works, 40 MB bigger, and says so.
BUILD_DEBS="binutils gcc"
. scripts/debs.sh
ensure_debs "the frozen binary" $FROZEN_DEBS || true
ensure_debs "a small bundle" $BUILD_DEBS || true

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
    # Known noise: Windows DLLs named in ctypes code, GTK for the dropped theme plugin.
    grep -v -e "required via ctypes not found" -e "libqgtk3.so" "$log" || true
    echo "built $out in $(( $(date +%s) - started )) s: $(du -sh "$out" | cut -f1)"
}
build onedir dist/curio
# The size goal (under 250 MB, benchmarks/dist_bench.py) is close: a dependency's new
# release can cross it, and the build says so.
bytes=$(du -sb dist/curio | cut -f1)
if [ "$bytes" -gt 250000000 ]; then
    echo "warning: dist/curio is $(( bytes / 1000000 )) MB, over the 250 MB goal" >&2
else
    echo "dist/curio: $(( bytes / 1000000 )) MB (goal: under 250 MB)"
fi
# The built folder adds itself to the application menu without the checkout.
cp scripts/install-desktop.sh dist/curio/install-desktop.sh
if [ "${CURIO_ONEFILE:-0}" = 1 ]; then
    build onefile dist/onefile/curio
fi

if [ "${SELFTEST:-1}" = 1 ]; then
    QT_QPA_PLATFORM=offscreen dist/curio/curio --selftest
fi
