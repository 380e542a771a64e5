"""Stage 1, load: read the register's files into YAML trees that remember where each value was.

The YAML is read strictly: anchors, aliases and explicit tags are refused, duplicate keys are
errors, and scalars stay text until the validator interprets them (so `yes`, `017` and `.nan`
never turn silently into booleans, octal numbers or NaN). Parsing uses libyaml's event stream
when available, so a large register loads fast.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Pos, Problem
from .i18n import Msg, Said, pyyaml_words

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 16

try:  # libyaml's parser: the same events, about ten times faster
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader


@dataclass(slots=True)
class Scalar:
    value: str
    plain: bool
    pos: Pos


@dataclass(slots=True)
class Mapping:
    pos: Pos
    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    index: dict[str, Scalar] = field(default_factory=dict)  # key text → the key, for duplicates


@dataclass(slots=True)
class Sequence:
    pos: Pos
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


@dataclass(frozen=True)
class Document:
    """One YAML file of the register, parsed."""

    path: Path
    shown: str  # the path as messages show it
    root: Node | None


def shown_path(path: Path) -> str:
    """How a content path appears in messages: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return str(path)


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """The file's text, or None after recording why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    Pos(shown),
                    "",
                    Msg("msg.load.too_big", size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}"),
                    Msg("msg.hint.too_big"),
                )
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(Pos(shown), "", Msg("msg.load.unreadable", reason=os_reason(exc))))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                Pos(shown, line, col),
                "",
                Msg("msg.load.not_utf8", byte=f"0x{data[exc.start]:02X}"),
                Msg("msg.hint.save_utf8"),
            )
        )
        return None
    return text


# Unicode's invisible format characters (category Cf, Unicode 14): the soft hyphen U+00AD, the
# zero-width space and joiners, the direction marks and overrides, the tag characters. All are
# refused, the zero-width joiner included (no text of a county's register needs emoji
# sequences); variation selectors are not Cf and belong to the glyph check (issue 13).
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
# Format characters the field checks refused before (validate.INVISIBLE names their field).
LEGACY_FORMAT = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_FORMAT = re.compile(f"[{FORMAT_CHARACTERS}]")
_LEGACY_FORMAT = re.compile(f"[{LEGACY_FORMAT}]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _position(text: str, index: int, shown: str) -> Pos:
    """The line and column of `text[index]` in the file `shown`."""
    line = text.count("\n", 0, index) + 1
    return Pos(shown, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _format_characters(text: str, shown: str, problems: list[Problem]) -> bool:
    """Record the first invisible format character (Unicode Cf, such as the soft hyphen U+00AD)
    at its line and column: YAML takes them as text, and they would reach every output unseen."""
    found = next((m for m in _FORMAT.finditer(text) if not _LEGACY_FORMAT.match(m.group())), None)
    if not found:
        return False
    char = found.group()
    problems.append(
        Problem(
            _position(text, found.start(), shown),
            "",
            Msg(
                "msg.load.format_char",
                code=f"{ord(char):04X}",
                name=unicodedata.name(char, "FORMAT CHARACTER"),
            ),
            Msg("msg.text.format_char_hint"),
        )
    )
    return True


def _control_characters(text: str, shown: str, problems: list[Problem]) -> bool:
    """Record the first control character (YAML refuses them without saying where)."""
    if _format_characters(text, shown, problems):
        return True
    found = CONTROL.search(text)
    if not found:
        return False
    code = f"U+{ord(found.group()):04X}"
    problems.append(
        Problem(
            _position(text, found.start(), shown),
            "",
            Msg("msg.load.control", code=code),
            Msg("msg.hint.control"),
        )
    )
    return True


def _pos(shown: str, mark: Any) -> Pos:
    """A PyYAML mark (pure or libyaml's: same fields) as a position."""
    if mark is None:
        return Pos(shown)
    return Pos(shown, mark.line + 1, mark.column + 1)


def parse_yaml(text: str, shown: str, problems: list[Problem]) -> Node | None:
    """Parse one YAML document into positioned nodes; record problems and return None on error."""
    before = len(problems)
    if _control_characters(text, shown, problems):
        return None
    # the slips of hand editing, each on its line: said all at once if the YAML does not parse,
    # or at once when one is certain (indentation typed with Tab or fullwidth spaces, which YAML
    # would read as part of a key, or refuse at that line only)
    slips = find_slips(text, shown)
    if any(isinstance(p.message, Msg) and p.message.key in CERTAIN_SLIPS for p in slips):
        problems.extend(slips)
        return None
    stack: list[Mapping | Sequence] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif pending_key[-1] is None:
            if not isinstance(node, Scalar):
                problems.append(Problem(node.pos, "", Msg("msg.load.complex_key")))
                pending_key[-1] = Scalar("?", True, node.pos)
            else:
                pending_key[-1] = node
        else:
            key = pending_key[-1]
            assert key is not None
            first = parent.index.get(key.value)
            if first is not None:
                problems.append(
                    Problem(
                        key.pos,
                        key.value,
                        Msg("msg.load.duplicate_key", line=first.pos.line),
                        Msg("msg.hint.keep_one"),
                    )
                )
            else:
                parent.index[key.value] = key
                parent.items.append((key, node))
            pending_key[-1] = None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem(
                            _pos(shown, event.start_mark),
                            "",
                            Msg("msg.load.second_document"),
                        )
                    )
                    break
                continue
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        _pos(shown, event.start_mark),
                        "",
                        Msg("msg.load.alias", name=f"*{event.anchor}"),
                        Msg("msg.hint.alias"),
                    )
                )
                break
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                problems.append(
                    Problem(
                        _pos(shown, event.start_mark),
                        "",
                        Msg("msg.load.anchor", name=f"&{event.anchor}"),
                        Msg("msg.hint.anchor"),
                    )
                )
                break
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and event.tag:
                problems.append(
                    Problem(
                        _pos(shown, event.start_mark),
                        "",
                        Msg("msg.load.tag", tag=event.tag),
                        Msg("msg.hint.tag"),
                    )
                )
                break
            if isinstance(event, yaml.ScalarEvent):
                attach(
                    Scalar(event.value, event.style in ("", None), _pos(shown, event.start_mark))
                )
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        Problem(
                            _pos(shown, event.start_mark),
                            "",
                            Msg("msg.load.too_deep", depth=MAX_DEPTH),
                            Msg("msg.hint.too_deep"),
                        )
                    )
                    break
                node: Mapping | Sequence
                if isinstance(event, yaml.MappingStartEvent):
                    node = Mapping(_pos(shown, event.start_mark))
                else:
                    node = Sequence(_pos(shown, event.start_mark))
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else text.count("\n") + 1
        problems.extend(slips)
        # PyYAML names the slip's line or a later one; an error before every slip is its own
        if not slips or line < slips[0].pos.line:
            problems.append(
                Problem(
                    _pos(shown, mark),
                    "",
                    Msg("msg.load.yaml_syntax", detail=_yaml_detail(exc.context, exc.problem)),
                    Msg("msg.hint.yaml_syntax"),
                )
            )
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        problems.append(
            Problem(
                Pos(shown),
                "",
                Msg("msg.load.yaml_error", detail=Said("", str(exc).replace("\n", " "))),
            )
        )
    if len(problems) > before:
        return None
    return root


