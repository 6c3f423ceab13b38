#!/bin/sh
# Add Curio to the desktop's application menu, for this user only: a desktop entry in
# ~/.local/share/applications and the icon in ~/.local/share/icons/hicolor, both pointing
# at a built Curio folder (the one holding the `curio` binary and `_internal/`).
#
# Usage: install-desktop.sh [--uninstall] [FOLDER]
#   FOLDER defaults to the folder this script sits in when it is a built Curio folder
#   (make dist copies it there), else dist/curio of the checkout it belongs to.
set -eu

uninstall=0
if [ "${1:-}" = --uninstall ]; then uninstall=1; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then
    bundle=$(cd "$1" && pwd)
elif [ -x "$here/curio" ] && [ -d "$here/_internal" ]; then
    bundle=$here
else
    bundle=$(cd "$here/.." && pwd)/dist/curio
fi

data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"
SIZES="16 32 48 64 128 256"

refresh() {  # menus and icon caches pick the change up (where these tools exist)
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
}

if [ "$uninstall" = 1 ]; then
    rm -f "$apps/curio.desktop" "$icons/scalable/apps/curio.svg"
    for size in $SIZES; do rm -f "$icons/${size}x${size}/apps/curio.png"; done
    refresh
    echo "Removed Curio from the application menu (your catalog stays where it is)."
    exit 0
fi

binary="$bundle/curio"
res="$bundle/_internal/resources"
if [ ! -x "$binary" ] || [ ! -f "$res/curio.desktop" ]; then
    echo "No built Curio at $bundle: run 'make dist' first, or name the folder." >&2
    exit 2
fi

mkdir -p "$apps" "$icons/scalable/apps"
for size in $SIZES; do
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$res/icons/curio-$size.png" "$icons/${size}x${size}/apps/curio.png"
done
cp "$res/icons/curio.svg" "$icons/scalable/apps/curio.svg"
# The shipped entry names the `curio-desktop` script of a pip install; point it at this
# binary instead. No %F: with arguments the binary is the command line, not the window.
quoted=$(printf '%s' "$binary" | sed 's/[\\"`$]/\\&/g')  # the entry's quoting rules
while IFS= read -r line; do
    case $line in
        Exec=*) printf 'Exec="%s"\n' "$quoted" ;;
        TryExec=*) printf 'TryExec=%s\n' "$binary" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$res/curio.desktop" > "$apps/curio.desktop.part"
mv "$apps/curio.desktop.part" "$apps/curio.desktop"
chmod 644 "$apps/curio.desktop"
refresh
echo "Curio is in the application menu: $apps/curio.desktop -> $binary"
