# Sourced by the set-up scripts: make sure Debian packages are installed.
# ensure_debs WHAT PKG...: installs the missing ones when root with apt-get, otherwise
# prints the exact command and returns 1.
ensure_debs() {
    what=$1
    shift
    command -v dpkg-query >/dev/null 2>&1 || return 0  # not a Debian-like system
    missing=""
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $pkg"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing system libraries for $what:$missing"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
        return 0
    fi
    echo "$what needs these system libraries; install them with:"
    echo "  sudo apt-get install -y$missing"
    return 1
}