def _yaml_detail(context: str | None, problem: str | None) -> Said:
    """PyYAML's words (kept in English) beside the office's (which never show English): the
    catalog holds PyYAML's messages under the context `yaml` (board/locale/*/board.po)."""
    what = (problem or "invalid YAML").replace("\n", " ")
    en = f"{context} {what}" if context else what
    return Said(pyyaml_words(context, what, "zh-CN"), en)


def os_reason(exc: OSError) -> Said:
    """Why a file could not be read or written, in both languages (the OS says it in English)."""
    zh = {
        2: "文件不存在",
        13: "没有权限",
        21: "这是一个文件夹",
        20: "路径中有一部分不是文件夹",
        28: "磁盘已满",
        30: "磁盘只读",
    }.get(exc.errno or 0, f"系统错误{exc.errno}")
    return Said(zh, exc.strerror or str(exc))


# -- the usual slips of hand editing on a Chinese keyboard ------------------------------------
#
# When PyYAML fails, it stops at the first problem and often names a later line, in its own terms
# ("could not find expected ':'" on the line after a missing colon). So the source text is
# scanned, before parsing, for the slips a clerk makes: when the file does not parse, every slip
# found is reported on its own line with the fix, all in one run. (A file that parses is left to
# the validator, which names a key typed with a fullwidth colon or space as such.)

CERTAIN_SLIPS = ("msg.slip.tab", "msg.slip.fullwidth_space")
_KEY = r"(?P<indent>[ \t\u3000]*)(?:- )?(?P<key>[A-Za-z_][\w.-]*|\d{4}-\d{2})"


