"""The message catalog's tools: compile the .po files, check them, make the template.

    python tools/catalog.py compile     # every board/locale/*/LC_MESSAGES/*.po → .mo beside it
    python tools/catalog.py check       # exit 1 when a .mo is not the compiled form of its .po
    python tools/catalog.py pot         # board/locale/board.pot: the ids, for a new language
    python tools/catalog.py click       # click's own messages not yet in zh_CN/click.po

The catalog is gettext's, edited with any PO editor (Poedit, Weblate, a text editor). The msgid
of a board entry is its id; zh_CN is the base language (docs/translating.md). Babel (a test
dependency) reads and writes the files; board itself reads the compiled .mo with the standard
library's gettext, so a running board needs neither Babel nor the .po files.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "board" / "locale"


def po_files() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def read(po: Path) -> Catalog:
    with po.open("rb") as file:
        return read_po(file, locale=po.parent.parent.name, domain=po.stem)


def compiled(po: Path) -> bytes:
    """The .mo form of a .po file (untranslated entries left out, as msgfmt does)."""
    out = io.BytesIO()
    write_mo(out, read(po))
    return out.getvalue()


def stale() -> list[Path]:
    """The .po files whose .mo is missing or not their compiled form."""
    return [
        po
        for po in po_files()
        if not po.with_suffix(".mo").is_file() or po.with_suffix(".mo").read_bytes() != compiled(po)
    ]


def click_messages() -> list[str | tuple[str, ...]]:
    """Every message of the installed click that it passes through gettext."""
    import click

    found: list[str | tuple[str, ...]] = []
    for _file, _line, message, _comments, _context in extract_from_dir(Path(click.__file__).parent):
        if message and message not in found:
            found.append(message)
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "compile":
        for po in po_files():
            po.with_suffix(".mo").write_bytes(compiled(po))
            print(f"{po.relative_to(LOCALE.parent.parent)} → .mo")
        return 0
    if command == "check":
        bad = stale()
        for po in bad:
            print(f"{po}: its .mo is out of date: run python tools/catalog.py compile")
        return 1 if bad else 0
    if command == "pot":
        base = read(LOCALE / "zh_CN" / "LC_MESSAGES" / "board.po")
        template = Catalog(domain="board", project="board", fuzzy=False)
        for message in base:
            if message.id:
                template.add(
                    message.id,
                    "",
                    context=message.context,
                    auto_comments=[f"zh-CN: {message.string}", *message.auto_comments],
                    user_comments=message.user_comments,
                )
        with (LOCALE / "board.pot").open("wb") as file:
            write_po(file, template, width=100, include_previous=False)
        return 0
    if command == "click":
        ours = {m.id for m in read(LOCALE / "zh_CN" / "LC_MESSAGES" / "click.po") if m.string}
        missing = [m for m in click_messages() if m not in ours]
        for text in missing:
            print(repr(text))
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
