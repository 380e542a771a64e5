"""Stage 6, write: publish a build atomically.

The files of a build are written into a fresh folder beside the output (`.output.new-<pid>`),
checked, and then swapped with the published folder in one step (Linux `renameat2` with
RENAME_EXCHANGE), so the lobby screen and the web server never see a half-written or mixed tree.
A build killed at any moment leaves the last good output exactly as it was; leftovers of killed
builds are removed by the next one. A lock file beside the output refuses a second build at once.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

from .errors import LockedError, PublishError
from .i18n import Msg
from .load import os_reason

log = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system cannot."""
    if _renameat2 is None:
        return False
    rc = _renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise PublishError(
        Msg("msg.write.swap", path=b, reason=os_reason(OSError(err, os.strerror(err))))
    )


MARKER = ".board-build.json"  # the manifest every build writes: "this folder is board's output"


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def safe_output(content_dir: Path | str, out_dir: Path | str, preview: bool = False) -> Path:
    """The folder a build may publish into, or PublishError before anything is rendered.

    Publishing replaces the whole folder, so it must be board's own: a folder that does not
    exist yet, an empty one, or one holding an earlier build (its manifest `.board-build.json`
    is the marker). The register itself, a folder inside it or containing it, `/` and the home
    folder are refused whatever they hold; so is a folder inside another board's output (whose
    next build would delete it) or inside a record of published months. A preview (`board
    serve`, `preview`) and a publication never share a folder. A symbolic link at `out_dir` is
    followed: the build is published into its target, and the link stays as it is. Returns the
    real path.
    """
    shown = str(out_dir)
    real = Path(os.path.realpath(out_dir))
    content = Path(os.path.realpath(content_dir))
    if real == content:
        raise PublishError(Msg("msg.out.is_register", out=shown))
    if _within(real, content):
        raise PublishError(Msg("msg.out.inside_register", out=shown, content=content_dir))
    if _within(content, real):
        if real == Path("/"):
            raise PublishError(Msg("msg.out.root", out=real))
        raise PublishError(Msg("msg.out.contains_register", out=shown, content=content_dir))
    if real == Path("/"):
        raise PublishError(Msg("msg.out.root", out=real))
    home = Path(os.path.realpath(Path.home()))
    if real == home:
        raise PublishError(Msg("msg.out.home", out=real))
    from .published import is_record_folder  # published knows what a record looks like

    for parent in real.parents:
        if (parent / MARKER).is_file():
            raise PublishError(
                Msg("msg.out.inside_output", out=shown, other=parent, name=real.name)
            )
        if is_record_folder(parent):
            raise PublishError(Msg("msg.out.inside_record", out=shown, other=parent))
    try:
        if not real.exists():
            return real
        if not real.is_dir():
            raise PublishError(Msg("msg.out.not_folder", out=shown))
        entries = sorted(entry.name for entry in real.iterdir())
    except OSError as exc:
        raise PublishError(Msg("msg.out.unreadable", out=shown, reason=os_reason(exc))) from None
    if entries and not (real / MARKER).is_file():
        if is_record_folder(real):
            raise PublishError(Msg("msg.out.is_record", out=shown))
        raise PublishError(Msg("msg.out.foreign", out=shown, example=entries[0], marker=MARKER))
    if entries and _is_preview(real) != preview:
        raise PublishError(
            Msg("msg.out.preview" if not preview else "msg.out.published", out=shown)
        )
    return real


def _is_preview(out: Path) -> bool:
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("preview") is True


def staging_paths(out_dir: Path) -> tuple[Path, Path]:
    """The lock file and the prefix of staging folders of an output folder."""
    parent = out_dir.parent
    return parent / f".{out_dir.name}.lock", parent / f".{out_dir.name}.new-"


# Lock files this process holds. A process forked while a build holds its lock (a PDF worker,
# board/parallel.py) closes its copies at once: a flock lasts while any copy is open, and a
# worker that outlives a killed build for a moment must not keep the next build out.
_HELD: set[int] = set()


def _close_held_in_child() -> None:
    for fd in _HELD:
        with suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output's lock for a build; a second build at once raises LockedError."""
    lock_path, _ = staging_paths(out_dir)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise LockedError(Msg("msg.write.locked", path=out_dir, process=holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)


def clean_leftovers(out_dir: Path) -> None:
    """Remove staging folders of earlier builds that were killed (call with the lock held)."""
    _, prefix = staging_paths(out_dir)
    for path in out_dir.parent.glob(prefix.name + "*"):
        shutil.rmtree(path, ignore_errors=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write one file by a temporary file beside it and one rename: never half written (the
    register's files that `board import` and `board new-month` write, the office's papers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    for name, data in sorted(files.items()):
        target = root / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise PublishError(Msg("msg.write.outside", name=name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(
    out_dir: Path,
    files: Mapping[str, bytes],
    check: Callable[[Path], None] | None = None,
    keep: Mapping[str, bytes] | None = None,
    locked: bool = False,
) -> None:
    """Write `files` as the new content of `out_dir`, atomically.

    `check(staging)` runs on the complete staging folder before the swap and raises to refuse it.
    `keep` are files carried over into every build (e.g. the output folder's README).
    `locked`: the caller already holds `output_lock(out_dir)` (a build holds it throughout).
    """
    out_dir = Path(out_dir)
    _, prefix = staging_paths(out_dir)
    staging = Path(f"{prefix}{os.getpid()}")
    with nullcontext() if locked else output_lock(out_dir):
        clean_leftovers(out_dir)
        try:
            staging.mkdir(parents=True)
            write_tree(staging, {**(keep or {}), **files})
            if check is not None:
                check(staging)
            _fsync_tree(staging)
            if out_dir.exists() and not out_dir.is_dir():
                raise PublishError(Msg("msg.write.not_folder", path=out_dir))
            if out_dir.is_dir():
                if not _exchange(staging, out_dir):
                    # No atomic exchange here: two renames; a crash between them leaves the
                    # old build in the staging folder, never a mixed tree.
                    old = Path(f"{prefix}old-{os.getpid()}")
                    os.rename(out_dir, old)
                    os.rename(staging, out_dir)
                    staging = old
            else:
                os.rename(staging, out_dir)
            dir_fd = os.open(out_dir.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.debug("published %d files to %s", len(files), out_dir)