def find_slips(text: str, shown: str) -> list[Problem]:
    """Every hand-editing slip of the file (one a line at most), each a problem with its fix."""
    lines = text.splitlines()
    found: list[Problem] = []
    block: int | None = None  # the indentation of a `key: |` whose text lines are not YAML
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        if block is not None and indent > block:
            continue
        block = indent if re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", line) else None
        slip = _slip(lines, number, indent, shown)
        if slip is not None:
            found.append(slip)
    return found


def _slip(lines: list[str], number: int, indent: int, shown: str) -> Problem | None:
    """The slip on line `number` (1-based, indented by `indent`), if it has one."""
    line = lines[number - 1]
    body = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
    if not body.strip():
        return None
    key = re.match(_KEY, body)
    word = key["key"] if key and re.match(r"\s*[:：]", body[key.end() :]) else ""
    if "\t" in body[:indent]:
        col = body.index("\t") + 1
        return Problem(Pos(shown, number, col), "", Msg("msg.slip.tab"), Msg("msg.slip.fix_tab"))
    if "\u3000" in body[:indent] and not _continues(lines, number - 1):
        col = body.index("\u3000") + 1
        return Problem(
            Pos(shown, number, col),
            word,
            Msg("msg.slip.fullwidth_space"),
            Msg("msg.slip.fix_space"),
        )
    m = re.match(_KEY + r"\s*：", body)
    if m:
        col = body.index("：") + 1
        return Problem(
            Pos(shown, number, col),
            m["key"],
            Msg("msg.slip.fullwidth_colon", word=m["key"]),
            Msg("msg.slip.fix_colon"),
        )
    if ("{" in body or "[" in body) and "，" in body:
        col = body.index("，") + 1
        return Problem(
            Pos(shown, number, col),
            "",
            Msg("msg.slip.fullwidth_comma"),
            Msg("msg.slip.fix_comma"),
        )
    q = re.match(_KEY + r":\s+(?P<quote>[\"'])", body)
    if q:
        rest = body[q.end() :]
        closing = rest.replace('\\"', "") if q["quote"] == '"' else rest.replace("''", "")
        if q["quote"] not in closing:
            return Problem(
                Pos(shown, number, q.start("quote") + 1),
                q["key"],
                Msg("msg.slip.unclosed_quote", quote=q["quote"]),
                Msg("msg.slip.fix_quote", quote=q["quote"]),
            )
    m = re.fullmatch(_KEY + r"[ \t]+(?P<value>[^:：#]+?)\s*", body)
    if m and ":" not in body and not _continues(lines, number - 1):
        return Problem(
            Pos(shown, number, len(m["indent"]) + 1),
            m["key"],
            Msg("msg.slip.missing_colon", word=m["key"]),
            Msg("msg.slip.fix_missing_colon", word=m["key"], value=m["value"]),
        )
    return None


def _continues(lines: list[str], index: int) -> bool:
    """Whether line `index` continues a multi-line text of the line before it (deeper indented
    after a `key: |` or a `key: text`), where `word word` is not a slip."""
    if index == 0:
        return False
    before = lines[index - 1]
    indent = len(lines[index]) - len(lines[index].lstrip())
    before_indent = len(before) - len(before.lstrip())
    return indent > before_indent and not before.rstrip().endswith(":")


def load_document(path: Path, problems: list[Problem]) -> Document | None:
    shown = shown_path(path)
    text = read_text(path, shown, problems)
    if text is None:
        return None
    root = parse_yaml(text, shown, problems)
    if root is None and not any(p.pos.file == shown for p in problems):
        problems.append(Problem(Pos(shown, 1, 1), "", Msg("msg.load.empty"), Msg("msg.hint.empty")))
    if root is None:
        return None
    return Document(path, shown, root)


def board_settings(content_dir: Path) -> dict[str, str]:
    """The plain top-level values of the register's board.yaml (`language`, `id`, `title`,
    `archive`), read without validating anything: what a command needs before it validates
    (the language of its messages, the register's identity, where its record is). Empty when
    the file is missing or cannot be read; the validation that follows says why."""
    path = Path(content_dir) / "board.yaml"
    try:
        if not path.is_file():
            return {}
    except OSError:
        return {}
    doc = load_document(path, [])
    if doc is None or not isinstance(doc.root, Mapping):
        return {}
    return {
        key.value: value.value.strip()
        for key, value in doc.root.items
        if isinstance(value, Scalar) and value.value.strip()
    }


