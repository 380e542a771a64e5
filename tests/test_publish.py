"""Nothing lost: a build killed at any moment leaves the last good output byte for byte.

The kills are real: a build runs in a child process and receives SIGKILL, at the end of each
stage, in the middle of writing the staging folder, around the swap, and at random times.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from board.build import STAGES, _check_tree, build
from board.errors import LockedError, PublishError, RenderError
from board.write import output_lock, publish
from tests.conftest import NO_PDF

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from contextlib import contextmanager
    from board import build as b, write as w

    content, out, point, stages = sys.argv[1:5]
    stages = None if stages == "all" else tuple(stages.split(","))

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if point.startswith("after:"):
        stage = point[len("after:"):]
        original = b.Reporter.stage

        @contextmanager
        def stage_then_die(self, name):
            with original(self, name):
                yield
            if name == stage:
                die()

        b.Reporter.stage = stage_then_die
    elif point.startswith("files:"):
        count = int(point[len("files:"):])
        original_write = w.write_tree

        def write_some(root, files):
            names = sorted(files)
            w.write_tree.__wrapped__(root, {n: files[n] for n in names[:count]})
            die()

        write_some.__wrapped__ = original_write
        w.write_tree = write_some
    elif point in ("before-swap", "after-swap"):
        original_exchange = w._exchange

        def exchange(a, b_):
            if point == "before-swap":
                die()
            result = original_exchange(a, b_)
            die()
            return result

        w._exchange = exchange
    b.build(content, out, stages=stages)
    """
)


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def survivors(marker: str, timeout: float) -> list[int]:
    """Processes whose command line mentions `marker`, once `timeout` has passed for them to end."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
                state = (entry / "stat").read_text().split(") ", 1)[1][0]
            except OSError:
                continue
            if marker in cmdline and state != "Z":
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def change_content(content: Path) -> None:
    report = content / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶，开始装修"),
        encoding="utf-8",
    )


def publish_twice(scratch: Path, tmp_path: Path, stages: tuple[str, ...] | None):
    """The scratch register built (old), then changed and built elsewhere (new)."""
    out = tmp_path / "out"
    # one register in two folders (its state before and after the change): one identity
    board = scratch / "board.yaml"
    board.write_text(board.read_text(encoding="utf-8") + "id: publish-test\n", encoding="utf-8")
    shutil.copytree(scratch, tmp_path / "old-content")
    build(scratch, out, stages=stages)
    old = digest(out)
    change_content(scratch)
    reference = tmp_path / "reference"
    build(scratch, reference, stages=stages)
    new = digest(reference)
    assert old != new
    return scratch, out, old, new


@pytest.fixture
def published(scratch: Path, tmp_path: Path):
    """Old and new builds without PDFs: publishing is the same for every kind of file."""
    return publish_twice(scratch, tmp_path, NO_PDF)


@pytest.fixture
def published_with_pdfs(scratch: Path, tmp_path: Path):
    return publish_twice(scratch, tmp_path, None)


def kill_at(content: Path, out: Path, point: str, stages: tuple[str, ...] | None = NO_PDF) -> int:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            str(content),
            str(out),
            point,
            ",".join(stages) if stages else "all",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode


CHEAP_POINTS = ["after:load+validate", "after:compute"] + [
    f"after:{name}" for name, _ in STAGES if name in NO_PDF
]


@pytest.mark.parametrize("point", [*CHEAP_POINTS, "files:0", "files:1", "files:3", "before-swap"])
def test_a_build_killed_before_the_swap_leaves_the_old_output(published, point: str) -> None:
    content, out, old, _ = published
    assert kill_at(content, out, point) == -signal.SIGKILL
    assert digest(out) == old


@pytest.mark.slow
@pytest.mark.parametrize("point", ["after:print", "files:2", "before-swap"])
def test_a_build_with_pdfs_killed_before_the_swap_leaves_the_old_output(
    published_with_pdfs, point: str
) -> None:
    content, out, old, _ = published_with_pdfs
    assert kill_at(content, out, point, None) == -signal.SIGKILL
    assert digest(out) == old


@pytest.mark.slow
def test_a_build_killed_right_after_the_swap_has_published_the_whole_new_tree(
    published_with_pdfs,
) -> None:
    content, out, _, new = published_with_pdfs
    assert kill_at(content, out, "after-swap", None) == -signal.SIGKILL
    assert digest(out) == new


@pytest.mark.slow
def test_a_build_killed_at_random_times_leaves_old_or_new_never_a_mix(
    published_with_pdfs, tmp_path: Path
) -> None:
    content, out, old, new = published_with_pdfs
    old_content = tmp_path / "old-content"
    command = [sys.executable, "-m", "board", "build", "--out", str(out)]
    started = time.perf_counter()
    subprocess.run([*command, str(content)], check=True, capture_output=True)
    duration = time.perf_counter() - started
    rng = random.Random(20200926)
    for _ in range(5):
        build(old_content, out)
        assert digest(out) == old
        proc = subprocess.Popen(
            [*command, str(content)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.05, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert digest(out) in (old, new)
        # the build's PDF workers die with it instead of waiting for work forever
        assert survivors(str(out), timeout=5.0) == []


def test_leftovers_of_killed_builds_are_cleaned_by_the_next_build(published) -> None:
    content, out, _, new = published
    assert kill_at(content, out, "files:1") == -signal.SIGKILL
    assert list(out.parent.glob(".out.new-*"))
    build(content, out, stages=NO_PDF)
    assert not list(out.parent.glob(".out.new-*"))
    assert digest(out) == new


def test_a_second_build_at_once_is_refused(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    before = digest(out)
    change_content(scratch)
    with output_lock(out), pytest.raises(LockedError) as exc:
        build(scratch, out, stages=NO_PDF)
    assert f"another build is publishing to {out} (process {os.getpid()})" in str(exc.value)
    assert digest(out) == before


def test_a_check_that_fails_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"a.txt": b"old"})

    def refuse(staging: Path) -> None:
        raise PublishError("refused")

    with pytest.raises(PublishError):
        publish(out, {"a.txt": b"new"}, check=refuse)
    assert (out / "a.txt").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.new")] == []


def test_a_pdf_cut_short_or_overwritten_is_refused_before_the_swap(
    example_build, tmp_path: Path
) -> None:
    name = next(n for n in example_build.files if n.endswith(".pdf"))
    whole = example_build.files[name]
    out = tmp_path / "out"
    publish(out, {"a.txt": b"old"})
    damaged = {
        "cut short": whole[: len(whole) // 2],
        "tail overwritten": whole[:-40] + b"\0" * 40,
        "wrong cross-reference offset": whole.replace(b"startxref\n", b"startxref\n1", 1),
        "not a PDF": b"<html>" + whole[6:],
    }
    for what, data in damaged.items():
        with pytest.raises(RenderError, match=f"{name} is not a whole PDF"):
            publish(out, {name: data}, check=_check_tree({name: data}))
        assert (out / "a.txt").read_bytes() == b"old", what
    publish(out, {name: whole}, check=_check_tree({name: whole}))
    assert (out / name).read_bytes() == whole


def test_paths_outside_the_output_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="refusing to write outside the output"):
        publish(tmp_path / "out", {"../escape.txt": b"x"})
    assert not (tmp_path / "escape.txt").exists()


def test_build_never_writes_content(scratch: Path, tmp_path: Path) -> None:
    before = digest(scratch)
    mtimes = {p: p.stat().st_mtime_ns for p in scratch.rglob("*")}
    build(scratch, tmp_path / "out")
    assert digest(scratch) == before
    assert {p: p.stat().st_mtime_ns for p in scratch.rglob("*")} == mtimes
