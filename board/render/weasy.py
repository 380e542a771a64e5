"""WeasyPrint, imported without running a compiler.

WeasyPrint opens Pango, HarfBuzz and fontconfig through cffi, trying for each library the names
it has on every platform in turn: `libgobject-2.0-0`, `gobject-2.0-0`, `gobject-2.0`, and only
then `libgobject-2.0.so.0`, the name Linux's dynamic linker opens. For each name it cannot open,
cffi asks `ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc, then ld:
22 names that cannot exist here, 54 processes (ldconfig 22 times, gcc and ld 16 times each),
about 0.2 s of the start of every build that makes a PDF (bench/results.md, "Start-up").

While WeasyPrint is imported here, that search answers "not found" at once, and WeasyPrint goes
on to the next name on its list; the Linux names are on it, and the dynamic linker finds them
on its own (it searches the same places ldconfig knows). Should that import fail (a WeasyPrint
whose list lacks a name the linker opens), it is imported again with the search as it is, so
the shortcut never makes an import fail that would otherwise work.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def _no_library_search() -> Iterator[None]:
    """Within: `ctypes.util.find_library` finds nothing, at once (Linux only)."""
    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def import_fast(name: str) -> ModuleType:
    """Import `name` (a module that opens its libraries by name, as WeasyPrint's does) without
    the library search's shell commands; with them when it cannot be imported without."""
    if name in sys.modules:
        return sys.modules[name]
    try:
        # silent: WeasyPrint prints its installation advice before it raises, which the import
        # with the search below prints if it fails too
        with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module(name)
    except OSError:
        top = name.split(".")[0]
        for loaded in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[loaded]  # what the failed import left half made
        return importlib.import_module(name)


import_fast("weasyprint")

# imported now: every name below is WeasyPrint's own, from the modules loaded above
from weasyprint import HTML  # noqa: E402
from weasyprint.text import ffi  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

__all__ = [
    "HTML",
    "FatalURLFetchingError",
    "FontConfiguration",
    "URLFetcher",
    "URLFetcherResponse",
    "ffi",
    "import_fast",
]
