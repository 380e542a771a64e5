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

import yaml

from .errors import Pos, Problem
from .i18n import Msg, Said

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
    found = CONTROL.search(text)
    if not found:
        return False
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    char = found.group()
    problems.append(
        Problem(
            Pos(shown, line, col),
            "",
            Msg("msg.load.control", code=f"U+{ord(char):04X}"),
            Msg("msg.hint.control"),
        )
    )
    return True


def _pos(shown: str, mark: yaml.Mark | None) -> Pos:
    if mark is None:
        return Pos(shown)
    return Pos(shown, mark.line + 1, mark.column + 1)


def parse_yaml(text: str, shown: str, problems: list[Problem]) -> Node | None:
    """Parse one YAML document into positioned nodes; record problems and return None on error."""
    before = len(problems)
    if _control_characters(text, shown, problems):
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
        slip = find_slip(text, shown, mark.line + 1 if mark else text.count("\n") + 1)
        if slip is not None:
            problems.append(slip)
        else:
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


# PyYAML's (libyaml's) words for what went wrong, and the office's words for them. The English
# is kept as PyYAML says it; a message not listed here reads as a general syntax error in Chinese.
YAML_PROBLEMS = {
    "mapping values are not allowed in this context": "这里不能出现“键: 值”",
    "mapping values are not allowed here": "这里不能出现“键: 值”",
    "could not find expected ':'": "缺少英文冒号“:”",
    "found character that cannot start any token": "这里有无法识别的字符",
    "found a tab character that violates indentation": "缩进里有制表符（Tab）",
    "found unexpected end of stream": "文件在此意外结束（可能有引号或括号没有配对）",
    "did not find expected key": "缩进不一致，找不到下一个键",
    "did not find expected node content": "这里缺少内容",
    "did not find expected ',' or '}'": "花括号里缺少英文逗号“,”或右花括号“}”",
    "did not find expected ',' or ']'": "方括号里缺少英文逗号“,”或右方括号“]”",
    "did not find expected '-' indicator": "列表的缩进不一致",
    "did not find expected <document start>": "这里多出了内容（缩进可能有误）",
    "block sequence entries are not allowed in this context": "这里不能以“- ”开始列表",
    "found unknown escape character": "双引号里有无法识别的反斜杠转义",
    "found unexpected ':'": "这里多出了冒号“:”",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "缩进不一致：列表项“- ”的位置不对",
    "expected <block end>, but found '<scalar>'": "缩进不一致",
    "expected <block end>, but found '?'": "缩进不一致",
}
YAML_CONTEXTS = {
    "while scanning a simple key": "读取键时",
    "while parsing a block mapping": "读取“键: 值”时",
    "while parsing a flow mapping": "读取花括号{}里的内容时",
    "while parsing a flow sequence": "读取方括号[]里的内容时",
    "while scanning a quoted scalar": "读取引号里的文字时",
    "while scanning a plain scalar": "读取文字时",
    "while parsing a block collection": "读取列表时",
    "while parsing a node": "读取内容时",
    "while scanning a block scalar": "读取多行文字时",
    "while parsing a block node": "读取内容时",
    "while parsing a flow node": "读取内容时",
}


def _yaml_detail(context: str | None, problem: str | None) -> Said:
    """PyYAML's words (kept in English) beside the office's (which never show English)."""
    what = (problem or "invalid YAML").replace("\n", " ")
    en = f"{context} {what}" if context else what
    zh = YAML_CONTEXTS.get(context or "", "") + YAML_PROBLEMS.get(what, "写法不符合YAML格式")
    return Said(zh, en)


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
# When PyYAML fails, it often names a later line, in its own terms ("could not find expected
# ':'" on the line after a missing colon). The source text is scanned up to that line for the
# slips a clerk makes, and the first one found is reported on its own line with the fix.

_KEY = r"(?P<indent>[ \t\u3000]*)(?:- )?(?P<key>[A-Za-z_][\w.-]*|\d{4}-\d{2})"


def find_slip(text: str, shown: str, last_line: int) -> Problem | None:
    """The first hand-editing slip on lines 1..last_line, as a problem with its fix."""
    lines = text.splitlines()
    block: int | None = None  # the indentation of a `key: |` whose text lines are not YAML
    for number, line in enumerate(lines[:last_line], 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        if block is not None and indent > block:
            continue
        block = indent if re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", line) else None
        body = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
        if not body.strip():
            continue
        if "\t" in body[:indent]:
            col = body.index("\t") + 1
            return Problem(
                Pos(shown, number, col), "", Msg("msg.slip.tab"), Msg("msg.slip.fix_tab")
            )
        if "\u3000" in body[:indent]:
            col = body.index("\u3000") + 1
            return Problem(
                Pos(shown, number, col),
                "",
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
