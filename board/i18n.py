"""The one message catalog: every label of every output and every message the tool prints.

The catalog is gettext's: `board/locale/<locale>/LC_MESSAGES/board.po`, compiled to `.mo` beside
it (`python tools/catalog.py compile`; a test checks that the `.mo` files are up to date). The
msgid of an entry is its catalog id (`status.behind`, `msg.build.built`), the msgstr its words in
that language; zh_CN is the base language, and each entry's translator comment shows its words in
the other. A language is a folder of `board/locale/` holding `board.mo`: adding one (a minority
autonomous county's bilingual notices) is a new `.po` file, no code (docs/translating.md).

The zh-CN labels are the words of the source speech (see shared/seed/DOMAIN.md). Templates look
labels up with `t('key')`; a missing key fails the build. A register may change the wording of
any label of its outputs with `labels:` in board.yaml (validated: known ids, same placeholders).
"""

from __future__ import annotations

import gettext
import os
import re
import string
import struct
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "board"
DEFAULT_LANGUAGE = "zh-CN"


def locale_name(language: str) -> str:
    """A language as the register names it (BCP 47, `zh-CN`) as gettext's folder names it."""
    return language.replace("-", "_")


def _languages() -> tuple[str, ...]:
    """Every language with a compiled catalog, zh-CN first."""
    found = sorted(
        path.parent.parent.name.replace("_", "-")
        for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    )
    return tuple(sorted(found, key=lambda lang: lang != DEFAULT_LANGUAGE))


LANGUAGES = _languages()


class _Missing(gettext.NullTranslations):
    """The fallback of the catalog: an id it does not hold is an error, never shown as is."""

    def gettext(self, message: str) -> str:
        raise KeyError(message)

    def pgettext(self, context: str, message: str) -> str:
        raise KeyError(f"{context}\x04{message}")


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (gettext), strict: an unknown id raises KeyError."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    translations = gettext.translation(
        DOMAIN, LOCALE_DIR, languages=[locale_name(language)], fallback=False
    )
    translations.add_fallback(_Missing())
    return translations


