#!/usr/bin/env bash
# Refresh the lock after a change of dependencies in pyproject.toml (docs/install.md):
# requirements/runtime.txt (board alone) and requirements/test.txt (board and the test tools),
# every version pinned with the SHA-256 of every file PyPI has for it, for every platform.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-uv}"
command -v "$UV" >/dev/null || UV=".venv/bin/uv"
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet)
"$UV" pip compile pyproject.toml "${common[@]}" "$@" -o requirements/runtime.txt
"$UV" pip compile pyproject.toml --group test "${common[@]}" "$@" -o requirements/test.txt
echo "lock: requirements/runtime.txt, requirements/test.txt"
