"""Deterministic builds: the same content gives byte-identical output trees, run in fresh processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTENT


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fresh_build(content: Path, out: Path, **env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    subprocess.run(
        [sys.executable, "-m", "board", "build", str(content), "--out", str(out), "--force"],
        check=True,
        capture_output=True,
        env=environment,
        cwd=out.parent,
    )


@pytest.mark.slow
def test_two_builds_in_fresh_processes_are_byte_identical(tmp_path: Path) -> None:
    fresh_build(CONTENT, tmp_path / "one")
    # the second in another hash seed and time zone, rendering the PDFs one after the other
    # instead of in parallel processes
    fresh_build(
        CONTENT, tmp_path / "two", PYTHONHASHSEED="12345", TZ="America/New_York", BOARD_JOBS="1"
    )
    one, two = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert one == two
    kinds = {Path(name).suffix for name in one}
    assert {".json", ".md"} <= kinds


@pytest.mark.slow
def test_source_date_epoch_is_the_only_clock(tmp_path: Path) -> None:
    fresh_build(CONTENT, tmp_path / "a", SOURCE_DATE_EPOCH="1601424000")
    fresh_build(CONTENT, tmp_path / "b", SOURCE_DATE_EPOCH="1601424000")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_a_site_rendered_over_several_processes_equals_one_rendered_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from board.build import render_all
    from board.generate import generate_register

    content = generate_register(tmp_path / "content", projects=70, months=3)
    site_only = ("site",)
    monkeypatch.setenv("BOARD_JOBS", "1")
    alone, _, _ = render_all(content, stages=site_only)
    monkeypatch.setenv("BOARD_JOBS", "3")
    shared, _, _ = render_all(content, stages=site_only)
    assert len(alone) > 64  # enough pages to be spread over the processes
    assert list(shared) == list(alone)  # the same files, in the same order
    assert shared == alone
