"""Writing YAML in the register's own format, line by line, remembering which cell each line came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..load import Mapping as YMapping
from ..load import Node, Scalar, parse_yaml
from ..validate import (
    INVISIBLE,
)

# -- writing YAML in the register's format ------------------------------------------------------

_PLAIN_BAD_START = set("?:,[]{}#&*!|>'\"%@`")
_NULL_WORDS = ("~", "null", "Null", "NULL")


def plain_ok(text: str) -> bool:
    """Whether `text` reads back as exactly this text when written as a plain YAML scalar."""
    if not text or text != text.strip() or text in _NULL_WORDS:
        return False
    if text[0] in _PLAIN_BAD_START or (text[0] == "-" and (len(text) == 1 or text[1] == " ")):
        return False
    if text.startswith(("---", "...")):
        return False
    if ":" in text or " #" in text or "\t" in text:  # a time such as 22:00 is quoted too
        return False
    return not any(ord(ch) < 0x20 or INVISIBLE.match(ch) for ch in text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar; invisible characters stay visible as escapes."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif INVISIBLE.match(ch) or ch in "\u2028\u2029":
            # beyond the BMP (the tag characters U+E0000-E007F) YAML needs \U and 8 digits
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def text_scalar(text: str) -> str:
    """Text as YAML: plain when safe, a literal block for several lines, else double-quoted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if plain_ok(text):
        return text
    if "\n" in text and _literal_ok(text):
        body = text[:-1] if text.endswith("\n") else text
        return ("|" if text.endswith("\n") else "|-") + "\n" + body
    return quoted(text)


def _literal_ok(text: str) -> bool:
    if text.endswith("\n\n") or text.startswith((" ", "\n")) or text.strip() == "":
        return False
    return not any(
        (ord(ch) < 0x20 and ch != "\n") or INVISIBLE.match(ch) or ch in "\u2028\u2029\x85"
        for ch in text
    )


Origin = tuple[str, str]  # ("报告!C7", "具体进度")


@dataclass
class Val:
    """A scalar, already written as YAML text (one line, or a block scalar over several)."""

    text: str
    origin: Origin | None = None


@dataclass
class Map:
    items: list[tuple[str, Tree]] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # the origin of each key

    def get(self, key: str) -> Tree | None:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def set(self, key: str, value: Tree, origin: Origin | None = None) -> None:
        for i, (k, _) in enumerate(self.items):
            if k == key:
                self.items[i] = (key, value)
                break
        else:
            self.items.append((key, value))
        if origin is not None:
            self.origins[key] = origin

    def remove(self, key: str) -> None:
        self.items = [(k, v) for k, v in self.items if k != key]


@dataclass
class Seq:
    items: list[Tree] = field(default_factory=list)


Tree = Val | Map | Seq


@dataclass
class LineOrigin:
    key: Origin | None
    value: Origin | None
    value_col: int  # 1-based column where the value starts


def _key_text(key: str) -> str:
    return key if plain_ok(key) else quoted(key)


def emit(tree: Map) -> tuple[str, dict[int, LineOrigin]]:
    """The YAML text of a mapping in block style, and where each line came from."""
    lines: list[str] = []
    origins: dict[int, LineOrigin] = {}

    def add(text: str, key: Origin | None, value: Origin | None, col: int) -> None:
        lines.append(text)
        if key or value:
            origins[len(lines)] = LineOrigin(key, value, col)

    def mapping(m: Map, indent: int, first_prefix: str | None = None) -> None:
        for index, (key, value) in enumerate(m.items):
            pad = first_prefix if (index == 0 and first_prefix is not None) else " " * indent
            head = f"{pad}{_key_text(key)}:"
            key_origin = m.origins.get(key)
            if isinstance(value, Val):
                first, *rest = value.text.split("\n")
                add(f"{head} {first}" if first else head, key_origin, value.origin, len(head) + 2)
                for line in rest:
                    add(f"{' ' * (indent + 2)}{line}" if line else "", None, value.origin, 1)
            elif isinstance(value, Map):
                if not value.items:
                    add(f"{head} {{}}", key_origin, None, 0)
                    continue
                add(head, key_origin, None, 0)
                mapping(value, indent + 2)
            else:
                if not value.items:
                    add(f"{head} []", key_origin, None, 0)
                    continue
                add(head, key_origin, None, 0)
                for item in value.items:
                    dash = " " * (indent + 2) + "- "
                    if isinstance(item, Map) and item.items:
                        mapping(item, indent + 4, dash)
                    elif isinstance(item, Val):
                        first, *rest = item.text.split("\n")
                        add(f"{dash}{first}", None, item.origin, len(dash) + 1)
                        for line in rest:
                            add(f"{' ' * (indent + 4)}{line}" if line else "", None, item.origin, 1)
                    else:
                        add(f"{dash}{{}}" if isinstance(item, Map) else f"{dash}[]", None, None, 0)

    mapping(tree, 0)
    return "\n".join(lines) + "\n", origins