def mo_ids(path: Path) -> list[str]:
    """The msgids of a compiled catalog (GNU .mo: a header of counts and offsets, then the
    table of original strings), without contexts; for listing, never for looking up."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    count, originals = struct.unpack(order + "4x4xII", data[:16])[0:2]
    ids = []
    for i in range(count):
        length, offset = struct.unpack(
            order + "II", data[originals + 8 * i : originals + 8 * i + 8]
        )
        text = data[offset : offset + length].decode("utf-8")
        if text and "\x04" not in text:
            ids.append(text.split("\x00")[0])
    return ids


@cache
def catalog_ids() -> frozenset[str]:
    """Every id of the catalog (those of the base language, zh-CN)."""
    return frozenset(
        mo_ids(LOCALE_DIR / locale_name(DEFAULT_LANGUAGE) / "LC_MESSAGES" / f"{DOMAIN}.mo")
    )


class _Messages(Mapping[str, tuple[str, ...]]):
    """The catalog as a read-only mapping, id → its words in each of LANGUAGES (for tests and
    tools; the code looks words up through `translator` and `Msg`)."""

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if key not in catalog_ids():
            raise KeyError(key)
        return tuple(catalog(language).gettext(key) for language in LANGUAGES)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(catalog_ids()))

    def __len__(self) -> int:
        return len(catalog_ids())

    def __contains__(self, key: object) -> bool:
        return key in catalog_ids()


MESSAGES: Mapping[str, tuple[str, ...]] = _Messages()


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a catalog text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# -- the one status legend (issue 13) -------------------------------------------------------------
#
# Every output shows a status the same way: its symbol, its word (the catalog's `status.<key>`)
# and its colour, in this order. The colours are the Okabe-Ito palette (told apart with every
# common colour-blindness; a light neutral grey for 未报送), always under dark text and always
# beside the symbol and the word, so colour is never the only sign. Every symbol is drawn by
# Noto Sans CJK SC (a test checks that): no ✔/✖ (not in the font) and no `?` (reads as a
# missing glyph).
STATUS_ORDER = ("on_track", "behind", "overdue", "completed", "completed_late", "no_report")
STATUS_SYMBOL = {
    "on_track": "●",
    "behind": "◐",
    "overdue": "×",
    "completed": "✓",
    "completed_late": "◎",
    "no_report": "○",
}
STATUS_COLOUR = {
    "on_track": "#56B4E9",  # Okabe-Ito sky blue
    "behind": "#E69F00",  # Okabe-Ito orange
    "overdue": "#D55E00",  # Okabe-Ito vermillion
    "completed": "#009E73",  # Okabe-Ito bluish green
    "completed_late": "#CC79A7",  # Okabe-Ito reddish purple: done, but after the deadline
    "no_report": "#C9CED6",  # neutral grey: no data
}
STATUS_INK = "#08111C"  # the text on every status colour (contrast above 4.5:1 on each)
PROMISE_SYMBOL = {"met": "✓", "missed": "×", "pending": "…"}


@dataclass(frozen=True)
class LegendItem:
    """One status as every output shows it."""

    status: str
    symbol: str
    word: str
    colour: str


def status_legend(language: str, labels: Mapping[str, str] | None = None) -> tuple[LegendItem, ...]:
    """The legend in `language` (with the register's `labels:`), in the one order every output uses."""
    t = translator(language, labels)
    return tuple(
        LegendItem(s, STATUS_SYMBOL[s], t(f"status.{s}"), STATUS_COLOUR[s]) for s in STATUS_ORDER
    )


def movement_label(kind: str, movement: int | None, t: Callable[[str], str]) -> str:
    """A ranking movement in words: ▲上升2位, ▼下降1位, 持平, 新上榜, or — for a completed project."""
    if kind == "up":
        return t("movement.up").format(n=movement)
    if kind == "down":
        return t("movement.down").format(n=-(movement or 0))
    return t(f"movement.{kind}")


def translator(language: str, labels: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """`t(key)` for one language; an unknown key raises KeyError so templates cannot misspell.

    `labels` are the register's own wordings of some labels (board.yaml `labels:`, validated);
    every output of a register looks its labels up through this, so an override shows on all.
    """
    words = catalog(language)
    own = dict(labels or {})

    def t(key: str) -> str:
        found = own.get(key)
        return found if found is not None else words.gettext(key)

    return t


def month_names(language: str) -> list[str]:
    """The names of the twelve months (`format.month_names`, comma-separated in the catalog)."""
    return catalog(language).gettext("format.month_names").split(",")


class _PerLanguage(Mapping[str, str]):
    """One catalog entry in every language: `MONTH_FORMAT["zh-CN"]`."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, language: str) -> str:
        return catalog(language).gettext(self.key)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


MONTH_FORMAT: Mapping[str, str] = _PerLanguage("format.month")  # {year}年{month}月 / {name} {year}
DATE_FORMAT: Mapping[str, str] = _PerLanguage("format.date")


def pyyaml_words(context: str | None, problem: str, language: str) -> str:
    """PyYAML's words for what went wrong, as the office reads them: the catalog holds PyYAML's
    messages (its English as the msgid) under the context `yaml`; a message it does not hold
    reads as a general syntax error (`msg.load.yaml_unknown`)."""
    words = catalog(language)
    try:
        said = words.pgettext("yaml", context) if context else ""
    except KeyError:
        said = ""
    try:
        return said + words.pgettext("yaml", problem)
    except KeyError:
        return said + words.gettext("msg.load.yaml_unknown")


def label(key: str) -> str:
    """The zh-CN label of a field, as error messages show it beside the field's name."""
    try:
        return catalog(DEFAULT_LANGUAGE).gettext(key)
    except KeyError:
        return ""


# -- messages the tool prints (errors, warnings, hints, summaries) ----------------------------
#
# A message is a catalog id and its parameters, never a sentence: `Msg("msg.cli.failed_content",
# errors=2, warnings=0)`. It is put into words only when shown, in the language of the moment
# (`use_language`), so the same problem reads in Chinese at the clerk's terminal and in English
# for whoever asked for `--lang en`. Catalog entries of messages start with `msg.`; parameters
# fill `{name}` placeholders; a parameter that is itself a Msg is put into words first.

_language: ContextVar[str] = ContextVar("board_language", default="")


def current_language() -> str:
    """The language messages are shown in: set by `use_language`, else BOARD_LANG, else zh-CN."""
    chosen = _language.get() or os.environ.get("BOARD_LANG", "")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def use_language(language: str) -> Token[str]:
    """Show every message from now on in `language` (the CLI calls this once per command).

    Returns the token that `reset_language` takes to go back to the language before."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return _language.set(language)


def reset_language(token: Token[str]) -> None:
    """Back to the language before `use_language` (main() does, so that tests calling it one
    after the other each start from BOARD_LANG)."""
    _language.reset(token)


@dataclass(frozen=True)
class Msg:
    """A message of the catalog with its parameters, put into words when shown."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def __init__(self, key: str, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple(sorted(params.items())))

    def text(self, language: str | None = None) -> str:
        language = language or current_language()
        template = catalog(language).gettext(self.key)
        values = {
            name: value.text(language) if hasattr(value, "text") else value
            for name, value in self.params
        }
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.text()


def words(message: Msg | str, language: str | None = None) -> str:
    """A message in words; plain text (a value quoted from the register) is shown as it is."""
    return message.text(language) if hasattr(message, "text") else str(message)


@dataclass(frozen=True)
class Said:
    """Text that exists in both languages but is not a catalog entry: a third-party message
    (PyYAML's, kept verbatim in English) beside the office's wording of it."""

    zh: str
    en: str

    def text(self, language: str | None = None) -> str:
        return self.zh if (language or current_language()) == "zh-CN" else self.en

    def __str__(self) -> str:
        return self.text()


def quoted(value: object) -> Said:
    """A value quoted from the input: “北区” in Chinese, '北区' (Python's repr) in English.
    Invisible characters are escaped in both (repr does), so the message says what is there."""
    shown = repr(str(value))
    return Said(f"“{shown[1:-1]}”", shown)


def counted(n: int, noun: str) -> Msg:
    """`1 error` / `2 errors` / `1个错误`: a count as a catalog message (msg.n.<noun>[s])."""
    return Msg(f"msg.n.{noun}" if n == 1 else f"msg.n.{noun}s", n=n)


def field_head(field: str, language: str | None = None) -> str:
    """A field as a message names it: `deadline (完成时限)` in English; in Chinese the label
    first and the YAML key after it, `完成时限（deadline）`, so the clerk reads the word of the
    workbook and still finds the key in the file."""
    if (language or current_language()) != "zh-CN":
        return field
    m = _FIELD_HEAD.match(field)
    return f"{m.group(2)}（{m.group(1)}）" if m else field


_FIELD_HEAD = re.compile(r"(\S+) \((.+)\)\Z")


def dump_message(message: Any) -> Any:
    """A message as JSON (the build record keeps the warnings of the last build), to be put
    into words again by `load_message` in whatever language is asked for then."""
    if isinstance(message, Msg):
        return {"msg": message.key, "params": {k: dump_message(v) for k, v in message.params}}
    if isinstance(message, Said):
        return {"said": [message.zh, message.en]}
    if isinstance(message, int | float | str) or message is None:
        return message
    return str(message)


def load_message(data: Any) -> Any:
    if isinstance(data, dict) and "msg" in data:
        return Msg(data["msg"], **{k: load_message(v) for k, v in data["params"].items()})
    if isinstance(data, dict) and "said" in data:
        return Said(*data["said"])
    return data
