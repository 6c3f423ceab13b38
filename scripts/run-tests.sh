#!/bin/sh
# Lint and run the whole test suite headless, against the real models and real SQLite.
set -eu
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
.venv/bin/ruff check .
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
