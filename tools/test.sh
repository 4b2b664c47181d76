#!/usr/bin/env bash
# Set everything up, then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
# -n auto: one worker per core (pytest-xdist); a later -n in "$@" (-n0 to debug) wins.
exec .venv/bin/python -m pytest -n auto "$@"
