"""Fonts of the printed outputs: the configured families, found through fontconfig, and a check
that every character of the content has a glyph in one of them.

`font:` in board.yaml is a fallback list, CSS style: `Noto Sans CJK SC, Noto Serif CJK SC`. A
family that fontconfig does not have fails the build (fontconfig would silently substitute
another font), and so does a character that no listed font covers: it would print as an empty
box (tofu). The error names the character (U+XXXX and its Unicode name), the content file and
line, the field and the PDF, and says how to fix it.

The check reads the text as it is drawn: Markdown fields are checked after rendering, so a
character reference (`&#x1F6A7;`) is checked as the character it becomes. Invisible characters
that select or join glyphs (variation selectors U+FE00–U+FE0F, U+E0100–U+E01EF, the zero-width
joiner and non-joiner) draw nothing and are not checked. What slips past anyway (a character
that only a template or the catalog brings) is caught when the PDF is drawn: WeasyPrint's own
missing-glyph warning fails the build too (`drawn_problems`).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..cache import keep, read_kept, user_cache_file
from ..errors import Pos, Problem, RenderError
from ..i18n import Msg, Said


@dataclass(frozen=True)
class Face:
    """One font family as fontconfig resolves it: the file and the face inside a collection."""

    family: str
    file: Path
    index: int

    def covers(self, char: str) -> bool:
        return ord(char) in _codepoints(str(self.file), self.index)


@dataclass(frozen=True)
class Text:
    """A piece of content that goes into a PDF, with where it comes from."""

    value: str
    pos: Pos
    field: str
    output: str  # the PDF it prints in, e.g. print/panel-2020-09.pdf
    markdown: bool = False  # checked as drawn: after Markdown, character references resolved

    @property
    def drawn(self) -> str:
        """The text as the PDF draws it."""
        if not self.markdown:
            return self.value
        from ..markup import markdown_html

        return html.unescape(re.sub(r"<[^>]*>", " ", str(markdown_html(self.value))))


def families(setting: str) -> list[str]:
    """`"Noto Sans CJK SC", Noto Serif CJK SC` → ['Noto Sans CJK SC', 'Noto Serif CJK SC']."""
    names = [name.strip().strip("\"'").strip() for name in setting.split(",")]
    return [name for name in names if name]


def css_families(faces: Iterable[Face]) -> str:
    """The CSS `font-family` value for the faces (names are fontconfig's, quoted safely)."""
    quoted = ['"' + face.family.replace("\\", "").replace('"', "") + '"' for face in faces]
    return ", ".join(quoted)


@cache
def find_face(family: str) -> Face:
    """The installed face of `family`; RenderError when fontconfig does not have that family."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise RenderError(Msg("msg.fonts.no_fc_match"))
    result = subprocess.run(
        [fc_match, "-f", "%{file}\n%{index}\n%{family}\n", f"{family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 3:
        raise RenderError(Msg("msg.fonts.not_installed", family=family))
    file, index, offered = lines[0], lines[1], lines[2]
    names = [name.strip() for name in offered.split(",")]
    if family.casefold() not in (name.casefold() for name in names):
        raise RenderError(Msg("msg.fonts.substituted", family=family, instead=names[0]))
    return Face(family, Path(file), int(index or 0))


def resolve(setting: str) -> list[Face]:
    """Every family of the `font:` setting, in order."""
    names = families(setting)
    if not names:
        raise RenderError(Msg("msg.fonts.no_family"))
    return [find_face(name) for name in names]


FONT_SETTINGS = ("title_font", "body_font", "hei_font", "kai_font")  # bulletin: in board.yaml


def configured_families(content_dir: Path) -> list[str]:
    """Every font family board.yaml names (`font:` and the bulletin's four roles), or their
    defaults; read from the file as it is, before validation (the build's digest needs them
    before anything is checked: a value that is wrong fails the build later anyway)."""
    from ..load import Mapping, Scalar, load_document
    from ..model import BoardConfig, BulletinSettings

    defaults = BulletinSettings()
    settings: dict[str, str] = {"font": str(BoardConfig.__dataclass_fields__["font"].default)}
    for key in FONT_SETTINGS:
        settings[key] = getattr(defaults, key)
    path = Path(content_dir) / "board.yaml"
    document = load_document(path, []) if path.is_file() else None
    root = document.root if document is not None else None
    if isinstance(root, Mapping):
        for key_node, node in root.items:
            if key_node.value == "font" and isinstance(node, Scalar):
                settings["font"] = node.value
            elif key_node.value == "bulletin" and isinstance(node, Mapping):
                for inner, value in node.items:
                    if inner.value in FONT_SETTINGS and isinstance(value, Scalar):
                        settings[inner.value] = value.value
    return list(dict.fromkeys(name for value in settings.values() for name in families(value)))


def font_files(names: list[str]) -> list[tuple[str, int, int, int]]:
    """The font files fontconfig has for these families, every style (the regular face and the
    bold one are both used), as (path, index in a collection, size, mtime_ns): what the PDFs
    are set from, for the build cache's key (board/cache.py environment_digest). A family
    fontconfig does not have contributes nothing, so installing it later renders anew."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(
        [fc_list, "--format", "%{file}\t%{index}\t%{family}\n"],
        capture_output=True,
        text=True,
        check=False,
    )
    wanted = {name.casefold() for name in names}
    found: set[tuple[str, int, int, int]] = set()
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        file, index, offered = parts
        if not wanted & {name.strip().casefold() for name in offered.split(",")}:
            continue
        try:
            st = Path(file).stat()
        except OSError:
            continue
        found.add((file, int(index or 0), st.st_size, st.st_mtime_ns))
    return sorted(found)


@cache
def has_bold(family: str) -> bool:
    """Whether fontconfig has a real Bold face of `family` (else bold would be synthesised)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return False
    result = subprocess.run(
        [fc_match, "-f", "%{family}\n%{style}\n", f"{family}:style=Bold"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2:
        return False
    names = [name.strip().casefold() for name in lines[0].split(",")]
    styles = [style.strip().casefold() for style in lines[1].split(",")]
    return family.casefold() in names and "bold" in styles


@dataclass(frozen=True)
class Role:
    """A type role of the bulletin (标题, 正文, 黑体, 楷体) and the faces that draw it.

    `faces` are the installed families of the role's list, in order; `wanted` is the first
    family named, `bold` whether the first face has a real Bold face (used for 标题 and 黑体).
    """

    key: str  # the setting: title_font, body_font, hei_font, kai_font
    name: str  # the catalog id of the role's name
    wanted: str
    faces: tuple[Face, ...]
    bold: bool

    @property
    def substituted(self) -> bool:
        return self.faces[0].family.casefold() != self.wanted.casefold()


def resolve_role(key: str, name: str, setting: str) -> Role | None:
    """The installed faces of one role's font list; None when none of them is installed.

    Families not installed are skipped (an office names 仿宋_GB2312 first and a free font after
    it); the build reports the substitution (`Role.substituted`) instead of hiding it.
    """
    names = families(setting)
    faces: list[Face] = []
    for family in names:
        try:
            faces.append(find_face(family))
        except RenderError:
            continue
    if not faces:
        return None
    return Role(key, name, names[0], tuple(faces), has_bold(faces[0].family))


@cache
def _codepoints(file: str, index: int) -> frozenset[int]:
    """The characters the face has a glyph for: from the user's cache when the font file is the
    one they were read from (reading a CJK font's table of characters took 0.08 s of every
    build's start), else read now and kept there."""
    kept = _codepoints_file(file, index)
    found = _read_codepoints(kept) if kept is not None else None
    if found is not None:
        return found
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(file, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        raise RenderError(
            Msg("msg.fonts.unreadable", file=file, reason=Said("", str(exc)))
        ) from None
    codepoints = frozenset(cmap)
    if kept is not None:
        _keep_codepoints(kept, codepoints)
    return codepoints


CODEPOINTS_FORMAT = "1"  # of the files in the user's cache folder, `$XDG_CACHE_HOME/board/fonts/`


def _codepoints_file(file: str, index: int) -> Path | None:
    """Where the face's characters are kept, named by the font file's path, size, time and
    inode (a font changed or replaced is read again); None when the user's caches are off
    (BOARD_SHARED_CACHE=0) or the font file cannot be looked at."""
    try:
        stat = Path(file).stat()
    except OSError:
        return None
    identity = [CODEPOINTS_FORMAT, file, index, stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return user_cache_file("fonts", identity, ".json")


def _read_codepoints(kept: Path) -> frozenset[int] | None:
    """The characters kept there; None for a file that is not there, cannot be read or is
    damaged (read from the font again)."""
    text = read_kept(kept)
    if text is None:
        return None
    try:
        ranges = json.loads(text)
        return frozenset(code for first, last in ranges for code in range(first, last + 1))
    except (ValueError, TypeError):
        return None


def _keep_codepoints(kept: Path, codepoints: frozenset[int]) -> None:
    """Keep the characters as ranges of code points (some two thousand for a CJK font), written
    whole or not at all; a folder that cannot be written costs the time, never the build."""
    ranges: list[list[int]] = []
    for code in sorted(codepoints):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    keep(kept, json.dumps(ranges).encode("ascii"))


def invisible(char: str) -> bool:
    """A character that draws no glyph of its own: a control character (line breaks, tabs), a
    variation selector (U+FE0E text, U+FE0F emoji style, …) or a zero-width (non-)joiner."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cc"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or code in (0x200C, 0x200D)
    )


def _printable(value: str) -> Iterator[str]:
    for char in value:
        if not invisible(char):
            yield char


def glyph_problem(char: str, text: Text, faces: list[Face]) -> Problem:
    """The problem of a character no face covers: which character, where, how to fix it."""
    return Problem(
        text.pos,
        text.field,
        Msg(
            "msg.glyph.missing",
            char=char,
            code=f"{ord(char):04X}",
            name=unicodedata.name(char, "?"),
            fonts=", ".join(face.family for face in faces),
            output=text.output,
        ),
        Msg("msg.glyph.missing_hint", font=faces[0].family),
    )


def drawn_problems(
    chars: Iterable[str], texts: Iterable[Text], faces: list[Face], output: str
) -> list[Problem]:
    """Problems for characters WeasyPrint drew as .notdef: each where the content has it (or,
    when no content field has it, the output itself)."""
    texts = list(texts)
    problems: list[Problem] = []
    for char in dict.fromkeys(chars):
        found = [t for t in texts if char in t.drawn]
        for text in found or [Text(char, Pos(output), "", output)]:
            problems.append(glyph_problem(char, text, faces))
    return problems


def missing_glyphs(texts: Iterable[Text], faces: list[Face]) -> list[Problem]:
    """A problem for each character (first occurrence per field) that no face covers."""
    problems: list[Problem] = []
    seen: set[tuple[str, Pos, str]] = set()
    known: dict[str, bool] = {}
    for text in texts:
        for char in _printable(text.drawn):
            covered = known.get(char)
            if covered is None:
                covered = known[char] = any(face.covers(char) for face in faces)
            if covered or (char, text.pos, text.field) in seen:
                continue
            seen.add((char, text.pos, text.field))
            problems.append(glyph_problem(char, text, faces))
    return problems
