#!/usr/bin/env bash
# Set up (or refresh) the development environment: a virtual environment in .venv with
# ruchy-opt installed in editable mode and the test dependencies. Idempotent and quick
# when nothing changed. Also tries to install Graphviz's `dot` (for rendering CFG
# dumps); without it ruchy-opt writes .dot files only.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.ruchy-opt-installed
# The install mode is part of the stamp, so a change of it refreshes existing set-ups.
mode=compat
want=$( (cat pyproject.toml; echo "editable_mode=$mode") | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    echo "setting up .venv (first run only; log in .venv/pip.log)..." >&2
    # editable_mode=compat installs a one-line .pth naming this directory. The default
    # (an import hook in site-packages) costs every Python start ~25 ms, a third of a
    # warm `run` of a cached program; newer setuptools may drop compat, hence the fallback.
    .venv/bin/python -m pip install -q -e '.[test]' --config-settings editable_mode=$mode \
        > .venv/pip.log 2>&1 \
        || .venv/bin/python -m pip install -q -e '.[test]' >> .venv/pip.log 2>&1 \
        || { cat .venv/pip.log >&2; exit 1; }
    echo "$want" > "$stamp"
fi
if ! command -v dot >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if ! [ -f .venv/.graphviz-tried ]; then
        touch .venv/.graphviz-tried
        (apt-get update -qq && apt-get install -y -qq graphviz) >/dev/null 2>&1 \
            || echo "note: could not install graphviz; CFG dumps will be .dot files only" >&2
    fi
fi