def from_node(node: Node) -> Tree:
    """An existing file's YAML node as a tree to emit again (values kept as written)."""
    if isinstance(node, Scalar):
        if node.plain and (node.value == "" or plain_ok(node.value)):
            return Val(node.value)
        return Val(text_scalar(node.value) if node.value else '""')
    if isinstance(node, YMapping):
        return Map([(k.value, from_node(v)) for k, v in node.items])
    return Seq([from_node(item) for item in node.items])


def canonical(tree: Tree | Node | None) -> Any:
    """A comparable form of a YAML tree: the same value however it is written."""
    if tree is None:
        return None
    if isinstance(tree, Val):
        parsed: list[Problem] = []
        node = parse_yaml(f"v: {tree.text}\n", "-", parsed)
        if isinstance(node, YMapping) and node.items:
            return canonical(node.items[0][1])
        return ("?", tree.text)
    if isinstance(tree, Scalar):
        value = unicodedata.normalize("NFC", tree.value.strip())
        if tree.plain and re.fullmatch(r"[+-]?\d+(\.\d*)?", value):
            return ("n", float(value))
        return ("s", value, tree.plain and value == "")
    if isinstance(tree, YMapping):
        return ("m", tuple(sorted((k.value, canonical(v)) for k, v in tree.items)))
    if isinstance(tree, Map):
        return ("m", tuple(sorted((k, canonical(v)) for k, v in tree.items)))
    return ("l", tuple(canonical(item) for item in tree.items))


# -- keeping a file's own lines (`board import --update`) ---------------------------------------
#
# A file the import changes is written back with ruamel.yaml's round-trip reader and writer:
# its comments, its key order, its flow mappings and every untouched line stay as they are, and
# only the values the workbook changes are written anew, so the diff shows what changed. The
# writer's layout (indentation of mappings and lists) is the one that writes the file back
# exactly as it is; the register's standard form comes first.

_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (3, 5, 3))


def _round_trip(layout: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments, order, quoting and flow style are kept
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never folds a long line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, data: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _ruamel_value(key: str, value: Tree, yaml: Any) -> tuple[Any, Any]:
    """`key: value` as ruamel's objects: written by `emit` (the register's own spelling of every
    value), read back by ruamel, so the new lines are what a fresh file would hold."""
    text, _ = emit(Map([(key, value)]))
    data = yaml.load(text)
    ((loaded_key, loaded_value),) = data.items()
    return loaded_key, loaded_value


def _merge(node: Any, old: Map, new: Map, yaml: Any) -> None:
    """Change ruamel's mapping `node` (read from a file whose tree is `old`) into `new`,
    touching only what differs."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    keys = {str(k): k for k in node}
    for index, (key, value) in enumerate(new.items):
        prior = old.get(key)
        real = keys.get(key)
        if prior is not None and real is not None and canonical(prior) == canonical(value):
            continue
        current = node[real] if real is not None else None
        if isinstance(value, Map) and isinstance(prior, Map) and isinstance(current, CommentedMap):
            _merge(current, prior, value, yaml)
            continue
        if (
            isinstance(value, Seq)
            and isinstance(prior, Seq)
            and isinstance(current, CommentedSeq)
            and len(value.items) == len(prior.items) == len(current)
        ):
            for i, (was, item) in enumerate(zip(prior.items, value.items, strict=True)):
                if canonical(was) == canonical(item):
                    continue
                if (
                    isinstance(item, Map)
                    and isinstance(was, Map)
                    and isinstance(current[i], CommentedMap)
                ):
                    _merge(current[i], was, item, yaml)
                    continue
                current[i] = _ruamel_value("v", item, yaml)[1]
            continue
        loaded_key, loaded = _ruamel_value(key, value, yaml)
        if real is not None:
            node[real] = loaded
            continue
        position = 0
        for earlier, _ in reversed(new.items[:index]):
            if earlier in keys:
                position = list(node).index(keys[earlier]) + 1
                break
        node.insert(position, loaded_key, loaded)
        keys[key] = loaded_key
    for k in list(node):
        if new.get(str(k)) is None:
            del node[k]


def keep_lines(old_text: str, old: Map, new: Map) -> str | None:
    """The file `old_text` (whose tree is `old`) changed into `new`, every other line kept;
    None when it cannot be read that way (the caller writes the standard form)."""
    from ruamel.yaml.error import YAMLError

    best: tuple[int, Any, Any] | None = None
    for layout in _LAYOUTS:
        yaml = _round_trip(layout)
        try:
            data = yaml.load(old_text)
            again = _dump(yaml, data)
        except (YAMLError, ValueError, TypeError):
            return None
        if not hasattr(data, "items"):
            return None
        if again == old_text:
            best = (0, yaml, data)
            break
        lost = sum(
            1 for a, b in zip(again.splitlines(), old_text.splitlines(), strict=False) if a != b
        )
        lost += abs(len(again.splitlines()) - len(old_text.splitlines()))
        if best is None or lost < best[0]:
            best = (lost, yaml, data)
    assert best is not None
    _, yaml, data = best
    try:
        _merge(data, old, new, yaml)
        return _dump(yaml, data)
    except (YAMLError, ValueError, TypeError, KeyError):
        return None
