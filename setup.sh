#!/usr/bin/env bash
# Set up a fresh Debian machine for board, then build the example board into output/; it ends
# with one line saying where the board is (everything else, the example's warnings too, is in
# .setup.log).
#   Debian packages: fonts-noto-cjk (the CJK font of every output), libharfbuzz-subset0 (fast
#   font subsetting in WeasyPrint), chromium (browser tests), poppler-utils (PDF checks),
#   python3-venv, nodejs/npm (axe-core for the accessibility tests), fonts-arphic-gkai00mp (the
#   楷体 role of the bulletin), libreoffice-writer-nogui (the test that converts the .docx files;
#   installed without recommends, about 200 MB).
#   Python: a virtual environment in .venv with board and its test tools, from the lock.
set -euo pipefail
cd "$(dirname "$0")"

# The packaging tools' chatter (pip's and setuptools' warnings, apt's progress) goes to a log;
# it is printed only when a step fails.
LOG=.setup.log
: >"$LOG"
quietly() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "setup: failed: $*" >&2
    cat "$LOG" >&2
    echo "setup: (this output is kept in $LOG)" >&2
    exit 1
  fi
}

PACKAGES="fonts-noto-cjk fonts-arphic-gkai00mp libharfbuzz-subset0 chromium poppler-utils python3-venv"
OFFICE="libreoffice-writer-nogui"  # without its recommends: Writer alone, no desktop
missing_tools=""
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  quietly apt-get update -qq
  quietly apt-get install -y -qq $PACKAGES
  quietly apt-get install -y -qq --no-install-recommends $OFFICE
else
  echo "setup: not root or no apt-get; install these Debian packages by hand, then run this again:" >&2
  echo "  sudo apt-get install $PACKAGES" >&2
  echo "  sudo apt-get install --no-install-recommends $OFFICE" >&2
  for tool in chromium pdftotext npm soffice; do command -v "$tool" >/dev/null 2>&1 || missing_tools="$missing_tools $tool"; done
  fc-list | grep -q "Noto Sans CJK" || missing_tools="$missing_tools fonts-noto-cjk"
  fc-list | grep -q "AR PL KaitiM GB" || missing_tools="$missing_tools fonts-arphic-gkai00mp"
  if [ -n "$missing_tools" ]; then
    echo "setup: still missing:$missing_tools" >&2
    exit 1
  fi
fi

# Python packages at the versions of the lock (requirements/test.txt: board's dependencies and
# the test tools, each with its SHA-256; docs/install.md says how to refresh it), then board.
# The interpreter: $PYTHON when set; else Debian's own /usr/bin/python3 (the one python3-venv
# above is for) when it is 3.11 or newer and makes the venv; else the first python3 on PATH.
# Debian's build rendered the example's PDFs 7-10% faster than a self-built 3.11 (pyenv's,
# configured without profile-guided optimisation or LTO) on the same machine (bench/results.md).
# An existing .venv is kept, whatever made it: delete it to change.
SYSTEM_PYTHON=/usr/bin/python3
python_new_enough() {  # $1: an interpreter that runs and is 3.11 or newer (pyproject.toml)
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
debian_python() {  # makes .venv with $SYSTEM_PYTHON, or leaves no trace of trying
  [ ! -e .venv ] || return 1
  python_new_enough "$SYSTEM_PYTHON" || return 1
  "$SYSTEM_PYTHON" -m venv .venv >>"$LOG" 2>&1 && return 0
  rm -rf .venv  # what the failed attempt made (python3-venv missing)
  return 1
}
# An interpreter older than 3.11 (UOS and Kylin may ship older ones) is named before anything
# is installed, not left to pip's error in the log.
python_too_old() {  # $1: an interpreter; says why and succeeds when it cannot run board
  local version
  if ! version=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); then
    echo "setup: 运行不了 Python（$1）。请安装 Python 3.11 或更新的版本，或用 PYTHON=解释器的路径 ./setup.sh 指定。" >&2
    return 0
  fi
  python_new_enough "$1" && return 1
  echo "setup: board 需要 Python 3.11 或更新的版本，$1 是 Python $version。" >&2
  return 0
}
if [ ! -x .venv/bin/python ]; then
  if ! { [ -z "${PYTHON:-}" ] && debian_python; }; then
    if python_too_old "${PYTHON:-python3}"; then
      echo "setup: 装上 Python 3.11 或更新的版本后，用它再运行一次，如 PYTHON=/usr/bin/python3.11 ./setup.sh（统信UOS、麒麟等系统自带的 python3 可能较旧）。" >&2
      exit 1
    fi
    quietly "${PYTHON:-python3}" -m venv .venv
  fi
elif python_too_old .venv/bin/python; then
  echo "setup: .venv 是用这个旧版本建的：删除 .venv，再运行 ./setup.sh（需要时加 PYTHON=新版本的路径）。" >&2
  exit 1
fi
quietly .venv/bin/python -m pip install -q --upgrade pip
quietly .venv/bin/python -m pip install -q --require-hashes -r requirements/test.txt
quietly .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
# board's own modules compiled now: a build then starts without compiling them (about 0.07 s of
# each), also where Python may not write them itself (PYTHONDONTWRITEBYTECODE, a read-only folder)
quietly .venv/bin/python -m compileall -q board

if [ -f package-lock.json ]; then
  quietly npm ci --no-audit --no-fund --loglevel=error
fi

# the example board; its own warnings (the example county shows each kind) go to the log too
quietly .venv/bin/board build content --out output
echo "setup: 安装完成（done）。示例公示在 output/：大屏 output/screen/index.html，网站 output/site/index.html，展板和通报 output/print/（详细记录：$LOG）"
