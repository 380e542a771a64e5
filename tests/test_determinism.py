"""Deterministic builds: the same content gives byte-identical output trees, run in fresh processes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from board.build import BuildResult
from board.cache import cache_dir
from tests.conftest import CONTENT, copy_content


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fresh_build(content: Path, out: Path, **env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment["BOARD_SHARED_CACHE"] = "0"  # rendered here, not taken from the session's cache
    environment.update(env)
    subprocess.run(
        [sys.executable, "-m", "board", "build", str(content), "--out", str(out), "--force"],
        check=True,
        capture_output=True,
        env=environment,
        cwd=out.parent,
    )


@pytest.mark.slow
def test_a_build_in_a_fresh_process_is_byte_identical_to_the_sessions(
    example_build: BuildResult, tmp_path: Path
) -> None:
    """The session's build of the example (in the test process, PDFs in parallel processes)
    against one in a fresh process with another hash seed and time zone, rendering the PDFs
    one after the other: the same tree, byte for byte."""
    assert "SOURCE_DATE_EPOCH" not in os.environ  # as fresh_build runs
    fresh_build(
        CONTENT, tmp_path / "two", PYTHONHASHSEED="12345", TZ="America/New_York", BOARD_JOBS="1"
    )
    one, two = digest(example_build.out_dir), digest(tmp_path / "two")
    assert one == two
    kinds = {Path(name).suffix for name in one}
    assert {".json", ".md"} <= kinds


@pytest.mark.slow
def test_source_date_epoch_is_the_only_clock(tmp_path: Path) -> None:
    """Two builds with SOURCE_DATE_EPOCH at different times give the same bytes. The second
    starts from the first's build cache (a copy): every unit whose input holds a date (the
    PDFs' HTML carries their date stamp, the cache key SOURCE_DATE_EPOCH) or is not cached
    (the Word copies, the site, the data) is made again, so a clock leaking into any of them
    shows; WeasyPrint's own writing of a PDF is compared cold by the test above.

    The example's last two months (August published as a past month, September as the
    month): every output and the record, at half the cost of its four months."""
    content = copy_content(tmp_path / "content", months=2)
    fresh_build(content, tmp_path / "a", SOURCE_DATE_EPOCH="1601424000")
    shutil.copytree(cache_dir(tmp_path / "a"), cache_dir(tmp_path / "b"))
    fresh_build(content, tmp_path / "b", SOURCE_DATE_EPOCH="1601424000")
    one, two = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert one == two
    assert {"print/sheets-2020-08.pdf", "print/bulletin-2020-09.docx"} <= set(one)


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
