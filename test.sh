#!/usr/bin/env bash
# Every check: lint, format, types, the catalog, and the whole test suite (browser and PDF tests
# included), on every core (pytest-xdist; each module's tests on one worker, so a module's
# fixtures are built once, and the session's builds shared by the workers: tests/conftest.py).
# Prints how long it took.
set -euo pipefail
cd "$(dirname "$0")"
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
started=$(date +%s)
"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" -m mypy
"$PY" tools/catalog.py check
"$PY" -m pytest -n "${BOARD_TEST_WORKERS:-auto}" --dist loadscope -q "$@"
echo "test.sh: every check passed in $(( $(date +%s) - started )) s"