@dataclass(frozen=True)
class Sources:
    """Every YAML document of a register, parsed, plus the problems found on the way."""

    root: Path
    board: Document | None
    projects: tuple[Document, ...]
    reports: tuple[Document, ...]
    problems: tuple[Problem, ...]
    project_stems: frozenset[str] = frozenset()  # every project file, loaded or not


def _yaml_files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        kind = _not_a_file(entry) if entry.suffix in (".yaml", ".yml") else None
        if kind is not None:
            problems.append(
                Problem(Pos(shown_path(entry)), "", Msg("msg.load.not_a_file", kind=kind))
            )
            continue
        if entry.is_symlink() and not _inside(entry, root):
            problems.append(
                Problem(
                    Pos(shown_path(entry)),
                    "",
                    Msg("msg.load.symlink"),
                    Msg("msg.hint.symlink"),
                )
            )
            continue
        if entry.suffix in (".yaml", ".yml") and entry.is_file():
            found.append(entry)
    return found


# The register's folders the build reads: each must be a real folder inside the register.
FOLDERS = ("projects", "reports", "assets", "templates")


def _not_a_file(path: Path) -> Msg | None:
    """What a register entry is when it is not a regular file (or a link to one), else None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Msg("msg.load.kind_loop")
        if path.is_symlink():
            return Msg("msg.load.kind_dangling")
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return Msg("msg.load.kind_fifo")
    if stat.S_ISDIR(mode):
        return Msg("msg.load.kind_folder")
    return Msg("msg.load.kind_special")


def folder_problems(root: Path) -> tuple[list[Problem], set[str]]:
    """The register's folders that are not real folders inside it, and their names.

    A symbolic link (even to a folder inside the register), a FIFO, a file or a link loop where
    a folder is expected would let the build read from elsewhere, or hang: each is an error
    naming it, and the folder is not read.
    """
    problems: list[Problem] = []
    bad: set[str] = set()
    for name in FOLDERS:
        path = root / name
        if path.is_symlink():
            target = os.readlink(path)
            problems.append(
                Problem(
                    Pos(shown_path(path)),
                    "",
                    Msg("msg.load.folder_link", target=target),
                    Msg("msg.load.folder_hint"),
                )
            )
            bad.add(name)
        elif os.path.lexists(path) and not path.is_dir():
            kind = _not_a_file(path) or Msg("msg.load.kind_file")
            problems.append(
                Problem(
                    Pos(shown_path(path)),
                    "",
                    Msg("msg.load.folder_not_folder", kind=kind),
                    Msg("msg.load.folder_hint"),
                )
            )
            bad.add(name)
    return problems, bad


def _inside(path: Path, root: Path) -> bool:
    try:
        os.path.realpath(path)
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True


def load_sources(content_dir: Path) -> Sources:
    """Read and parse every file of the register at `content_dir`; never raises for bad content."""
    problems: list[Problem] = []
    root = Path(content_dir)
    board_path = root / "board.yaml"
    board: Document | None = None
    if not root.is_dir():
        problems.append(
            Problem(
                Pos(shown_path(root)),
                "",
                Msg("msg.load.no_register"),
            )
        )
    elif not board_path.is_file():
        problems.append(
            Problem(
                Pos(shown_path(board_path)),
                "",
                Msg("msg.load.no_board_yaml"),
                Msg("msg.hint.board_yaml"),
            )
        )
    elif board_path.is_symlink() and not _inside(board_path, root):
        problems.append(
            Problem(
                Pos(shown_path(board_path)),
                "",
                Msg("msg.load.symlink"),
            )
        )
    else:
        board = load_document(board_path, problems)
    bad_folders: set[str] = set()
    if root.is_dir():
        found, bad_folders = folder_problems(root)
        problems.extend(found)
    project_files = (
        [] if "projects" in bad_folders else _yaml_files(root / "projects", root, problems)
    )
    projects = [load_document(p, problems) for p in project_files]
    report_files = [] if "reports" in bad_folders else _yaml_files(root / "reports", root, problems)
    reports = [load_document(p, problems) for p in report_files]
    return Sources(
        root=root,
        board=board,
        projects=tuple(d for d in projects if d is not None),
        reports=tuple(d for d in reports if d is not None),
        problems=tuple(problems),
        project_stems=frozenset(p.stem for p in project_files),
    )
