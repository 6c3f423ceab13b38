#!/bin/sh
# Start Curio on its default catalog; the bundled sample library opens on first start.
set -eu
cd "$(dirname "$0")/.."
scripts/bootstrap.sh app
exec .venv/bin/python -m desktop "$@"
