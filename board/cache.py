"""The build cache: nothing changed → nothing rendered; one report changed → only what depends on it.

Two levels, both keyed by content hashes, never by times, and both by the environment that
renders the bytes (`environment_digest`: the versions of the libraries that draw them and the
identity of every font file of the configured families):

- the whole build: a digest of every input (the register's files, the templates, board's own
  code, the month, the options, SOURCE_DATE_EPOCH). When it equals the digest recorded in the
  published output's manifest, the output is already what a build would make.
- each rendered unit (a page, a PDF): `RenderCache.get_or_render(key, render)` stores the bytes
  under a hash of exactly the data the unit is rendered from, in `.<output>.cache/` beside the
  output. A unit whose data did not change is not rendered again; its bytes are the bytes a cold
  build renders, since the key covers every input.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from . import __version__

MANIFEST = ".board-build.json"
_CODE_DIGEST: str | None = None

# The distributions whose code draws the bytes of an output: a new version of any may render
# other bytes, so each is part of every key (importlib.metadata names, as pip installs them).
RENDERERS = (
    "weasyprint",  # HTML and CSS to PDF
    "pydyf",  # the PDF objects WeasyPrint writes
    "fonttools",  # font subsetting
    "pillow",  # photos, images in PDFs
    "python-docx",  # the Word copies
    "jinja2",  # every template
    "openpyxl",  # workbooks
    "pikepdf",  # the sheets' parts joined
    "markdown",  # summaries
    "nh3",  # summaries, sanitised
    "segno",  # QR codes
    "pyyaml",  # the register, read
)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed() -> dict[str, str]:
    """Distribution → version, from the names of the `.dist-info` folders on sys.path (what
    pip writes: `python_docx-1.2.0.dist-info`): a listing per folder, a millisecond, where
    importlib.metadata reads every distribution's metadata (a sixth of a second)."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info") and "-" in entry:
                name, version = entry[: -len(".dist-info")].rsplit("-", 1)
                found.setdefault(_canonical(name), version)
    return found


def package_version(name: str, installed: dict[str, str] | None = None) -> str:
    """The installed version of a distribution ("" when it is not installed)."""
    found = (installed if installed is not None else _installed()).get(_canonical(name))
    if found:
        return found
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def dependency_versions() -> dict[str, str]:
    """The version of each renderer (RENDERERS), as installed now."""
    installed = _installed()
    return {name: package_version(name, installed) for name in RENDERERS}


