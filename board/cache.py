"""The build cache: nothing changed → nothing rendered; one report changed → only what depends on it.

Two levels, both keyed by content hashes, never by times:

- the whole build: a digest of every input (the register's files, the templates, board's own
  code, the month, the options, SOURCE_DATE_EPOCH). When it equals the digest recorded in the
  published output's manifest, the output is already what a build would make.
- each rendered unit (a page, a PDF): `RenderCache.get_or_render(key, render)` stores the bytes
  under a hash of exactly the data the unit is rendered from, in `.<output>.cache/` beside the
  output. A unit whose data did not change is not rendered again; its bytes are the bytes a cold
  build renders, since the key covers every input.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__

MANIFEST = ".board-build.json"
_CODE_DIGEST: str | None = None


def _hash_files(h: Any, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes())
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


def input_digest(content_dir: Path, options: dict[str, Any]) -> str:
    """A hash of everything a build reads: the register, its templates, the code, the options."""
    root = Path(content_dir)
    h = hashlib.sha256(code_digest().encode())
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


class RenderCache:
    """Rendered bytes by the hash of the data they were rendered from."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, kind: str, data: Any) -> str:
        h = hashlib.sha256(code_digest().encode())
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
        if self.folder is None:
            self.misses += 1
            return None
        key = self.key(kind, data)
        self.used.add(key)
        try:
            cached = (self.folder / key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return cached

    def store(self, kind: str, data: Any, result: bytes) -> None:
        if self.folder is None:
            return
        key = self.key(kind, data)
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(result)
        os.replace(tmp, self.folder / key)

    def remember(self, key_data: Any) -> Any:
        """A small JSON fact stored with `keep` (e.g. what a photo file is), or None.

        Facts are not rendered units: they do not count as hits or misses.
        """
        if self.folder is None:
            return None
        key = self.key("fact", key_data)
        self.used.add(key)
        try:
            return json.loads((self.folder / key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def keep(self, key_data: Any, value: Any) -> None:
        """Store a small JSON fact under `key_data` (see `remember`)."""
        if self.folder is None:
            return
        key = self.key("fact", key_data)
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(value, sort_keys=True).encode())
        os.replace(tmp, self.folder / key)

    def prune(self) -> None:
        """Forget what this build did not use (keeps the cache one build in size)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
