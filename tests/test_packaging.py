"""The package as it is installed: the lock pins everything pyproject declares, the wheel builds
without warnings and carries the catalog and the templates, one version."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

import board

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _normal(name: str) -> str:
    """A distribution's name as PEP 503 compares them: ruamel.yaml is ruamel-yaml."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _normal(re.split(r"[<>=!~; \[]", requirement, maxsplit=1)[0])


def _pins(lock: Path) -> dict[str, str]:
    """`name==version` lines of a lock, each followed by its hashes."""
    text = lock.read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", text, flags=re.M))
    blocks = re.split(r"\n(?=[a-z0-9])", text.strip())
    assert all("--hash=sha256:" in block for block in blocks), "a pin without its hashes"
    return {_normal(name): v for name, v in pins.items()}


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        ("requirements/runtime.txt", PYPROJECT["project"]["dependencies"]),
        (
            "requirements/test.txt",
            PYPROJECT["project"]["dependencies"] + PYPROJECT["dependency-groups"]["test"],
        ),
    ],
)
def test_the_lock_pins_every_declared_dependency_with_its_hashes(
    lock: str, declared: list[str]
) -> None:
    pins = _pins(ROOT / lock)
    missing = sorted({_name(r) for r in declared} - set(pins))
    assert missing == [], f"{lock} does not pin {missing}: run tools/lock.sh"


def test_what_is_installed_is_what_the_lock_pins() -> None:
    pins = _pins(ROOT / "requirements" / "test.txt")
    for name in ("weasyprint", "pillow", "click", "jinja2", "fonttools", "python-docx"):
        assert version(name) == pins[name], name


def test_one_version() -> None:
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert version("board") == board.__version__


def test_the_wheel_builds_without_warnings_and_carries_its_data(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "warning" not in (built.stdout + built.stderr).lower(), built.stderr
    (wheel,) = tmp_path.glob("board-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for locale in ("zh_CN", "en"):
        assert f"board/locale/{locale}/LC_MESSAGES/board.mo" in names
    assert "board/locale/zh_CN/LC_MESSAGES/click.mo" in names
    assert "board/py.typed" in names
    shipped = {
        n.removeprefix("board/templates/") for n in names if n.startswith("board/templates/")
    }
    ours = {
        str(p.relative_to(ROOT / "templates"))
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert ours <= shipped
    metadata = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        .decode()
    )
    assert "License-Expression: MIT" in metadata
    assert "Operating System :: POSIX :: Linux" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in names)