def environment_digest(fonts: Iterable[tuple[str, int, int, int]]) -> str:
    """A hash of what renders the bytes besides board's own code: the renderers' versions and
    each font file used, by (path, index in a collection, size, mtime_ns): a font package
    upgraded, or a family installed that a role falls back from, renders anew."""
    data = {"versions": dependency_versions(), "fonts": sorted(fonts)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# -- each file hashed once -------------------------------------------------------------------
#
# A build reads the register's files for the whole build's digest, then the photos again to
# check them and again to derive their published images. Each file's SHA-256 is remembered by
# its identity (device, inode, size, mtime and ctime in ns): a file whose identity is unchanged
# has the same bytes, since no write leaves ctime as it was. A file changed within RACY_NS of
# its hashing (where a write in the same clock tick could leave the identity unchanged) is not
# trusted by identity and is hashed again when used, as git does with its index.

RACY_NS = 2_000_000_000
_DIGESTS: dict[str, tuple[tuple[int, ...], str]] = {}  # path → (identity, sha256)


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes, hashed once while the file stays as it is."""
    key = os.path.abspath(path)
    st = os.stat(path)
    known = _DIGESTS.get(key)
    if known is not None and known[0] == _identity(st):
        return known[1]
    data, st = _read(path)
    digest = hash_bytes(data)
    _remember(key, st, digest)
    return digest


def _read(path: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its identity as they were read (fstat on the open file)."""
    with open(path, "rb") as file:
        data = file.read()
        st = os.fstat(file.fileno())
    if not stat.S_ISREG(st.st_mode):
        raise OSError(f"{path} is not a regular file")
    return data, st


def _remember(key: str, st: os.stat_result, digest: str) -> None:
    if max(st.st_mtime_ns, st.st_ctime_ns) < time.time_ns() - RACY_NS:
        _DIGESTS[key] = (_identity(st), digest)
    else:  # changed just now: the identity may not tell the next change
        _DIGESTS.pop(key, None)


def checked_bytes(path: Path, digest: str) -> bytes:
    """The file's bytes, refused (OSError) if they are not the bytes whose hash is `digest`.

    Hashed again only when the file's identity is not the one it had when hashed."""
    key = os.path.abspath(path)
    data, st = _read(path)
    known = _DIGESTS.get(key)
    if known is not None and known == (_identity(st), digest):
        return data
    found = hash_bytes(data)
    if found != digest:
        raise OSError(f"{path} changed during the build")
    _remember(key, st, found)
    return data


def _hash_files(h: Any, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(file_digest(path).encode())
        h.update(b"\0")


def _files(root: Path, pattern: str = "**/*") -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts]


def code_digest() -> str:
    """A hash of board's own code and default templates: a new version renders anew."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        from .render import default_templates

        h = hashlib.sha256(__version__.encode())
        package = Path(__file__).resolve().parent
        _hash_files(h, package, _files(package, "**/*.py"))
        templates = default_templates()
        _hash_files(h, templates, _files(templates))
        _CODE_DIGEST = h.hexdigest()
    return _CODE_DIGEST


def input_digest(content_dir: Path, options: dict[str, Any], environment: str = "") -> str:
    """A hash of everything a build reads: the register, its templates, the code, the options,
    and the environment that renders the bytes (`environment_digest`)."""
    root = Path(content_dir)
    h = hashlib.sha256(code_digest().encode())
    h.update(environment.encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    paths = [root / "board.yaml"] if (root / "board.yaml").is_file() else []
    for folder in ("projects", "reports", "assets", "photos", "templates"):
        paths += _files(root / folder)
    _hash_files(h, root, paths)
    return h.hexdigest()


def manifest(digest: str, files: dict[str, bytes], **more: Any) -> bytes:
    """The manifest published with a build: its input digest and every file's hash, and `more`
    (board.build adds whose register it is, the copy of the record of published months, and
    whether it is a preview)."""
    data = {
        "generator": f"board {__version__}",
        "inputs": digest,
        "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
        **more,
    }
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def up_to_date(out_dir: Path, digest: str) -> bool:
    """Whether the published output was built from exactly these inputs and is all there."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if data.get("inputs") != digest:
        return False
    return all((out_dir / name).is_file() for name in data.get("files", {}))


def cache_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.cache"


SHARED_LIMIT = 1024**3  # bytes the user's shared cache keeps (the least recently used go)


def shared_cache_dir() -> Path | None:
    """The user's cache of rendered units shared by every output and preview
    (`$XDG_CACHE_HOME/board/units/`), or None where `BOARD_SHARED_CACHE=0` turns it off.

    Its keys are hashes of everything a unit is rendered from (`RenderCache.key`), so a unit
    found there has the bytes this build would render: `board build` after `board serve` takes
    what the preview rendered, and a second output of the same register what the first did."""
    if os.environ.get("BOARD_SHARED_CACHE", "").strip().lower() in ("0", "no", "off", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "board" / "units"


def user_cache_file(folder: str, identity: list[Any], suffix: str) -> Path | None:
    """The file of the user's cache folder `$XDG_CACHE_HOME/board/FOLDER/` (beside the shared
    units: the fonts' tables of characters, the QR codes) for what `identity` names (the file's
    format and everything it is made from), or None where `BOARD_SHARED_CACHE=0` turns the
    user's caches off. Its caller checks what it reads there (`read_kept`) and keeps what it
    made (`keep`): a folder that cannot be read or written costs the time, never the build."""
    units = shared_cache_dir()
    if units is None:
        return None
    name = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()[:32]
    return units.parent / folder / f"{name}{suffix}"


def read_kept(path: Path) -> str | None:
    """The text of a file of the user's cache (`user_cache_file`), or None when it cannot be
    read as ASCII."""
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def keep(path: Path, data: bytes) -> None:
    """Write a file of the user's cache whole, or not at all."""
    with contextlib.suppress(OSError):
        _write_atomically(path.parent, path.name, data)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """The templates compiled to Python bytecode, kept for the next build (every build compiled
    some forty templates again: about 0.3 s of each, before anything was rendered).

    In the user's cache folder (`$XDG_CACHE_HOME/board/templates/`, private to the user), one
    folder per version of board, Jinja and Python: Jinja's own key is the template's name and
    file with its source's checksum, not the environment's settings, which are board's code. A
    folder that cannot be read or written costs the time, never the build."""

    @property
    def folder(self) -> Path:
        return Path(self.directory)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache() -> TemplateCache | None:
    """The compiled templates' cache (`TemplateCache`), or None where `BOARD_SHARED_CACHE=0`
    turns the user's caches off."""
    units = shared_cache_dir()
    if units is None:
        return None
    version = f"{__version__}|{jinja2.__version__}|{sys.version}|{code_digest()}"
    name = hashlib.sha256(version.encode()).hexdigest()[:16]
    return TemplateCache(str(units.parent / "templates" / name))


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RenderCache:
    """Rendered bytes by the hash of the data they were rendered from: in the output's own
    folder (`folder`, pruned to what the last build used), and in the user's `shared` folder
    (see `shared_cache_dir`), where a unit rendered for another output or a preview is found."""

    def __init__(
        self, folder: Path | None, environment: str = "", shared: Path | None = None
    ) -> None:
        self.folder = folder
        self.shared = shared if folder is not None else None
        self.environment = environment  # environment_digest: the renderers and the fonts
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        # units this build rendered ahead of their stage (`prepare`): taken once, not counted
        self.prepared: dict[str, bytes] = {}

    def key(self, kind: str, data: Any) -> str:
        h = hashlib.sha256(code_digest().encode())
        h.update(self.environment.encode() + b"\0")
        h.update(kind.encode() + b"\0")
        h.update(
            data
            if isinstance(data, bytes)
            else json.dumps(data, sort_keys=True, default=str).encode()
        )
        return h.hexdigest()

    def get_or_render(self, kind: str, data: Any, render: Callable[[], bytes]) -> bytes:
        """The bytes for `data`: from the cache, or rendered (and stored)."""
        found = self.lookup(kind, data)
        if found is not None:
            return found
        result = render()
        self.store(kind, data, result)
        return result

    def lookup(self, kind: str, data: Any) -> bytes | None:
        """The cached bytes for `data`, or None (counted as a miss, to be stored)."""
        ahead = self.prepared.pop(self.key(kind, data), None) if self.prepared else None
        if ahead is not None:  # rendered by this build ahead of its stage: counted then
            return ahead
        if self.folder is None:
            self.misses += 1
            return None
        key = self.key(kind, data)
        self.used.add(key)
        cached = self._read(key)
        if cached is None:
            self.misses += 1
            return None
        self.hits += 1
        return cached

    def lookup_ahead(self, kind: str, data: Any) -> bytes | None:
        """Like `lookup`, for a unit a later stage asks for (a batch rendering ahead of the
        stages, board.render.pdf.prerender): found, it is kept for that stage's own lookup,
        which takes it uncounted."""
        found = self.lookup(kind, data)
        if found is not None:
            self.prepared[self.key(kind, data)] = found
        return found

    def _read(self, key: str) -> bytes | None:
        """The bytes under `key`: the output's own folder, else the shared one (then copied
        into the output's, so that its prune keeps them)."""
        assert self.folder is not None
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            pass
        if self.shared is None:
            return None
        try:
            found = (self.shared / key).read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):  # recently used: kept by the shared prune
            os.utime(self.shared / key)
        _write_atomically(self.folder, key, found)
        return found

    def _write(self, key: str, data: bytes) -> None:
        assert self.folder is not None
        self.used.add(key)
        _write_atomically(self.folder, key, data)
        if self.shared is not None:
            # the shared cache helps later builds; never a reason to fail this one
            with contextlib.suppress(OSError):
                _write_atomically(self.shared, key, data)

    def store(self, kind: str, data: Any, result: bytes) -> None:
        if self.folder is None:
            return
        self._write(self.key(kind, data), result)

    def prepare(self, kind: str, data: Any, result: bytes) -> None:
        """Keep a unit rendered ahead of its stage (several months' PDFs in one parallel batch,
        board.render.pdf.prerender): the stage's own lookup takes it, whatever the folder."""
        self.store(kind, data, result)
        self.prepared[self.key(kind, data)] = result

    def remember(self, key_data: Any) -> Any:
        """A small JSON fact stored with `keep` (e.g. what a photo file is), or None.

        Facts are not rendered units: they do not count as hits or misses.
        """
        if self.folder is None:
            return None
        key = self.key("fact", key_data)
        self.used.add(key)
        found = self._read(key)
        if found is None:
            return None
        try:
            return json.loads(found.decode("utf-8"))
        except ValueError:
            return None

    def use(self, key_data: Any) -> None:
        """Keep the fact under `key_data` through this build's prune, unread (another process
        reads or writes it)."""
        if self.folder is not None:
            self.used.add(self.key("fact", key_data))

    def keep(self, key_data: Any, value: Any) -> None:
        """Store a small JSON fact under `key_data` (see `remember`)."""
        if self.folder is None:
            return
        self._write(self.key("fact", key_data), json.dumps(value, sort_keys=True).encode())

    def prune(self) -> None:
        """Forget what this build did not use (keeps the output's cache one build in size), and
        keep the shared cache under SHARED_LIMIT, the least recently used going first."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
        if self.shared is not None:
            prune_shared(self.shared, SHARED_LIMIT)
            templates = template_cache()
            if templates is not None:
                prune_templates(templates.folder)


_UNIT_NAME = re.compile(r"[0-9a-f]{64}\Z")  # a unit's key (RenderCache.key): all prune touches
_VERSION_NAME = re.compile(r"[0-9a-f]{16}\Z")  # a folder of compiled templates (template_cache)
TEMPLATE_VERSIONS = 4  # the folders of compiled templates kept: the versions of board in use


def prune_templates(current: Path, keep: int = TEMPLATE_VERSIONS) -> None:
    """Delete the compiled templates of all but the `keep` most recently written versions of
    board, Jinja and Python (never `current`, the running one's): only folders named as
    versions, and in them only the files Jinja wrote; anything else put there is left alone."""
    try:
        others = [
            (entry.stat(follow_symlinks=False).st_mtime_ns, Path(entry.path))
            for entry in os.scandir(current.parent)
            if _VERSION_NAME.match(entry.name)
            and entry.name != current.name
            and entry.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return
    for _, folder in sorted(others, reverse=True)[max(0, keep - 1) :]:
        with contextlib.suppress(OSError):
            for path in folder.glob("__jinja2_*.cache"):
                path.unlink(missing_ok=True)
            folder.rmdir()  # fails, and keeps the folder, where anything else is in it


def prune_shared(folder: Path, limit: int) -> None:
    """Delete the least recently used units of the shared cache `folder` until it holds at
    most three quarters of `limit` bytes, once it holds more than `limit`. Only files named as
    units are counted or deleted: anything else put there is left alone."""
    try:
        entries = [
            (info.st_mtime_ns, info.st_size, entry.path)
            for entry in os.scandir(folder)
            if _UNIT_NAME.match(entry.name) and entry.is_file(follow_symlinks=False)
            for info in (entry.stat(follow_symlinks=False),)
        ]
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    for _, size, path in sorted(entries):
        if total <= limit * 3 // 4:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
