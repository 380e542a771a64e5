"""Nothing lost: the output folder is board's own or it is refused, before anything is rendered;
the whole build holds the lock; a failing disk is one clear line and the old output stays.

Every refusal is checked the way a user would: the exact message, exit status 1, and the
register and the previous output hashed before and after, byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from board.build import Reporter, build
from board.cli import main
from board.errors import LockedError, PublishError
from board.i18n import Msg
from board.write import output_lock, safe_output
from tests.conftest import BOARD_YAML, NO_PDF, project_yaml, write_files


def tree(root: Path) -> dict[str, str]:
    """Every file under root (links not followed) with its hash: the 'byte for byte' of a tree."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def previous(scratch: Path, tmp_path: Path) -> Path:
    """An earlier build of the scratch register in tmp_path/output."""
    out = tmp_path / "output"
    build(scratch, out, stages=NO_PDF)
    return out


def refused(
    capsys: pytest.CaptureFixture[str], content: Path, out: Path, message: str, *watch: Path
) -> None:
    before = {w: tree(w) for w in (content, *watch)}
    code = main(["build", str(content), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"failed: {message}\n"
    assert {w: tree(w) for w in (content, *watch)} == before


def test_the_register_itself_is_refused(scratch: Path, previous: Path, capsys) -> None:
    refused(
        capsys,
        scratch,
        scratch,
        f"the output folder {scratch} is the register itself and publishing would delete it; "
        "choose another --out, such as output",
        previous,
    )


@pytest.mark.parametrize("inner", ["projects", "reports", "new-folder", "projects/deeper"])
def test_a_folder_inside_the_register_is_refused(scratch: Path, inner: str, capsys) -> None:
    refused(
        capsys,
        scratch,
        scratch / inner,
        f"the output folder {scratch / inner} is inside the register {scratch}; "
        "put the output outside the register, such as --out output",
    )
    assert not (scratch / "new-folder").exists()


def test_a_folder_containing_the_register_is_refused(
    scratch: Path, previous: Path, tmp_path: Path, capsys
) -> None:
    refused(
        capsys,
        scratch,
        tmp_path,
        f"the output folder {tmp_path} contains the register {scratch} and publishing would "
        "delete it; choose another --out",
        previous,
    )


def test_the_root_folder_is_refused(scratch: Path, capsys) -> None:
    refused(
        capsys,
        scratch,
        Path("/"),
        "the output folder cannot be the root folder /; choose an empty folder",
    )


def test_the_home_folder_is_refused(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "diary.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    refused(
        capsys,
        scratch,
        home,
        f"the output folder cannot be the home folder {home}; choose an empty folder, "
        f"such as {home}/output",
        home,
    )


def test_a_folder_with_other_files_is_refused(scratch: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "budget.xlsx").write_bytes(b"not board's")
    (other / "photos").mkdir()
    refused(
        capsys,
        scratch,
        other,
        f"the output folder {other} holds other files (such as budget.xlsx) and no board "
        "output marker .board-build.json; publishing would delete them, so choose an empty "
        "or new folder",
        other,
    )


def test_a_file_at_out_is_refused(scratch: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    # the command line refuses it as a usage error (exit 2); the library refuses it too
    assert main(["build", str(scratch), "--out", str(target)]) == 2
    with pytest.raises(PublishError) as exc:
        build(scratch, target, stages=NO_PDF)
    assert str(exc.value) == f"{target} exists and is not a folder; choose another --out"
    assert target.read_text() == "keep me"


def test_the_messages_read_in_chinese() -> None:
    assert Msg("msg.out.is_register", out="content").text("zh-CN") == (
        "输出文件夹content就是登记册本身，发布会删除登记册；请另选输出文件夹，例如 --out output"
    )
    assert Msg(
        "msg.out.failed", out="output", path="output/x", reason="No space left on device"
    ).text("zh-CN") == ("发布到output失败：output/x：No space left on device；原有输出未改动")


def test_an_empty_folder_and_an_earlier_output_are_accepted(
    scratch: Path, tmp_path: Path, previous: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(scratch, empty, stages=NO_PDF)
    assert (empty / ".board-build.json").is_file()
    assert safe_output(scratch, previous) == previous
    build(scratch, previous, stages=NO_PDF, force=True)
    assert (previous / "site" / "index.html").is_file()


def test_a_symlink_at_out_publishes_into_its_target_and_leaves_nothing_behind(
    scratch: Path, tmp_path: Path
) -> None:
    target = tmp_path / "srv" / "board"
    link = tmp_path / "links" / "output"
    target.parent.mkdir()
    link.parent.mkdir()
    link.symlink_to(target)
    for _ in range(2):  # the first build creates the target, the second replaces it
        build(scratch, link, stages=NO_PDF, force=True)
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert (target / "site" / "index.html").is_file()
        assert [p.name for p in link.parent.iterdir()] == ["output"]
        leftovers = [p.name for p in target.parent.iterdir() if ".new-" in p.name]
        assert leftovers == []


def test_a_symlink_to_the_register_is_refused(scratch: Path, tmp_path: Path, capsys) -> None:
    link = tmp_path / "output-link"
    link.symlink_to(scratch)
    refused(
        capsys,
        scratch,
        link,
        f"the output folder {link} is the register itself and publishing would delete it; "
        "choose another --out, such as output",
    )
    assert link.is_symlink()


def test_serve_refuses_the_same_folders(scratch: Path, capsys) -> None:
    before = tree(scratch)
    code = main(["serve", str(scratch), "--out", str(scratch / "reports"), "--port", "8765"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"failed: the output folder {scratch / 'reports'} is inside the register {scratch}; "
        "put the output outside the register, such as --out output\n"
    )
    assert tree(scratch) == before


# -- the lock -------------------------------------------------------------------------------


def test_the_whole_build_holds_the_lock(scratch: Path, tmp_path: Path) -> None:
    """From reading the register to the swap: a second build at any stage is refused."""
    out = tmp_path / "output"
    seen: list[str] = []

    class Probe(Reporter):
        @contextlib.contextmanager
        def stage(self, name: str) -> Iterator[None]:
            with (
                pytest.raises(LockedError, match=f"another build is publishing to {out}"),
                output_lock(out),
            ):
                pass
            seen.append(name)
            with super().stage(name):
                yield

    build(scratch, out, stages=NO_PDF, reporter=Probe())
    assert seen == [
        "load+validate",
        "compute",
        "data",
        "assets",
        "screen",
        "photos",
        "published",
        "site",
        "write",
    ]
    with output_lock(out):  # released afterwards
        pass


def test_a_second_build_fails_fast_with_a_clear_message(
    scratch: Path, previous: Path, capsys
) -> None:
    before = tree(previous)
    with output_lock(previous):
        code = main(["build", str(scratch), "--out", str(previous), "--force"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"failed: another build is publishing to {previous} (process {os.getpid()}); "
        "wait for it to finish and build again\n"
    )
    assert tree(previous) == before


# -- clean failures on a real small or read-only file system ---------------------------------


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path]:
    """A real tmpfs of `size`, mounted for the test (root only); skipped where mounting fails."""
    mount = Path(tempfile.mkdtemp(prefix="board-tmpfs-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def change(content: Path) -> None:
    report = content / "reports" / "2020-09.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶，开始装修"))


def test_disk_full_is_one_line_and_the_output_stays(scratch: Path, capsys) -> None:
    with tmpfs("2m") as disk:
        out = disk / "output"
        build(scratch, out, stages=("data", "site"))
        before = tree(out)
        used = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        filler = disk / "filler"
        # fill the disk, then free less room than one more output needs
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        filler.write_bytes(b"\0" * (filler.stat().st_size - used // 2 - 16384))
        change(scratch)
        code = main(["build", str(scratch), "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 1
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"failed: publishing to {out} failed: ")
        assert lines[0].endswith(": No space left on device; the previous output is untouched")
        assert "Traceback" not in err
        assert tree(out) == before
        assert [p.name for p in disk.iterdir() if ".new-" in p.name] == []


def test_a_read_only_output_is_one_line_and_the_output_stays(scratch: Path, capsys) -> None:
    with tmpfs("8m") as disk:
        out = disk / "output"
        build(scratch, out, stages=NO_PDF)
        before = tree(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        change(scratch)
        code = main(["build", str(scratch), "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 1
        assert err == (
            f"failed: publishing to {out} failed: {disk / '.output.lock'}: Read-only file system; "
            "the previous output is untouched\n"
        )
        assert tree(out) == before


def test_permission_denied_is_one_line_and_the_output_stays(capsys) -> None:
    """A build run by a user who may not write beside the output (a real other user)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to act as another user")
    shared = Path(tempfile.mkdtemp(prefix="board-perm-"))
    try:
        shared.chmod(0o755)
        register = write_files(
            shared / "content",
            {
                "board.yaml": BOARD_YAML,
                "projects/a.yaml": project_yaml("a", order=1),
                "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n",
            },
        )
        for path in [register, *register.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        out = shared / "output"
        build(register, out, stages=NO_PDF)
        before = tree(out)
        # another user (nobody), for this build only: root may write anywhere
        os.setegid(65534)
        os.seteuid(65534)
        try:
            code = main(["build", str(register), "--out", str(out), "--force"])
        finally:
            os.seteuid(0)
            os.setegid(0)
        assert code == 1
        assert capsys.readouterr().err == (
            f"failed: publishing to {out} failed: {shared / '.output.lock'}: Permission denied; "
            "the previous output is untouched\n"
        )
        assert tree(out) == before
    finally:
        shutil.rmtree(shared)


def test_a_vanished_output_folder_is_one_line(scratch: Path, tmp_path: Path, capsys) -> None:
    """The folder holding the output disappears mid-build (a file takes its place)."""
    parent = tmp_path / "srv"
    out = parent / "output"
    build(scratch, out, stages=NO_PDF)
    change(scratch)

    class Vanish(Reporter):
        @contextlib.contextmanager
        def stage(self, name: str) -> Iterator[None]:
            if name == "write":
                shutil.rmtree(parent)
                parent.write_text("not a folder")
            with super().stage(name):
                yield

    with pytest.raises(PublishError) as exc:
        build(scratch, out, stages=NO_PDF, reporter=Vanish())
    assert str(exc.value) == (
        f"publishing to {out} failed: {parent / '.output.new-'}{os.getpid()}: Not a directory; "
        "the previous output is untouched"
    )
    assert parent.read_text() == "not a folder"


def test_a_forked_worker_does_not_keep_the_lock(tmp_path: Path) -> None:
    """PDF workers are forked while the build holds the lock; they must not hold it on."""
    out = tmp_path / "output"
    read_end, write_end = os.pipe()
    ready_read, ready_write = os.pipe()
    with output_lock(out):
        pid = os.fork()
        if pid == 0:  # the worker: says it runs, then lives on until told to end
            os.write(ready_write, b"r")
            os.read(read_end, 1)
            os._exit(0)
        assert os.read(ready_read, 1) == b"r"
    os.close(ready_read)
    os.close(ready_write)
    try:
        with output_lock(out):  # the build is over: the next one may start
            pass
    finally:
        os.write(write_end, b"x")
        os.waitpid(pid, 0)
        os.close(read_end)
        os.close(write_end)
