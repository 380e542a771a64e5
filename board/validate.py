"""Stage 3, validate: turn the loaded YAML trees into the model, collecting every problem.

Every problem names the file, line and column, the field in both forms (`deadline (完成时限)`),
what was expected and what was found, and a hint where one helps. Nothing stops at the first
problem: the office fixes a register in one pass.
"""

from __future__ import annotations

import calendar
import difflib
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ContentError, Pos, Problem, Severity
from .i18n import Msg
from .load import Mapping, Node, Scalar, Sequence, Sources, load_sources
from .markup import image_problems
from .model import (
    BoardConfig,
    Entry,
    Milestone,
    Month,
    PanelSettings,
    Photo,
    Project,
    Register,
    Report,
    ScreenSettings,
    Thresholds,
)
from .photos import InfoMemo, check_photos, date_problems

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
INT_RE = re.compile(r"[+-]?\d+\Z")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
NULLS = ("", "~", "null", "Null", "NULL")
YAML11_BOOLS = ("yes", "no", "on", "off", "y", "n")
# Characters that change how text is shown without being seen: refused in every field.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
MAX_TEXT = 5000
PANEL_SIZES = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420)}


# -- field schema ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | int | number | date | month | id | percent | done | url | language | ...
    required: bool = False
    shown: str = ""  # the name the message shows, if not `name`

    def title(self, prefix: str = "") -> str:
        name = f"{prefix}{self.shown or self.name}"
        return f"{name} ({self.label})" if self.label else name


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


BOARD_FIELDS = _fields(
    Field("title", "标题", "text", True),
    Field("issuer", "发布单位", "text", True),
    Field("hotline", "监督电话", "text", True),
    Field("email", "监督邮箱", "email"),
    Field("site_url", "网址", "url"),
    Field("language", "语言", "language"),
    Field("font", "字体", "text"),
    Field("thresholds", "阈值", "mapping"),
    Field("screen", "大屏", "mapping"),
    Field("panel", "展板", "mapping"),
)
THRESHOLD_FIELDS = _fields(Field("behind", "滞后阈值", "percent"))
SCREEN_FIELDS = _fields(
    Field("seconds_per_page", "每页秒数", "int"),
    Field("width", "宽度", "int"),
    Field("height", "高度", "int"),
    Field("night", "夜间时段", "text"),
)
PANEL_FIELDS = _fields(
    Field("size", "尺寸", "text"),
    Field("orientation", "方向", "text"),
    Field("bleed", "出血", "text"),
    Field("min_font_pt", "最小字号", "number"),
    Field("max_panels", "最多展板数", "int"),
)
PROJECT_FIELDS = _fields(
    Field("id", "编号", "id", True),
    Field("name", "项目名称", "text", True),
    Field("leader", "分包县领导", "text", True),
    Field("unit", "分包单位", "text", True),
    Field("start", "开工时间", "date", True),
    Field("deadline", "完成时限", "date", True),
    Field("owner", "项目业主", "text"),
    Field("location", "建设地点", "text"),
    Field("category", "项目类别", "text"),
    Field("investment", "总投资", "number"),
    Field("order", "排序", "int"),
    Field("summary", "项目简介", "text"),
    Field("milestones", "责任清单", "list"),
    Field("plan", "计划进度", "mapping"),
    Field("annual_investment", "年度计划投资", "mapping"),
)
MILESTONE_FIELDS = _fields(
    Field("task", "任务", "text", True),
    Field("owner", "责任人", "text", True),
    Field("due", "完成时间", "date", True),
    Field("done", "完成情况", "done"),
)
PHOTO_FIELDS = _fields(
    Field("file", "文件", "text", True),
    Field("caption", "说明", "text"),
)
REPORT_FIELDS = _fields(
    Field("month", "月份", "month", True),
    Field("projects", "项目", "mapping", True),
)
ENTRY_FIELDS = _fields(
    Field("percent", "实际进度", "percent", True),
    Field("progress", "具体进度", "text", True),
    Field("invested", "累计完成投资", "number"),
    Field("problems", "存在问题", "text"),
    Field("measures", "推进措施", "text"),
    Field("reason", "滞后原因", "text"),
    Field("catch_up_by", "限期赶上", "date"),
    Field("invested_year", "本年完成投资", "number"),
    Field("photos", "形象进度照片", "list"),
)


# -- scalar interpretation -------------------------------------------------------------------


class Invalid(Exception):
    """A value that does not fit its field: what was expected, what was found, and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(node, Sequence):
        return "a list"
    return repr(node.value) if not node.plain else node.value


def _scalar(node: Node, expected: str) -> Scalar:
    if not isinstance(node, Scalar):
        raise Invalid(f"expected {expected}, got {_describe(node)}")
    if (node.plain and node.value in NULLS) or node.value.strip() == "":
        raise Invalid(f"expected {expected}, got an empty value", "fill it in or remove the line")
    return node


def parse_text(node: Node) -> str:
    s = _scalar(node, "text")
    text = unicodedata.normalize("NFC", s.value.strip())
    bad = INVISIBLE.search(text)
    if bad:
        char = bad.group()
        name = unicodedata.name(char, "control character")
        raise Invalid(
            f"expected visible text, found the invisible character U+{ord(char):04X} ({name})",
            "remove it; it can hide or reorder what the board shows",
        )
    if len(text) > MAX_TEXT:
        raise Invalid(f"expected at most {MAX_TEXT} characters, got {len(text)}")
    return text


def parse_int(node: Node, what: str = "a whole number") -> int:
    s = _scalar(node, what)
    value = s.value.strip()
    if not s.plain:
        if INT_RE.match(value) or NUMBER_RE.match(value):
            raise Invalid(f"expected {what}, got the text {s.value!r}", "remove the quotes")
        raise Invalid(f"expected {what}, got {s.value!r}")
    if INT_RE.match(value):
        digits = value.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0"):
            raise Invalid(
                f"expected {what}, got {value}",
                f"leading zeros are ambiguous in YAML, where {value} may be read as octal; "
                f"write {int(digits)}",
            )
        return int(value)
    if NUMBER_RE.match(value):
        raise Invalid(f"expected {what}, got {value}", "write a whole number, without decimals")
    if value.lower() in (".nan", ".inf", "-.inf", "+.inf"):
        raise Invalid(f"expected {what}, got {value}", "not-a-number and infinity are not allowed")
    raise Invalid(f"expected {what}, got {value}")


def parse_number(node: Node) -> float:
    s = _scalar(node, "a number")
    value = s.value.strip()
    if not s.plain:
        if NUMBER_RE.match(value):
            raise Invalid(f"expected a number, got the text {s.value!r}", "remove the quotes")
        raise Invalid(f"expected a number, got {s.value!r}")
    if value.lower() in (".nan", ".inf", "-.inf", "+.inf"):
        raise Invalid(
            f"expected a number, got {value}", "not-a-number and infinity are not allowed"
        )
    if not NUMBER_RE.match(value):
        raise Invalid(f"expected a number, got {value}")
    digits = value.lstrip("+-")
    if len(digits) > 1 and digits.startswith("0") and digits[1].isdigit():
        raise Invalid(
            f"expected a number, got {value}",
            f"leading zeros are ambiguous in YAML; write {float(digits):g}",
        )
    number = float(value)
    if number < 0:
        raise Invalid(f"expected a number not below 0, got {value}")
    return number


def parse_percent(node: Node) -> int:
    value = parse_int(node, "a whole percent 0-100")
    if not 0 <= value <= 100:
        raise Invalid(f"expected a whole percent 0-100, got {value}")
    return value


def parse_date(node: Node) -> date:
    s = _scalar(node, "a date YYYY-MM-DD")
    value = s.value.strip()
    m = DATE_RE.match(value)
    if not m or len(m.group(2)) != 2 or len(m.group(3)) != 2:
        raise Invalid(f"expected a date YYYY-MM-DD, got {value}")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise Invalid(f"expected a date YYYY-MM-DD, got {value}", f"there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        raise Invalid(
            f"expected a date YYYY-MM-DD, got {value}", f"{name} has {days} days in {year}"
        )
    return date(year, month, day)


def parse_month(node: Node) -> Month:
    s = _scalar(node, "a month YYYY-MM")
    try:
        return Month.parse(s.value.strip())
    except ValueError:
        raise Invalid(f"expected a month YYYY-MM, got {s.value.strip()}") from None


def parse_done(node: Node) -> date | bool:
    s = _scalar(node, "true, false or a date YYYY-MM-DD")
    value = s.value.strip()
    if s.plain and value in ("true", "false"):
        return value == "true"
    if s.plain and value.lower() in (*YAML11_BOOLS, "true", "false"):
        raise Invalid(
            f"expected true, false or a date YYYY-MM-DD, got {value}",
            "YAML 1.1 words like yes/no are ambiguous; write true or false",
        )
    if DATE_RE.match(value):
        return parse_date(node)
    raise Invalid(f"expected true, false or a date YYYY-MM-DD, got {value}")


def parse_id(node: Node) -> str:
    s = _scalar(node, "an id of lowercase letters, digits and '-'")
    value = s.value.strip()
    if not ID_RE.match(value):
        shown = value.encode("ascii", "backslashreplace").decode()
        raise Invalid(
            f"expected an id of lowercase letters, digits and '-', got {shown}",
            "ids are plain ASCII such as beiqu-wushui; the name can be any text",
        )
    return value


def parse_url(node: Node) -> str:
    text = parse_text(node)
    if not re.match(r"https?://[^\s/]+", text):
        raise Invalid(f"expected an absolute http:// or https:// address, got {text}")
    return text


def parse_email(node: Node) -> str:
    text = parse_text(node)
    if not re.match(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+\Z", text):
        raise Invalid(f"expected an e-mail address, got {text}")
    return text


def parse_language(node: Node) -> str:
    text = parse_text(node)
    if text not in ("zh-CN", "en"):
        raise Invalid(f"expected zh-CN or en, got {text}")
    return text


PARSERS: dict[str, Callable[[Node], Any]] = {
    "text": parse_text,
    "int": parse_int,
    "number": parse_number,
    "percent": parse_percent,
    "date": parse_date,
    "month": parse_month,
    "done": parse_done,
    "id": parse_id,
    "url": parse_url,
    "email": parse_email,
    "language": parse_language,
}


# -- mappings --------------------------------------------------------------------------------


class Checker:
    """Collects problems while reading mappings against their field lists."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, pos: Pos, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(pos, field, message, hint))

    def warn(self, pos: Pos, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(pos, field, message, hint, Severity.WARNING))

    def read(
        self, node: Node | None, fields: dict[str, Field], prefix: str = "", what: str = "a mapping"
    ) -> tuple[dict[str, Any], dict[str, Pos], Mapping | None]:
        """Values of the known fields that parsed, their positions, and the mapping itself."""
        values: dict[str, Any] = {}
        positions: dict[str, Pos] = {}
        if not isinstance(node, Mapping):
            if node is not None:
                self.error(
                    node.pos,
                    prefix.rstrip("."),
                    f"expected {what} of key: value lines, got {_describe(node)}",
                )
            return values, positions, None
        for key, value in node.items:
            spec = fields.get(key.value)
            if spec is None:
                close = difflib.get_close_matches(key.value, list(fields), n=1, cutoff=0.6)
                hint = (
                    f"did you mean {fields[close[0]].title(prefix)}?"
                    if close
                    else ("expected one of " + ", ".join(fields))
                )
                self.error(key.pos, f"{prefix}{key.value}", "unknown key", hint)
                continue
            positions[spec.name] = value.pos
            positions[f"{spec.name}:key"] = key.pos
            if spec.kind in ("mapping", "list"):
                values[spec.name] = value
                continue
            try:
                values[spec.name] = PARSERS[spec.kind](value)
            except Invalid as exc:
                self.error(value.pos, spec.title(prefix), exc.message, exc.hint)
                values[spec.name] = Invalid
        for spec in fields.values():
            if spec.required and spec.name not in positions:
                self.error(
                    node.pos,
                    spec.title(prefix),
                    f"required field is missing ({_expectation(spec)})",
                )
                values[spec.name] = Invalid
        return values, positions, node

    def ok(self, values: dict[str, Any], *names: str) -> bool:
        return all(values.get(n) is not Invalid for n in names)


def _expectation(spec: Field) -> str:
    return {
        "text": "expected text",
        "id": "expected an id such as beiqu-wushui",
        "date": "expected a date YYYY-MM-DD",
        "month": "expected a month YYYY-MM",
        "percent": "expected a whole percent 0-100",
        "mapping": "expected a mapping",
    }.get(spec.kind, "expected a value")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not Invalid}


# -- the board, projects and reports ----------------------------------------------------------


def _parse_panel_size(text: str) -> tuple[float, float]:
    if text.upper() in PANEL_SIZES:
        w, h = PANEL_SIZES[text.upper()]
        return float(w), float(h)
    m = re.match(r"(\d+(?:\.\d+)?)\s*mm\s+(\d+(?:\.\d+)?)\s*mm\Z", text)
    if not m:
        raise Invalid(
            f"expected A0, A1, A2, A3 or 'WIDTH HEIGHT' in mm such as 2400mm 1200mm, got {text}"
        )
    return float(m.group(1)), float(m.group(2))


def _board(doc_root: Node | None, shown: str, c: Checker) -> BoardConfig | None:
    values, positions, node = c.read(doc_root, BOARD_FIELDS, what="the board's settings")
    if node is None:
        return None
    thresholds = Thresholds()
    if "thresholds" in values:
        tv, _tp, _ = c.read(values["thresholds"], THRESHOLD_FIELDS, "thresholds.")
        thresholds = Thresholds(**_clean(tv))
    screen = ScreenSettings()
    if "screen" in values:
        sv, sp, _ = c.read(values["screen"], SCREEN_FIELDS, "screen.")
        sv = _clean(sv)
        limits = {"seconds_per_page": (3, 3600), "width": (320, 7680), "height": (320, 7680)}
        for key, (low, high) in limits.items():
            if key in sv and not low <= sv[key] <= high:
                c.error(
                    sp[key],
                    SCREEN_FIELDS[key].title("screen."),
                    f"expected {low} to {high}, got {sv[key]}",
                )
                del sv[key]
        if "night" in sv and not re.match(
            r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d\Z", sv["night"]
        ):
            c.error(
                sp["night"],
                SCREEN_FIELDS["night"].title("screen."),
                f"expected a time range HH:MM-HH:MM such as 22:00-07:00, got {sv['night']}",
            )
            del sv["night"]
        screen = ScreenSettings(**sv)
    panel = PanelSettings()
    if "panel" in values:
        pv, pp, _ = c.read(values["panel"], PANEL_FIELDS, "panel.")
        pv = _clean(pv)
        kwargs: dict[str, Any] = {}
        if "size" in pv:
            try:
                kwargs["width_mm"], kwargs["height_mm"] = _parse_panel_size(pv["size"])
                kwargs["size"] = pv["size"]
            except Invalid as exc:
                c.error(pp["size"], PANEL_FIELDS["size"].title("panel."), exc.message)
        if "orientation" in pv:
            if pv["orientation"] in ("landscape", "portrait"):
                kwargs["orientation"] = pv["orientation"]
            else:
                c.error(
                    pp["orientation"],
                    PANEL_FIELDS["orientation"].title("panel."),
                    f"expected landscape or portrait, got {pv['orientation']}",
                )
        if "bleed" in pv:
            m = re.match(r"(\d+(?:\.\d+)?)\s*mm\Z", pv["bleed"])
            if m and float(m.group(1)) <= 20:
                kwargs["bleed_mm"] = float(m.group(1))
            else:
                c.error(
                    pp["bleed"],
                    PANEL_FIELDS["bleed"].title("panel."),
                    f"expected a length in mm from 0mm to 20mm such as 3mm, got {pv['bleed']}",
                )
        if "min_font_pt" in pv:
            if 4 <= pv["min_font_pt"] <= 200:
                kwargs["min_font_pt"] = pv["min_font_pt"]
            else:
                c.error(
                    pp["min_font_pt"],
                    PANEL_FIELDS["min_font_pt"].title("panel."),
                    f"expected 4 to 200, got {pv['min_font_pt']:g}",
                )
        if "max_panels" in pv:
            if pv["max_panels"] >= 1:
                kwargs["max_panels"] = pv["max_panels"]
            else:
                c.error(
                    pp["max_panels"],
                    PANEL_FIELDS["max_panels"].title("panel."),
                    f"expected 1 or more, got {pv['max_panels']}",
                )
        panel = PanelSettings(**kwargs)
    if not c.ok(values, "title", "issuer", "hotline"):
        return None
    plain = {k: v for k, v in _clean(values).items() if k not in ("thresholds", "screen", "panel")}
    return BoardConfig(
        **plain,
        thresholds=thresholds,
        screen=screen,
        panel=panel,
        source=Pos(shown),
        positions=MappingProxyType(positions),
    )


def _milestones(node: Node, c: Checker) -> tuple[Milestone, ...]:
    if not isinstance(node, Sequence):
        c.error(
            node.pos,
            "milestones (责任清单)",
            f"expected a list of tasks (lines starting with '- '), got {_describe(node)}",
        )
        return ()
    result = []
    for i, item in enumerate(node.items, 1):
        values, _, m = c.read(item, MILESTONE_FIELDS, f"milestones[{i}].", "a task")
        if m is not None and c.ok(values, "task", "owner", "due"):
            result.append(Milestone(**_clean(values)))
    return tuple(result)


def _plan(node: Node, c: Checker) -> tuple[tuple[Month, int], ...]:
    if not isinstance(node, Mapping):
        c.error(
            node.pos,
            "plan (计划进度)",
            f"expected month: percent lines such as 2020-09: 40, got {_describe(node)}",
        )
        return ()
    plan: dict[Month, int] = {}
    for key, value in node.items:
        try:
            month = parse_month(key)
        except Invalid as exc:
            c.error(
                key.pos,
                "plan (计划进度)",
                exc.message.replace("got", "as a key, got"),
                "each line is month: percent, such as 2020-09: 40",
            )
            continue
        try:
            plan[month] = parse_percent(value)
        except Invalid as exc:
            c.error(value.pos, f"plan.{month} (计划进度)", exc.message, exc.hint)
    ordered = sorted(plan.items())
    for (m1, p1), (m2, p2) in itertools.pairwise(ordered):
        if p2 < p1:
            pos = next(k.pos for k, _ in node.items if k.value == str(m2))
            c.error(
                pos,
                f"plan.{m2} (计划进度)",
                f"expected a cumulative percent not below {p1} of {m1}, got {p2}",
            )
    return tuple(ordered)


def _annual_investment(node: Node, c: Checker) -> tuple[tuple[int, float], ...]:
    """`annual_investment:` year: 万元 lines (年度计划投资), such as 2020: 5000."""
    field = "annual_investment (年度计划投资)"
    if not isinstance(node, Mapping):
        c.error(node.pos, field, Msg("msg.invest.plan_shape", found=_describe(node)))
        return ()
    found: dict[int, float] = {}
    for key, value in node.items:
        text = key.value.strip()
        if not (key.plain and re.fullmatch(r"(19|20|21)\d\d", text)):
            c.error(key.pos, field, Msg("msg.invest.plan_year", found=text))
            continue
        try:
            found[int(text)] = parse_number(value)
        except Invalid as exc:
            c.error(value.pos, f"annual_investment.{text} (年度计划投资)", exc.message, exc.hint)
    return tuple(sorted(found.items()))


def _photos(node: Node, pid: str, c: Checker) -> tuple[Photo, ...]:
    """`photos:` a list of paths under photos/, or of {file: PATH, caption: 说明} mappings.

    Only the shape is read here; the files themselves are checked by board.photos.
    """
    field = f"projects.{pid}.photos (形象进度照片)"
    if not isinstance(node, Sequence):
        c.error(node.pos, field, Msg("msg.photo.shape", found=_describe(node)))
        return ()
    result = []
    for i, item in enumerate(node.items, 1):
        if isinstance(item, Mapping):
            values, positions, _ = c.read(item, PHOTO_FIELDS, f"projects.{pid}.photos[{i}].")
            if not c.ok(values, "file", "caption") or "file" not in values:
                continue
            result.append(
                Photo(values["file"], values.get("caption", ""), positions.get("file", item.pos))
            )
            continue
        try:
            result.append(Photo(parse_text(item), "", item.pos))
        except Invalid as exc:
            c.error(item.pos, f"projects.{pid}.photos[{i}]", exc.message, exc.hint)
    return tuple(result)


def _project(doc_root: Node, path: Path, shown: str, c: Checker) -> Project | None:
    values, positions, node = c.read(doc_root, PROJECT_FIELDS, what="a project")
    if node is None:
        return None
    milestones = _milestones(values.pop("milestones"), c) if "milestones" in values else ()
    plan = _plan(values.pop("plan"), c) if "plan" in values else ()
    annual: tuple[tuple[int, float], ...] = ()
    if "annual_investment" in values:
        node_annual = values.pop("annual_investment")
        annual = _annual_investment(node_annual, c)
        if isinstance(node_annual, Mapping):  # each year's own place, for the warnings
            for key, _ in node_annual.items:
                positions[f"annual_investment.{key.value.strip()}"] = key.pos
    if c.ok(values, "id") and values["id"] != path.stem:
        c.error(
            positions["id"],
            "id (编号)",
            f"expected the file name's stem {path.stem!r}, got {values['id']!r}",
            f"rename the file to {values['id']}.yaml or change the id",
        )
        values["id"] = Invalid
    if c.ok(values, "start", "deadline") and values["deadline"] < values["start"]:
        c.error(
            positions["deadline"],
            "deadline (完成时限)",
            f"expected a date not before start {values['start']}, got {values['deadline']}",
        )
        values["deadline"] = Invalid
    if c.ok(values, "summary") and "summary" in values:
        for message in image_problems(values["summary"], path.parent.parent):
            c.error(
                positions["summary"],
                "summary (项目简介)",
                message,
                "put the image into the register's assets/ folder and write ![说明](assets/name.png)",
            )
    if not c.ok(values, *(f.name for f in PROJECT_FIELDS.values())):
        return None
    return Project(
        **_clean(values),
        milestones=milestones,
        plan=plan,
        annual_investment=annual,
        source=Pos(shown, 1, 1),
        positions=MappingProxyType(positions),
    )


def _report(
    doc_root: Node,
    path: Path,
    shown: str,
    project_ids: set[str],
    c: Checker,
    memo: InfoMemo | None = None,
) -> Report | None:
    values, positions, node = c.read(doc_root, REPORT_FIELDS, what="a monthly report")
    if node is None:
        return None
    if c.ok(values, "month") and "month" in values and str(values["month"]) != path.stem:
        c.error(
            positions["month"],
            "month (月份)",
            f"expected the file name's stem {path.stem}, got {values['month']}",
            f"rename the file to {values['month']}.yaml or change the month",
        )
        values["month"] = Invalid
    entries: dict[str, Entry] = {}
    entry_positions: dict[str, Pos] = {}
    projects = values.get("projects")
    if isinstance(projects, Mapping):
        for key, item in projects.items:
            pid = key.value
            if pid not in project_ids:
                close = difflib.get_close_matches(pid, sorted(project_ids), n=1, cutoff=0.6)
                c.error(
                    key.pos,
                    f"projects.{pid}",
                    "unknown project: no file projects/" + pid + ".yaml",
                    f"did you mean {close[0]}?"
                    if close
                    else "add the project first, or check the id",
                )
                continue
            ev, ep, m = c.read(item, ENTRY_FIELDS, f"projects.{pid}.", "a project's report")
            if m is None:
                continue
            entry_positions[pid] = key.pos
            if "photos" in ev:
                ev["photos"] = check_photos(
                    path.parent.parent,
                    pid,
                    _photos(ev["photos"], pid, c),
                    memo or InfoMemo(),
                    c.problems,
                )
            if (
                c.ok(ev, "invested", "invested_year")
                and ev.get("invested_year") is not None
                and ev.get("invested") is not None
                and ev["invested_year"] > ev["invested"]
            ):
                c.error(
                    ep["invested_year"],
                    f"projects.{pid}.invested_year (本年完成投资)",
                    Msg(
                        "msg.invest.year_above_invested",
                        year=f"{ev['invested_year']:g}",
                        invested=f"{ev['invested']:g}",
                    ),
                    Msg("msg.invest.year_above_invested_hint"),
                )
                ev["invested_year"] = Invalid
            if c.ok(ev, *ENTRY_FIELDS) and "percent" in ev and "progress" in ev:
                entries[pid] = Entry(project_id=pid, **_clean(ev), positions=MappingProxyType(ep))
    elif projects is not None and projects is not Invalid:
        c.error(
            projects.pos,
            "projects (项目)",
            f"expected a mapping of project id to its report, got {_describe(projects)}",
        )
    if not c.ok(values, "month", "projects"):
        return None
    return Report(
        month=values["month"],
        entries=MappingProxyType(entries),
        source=Pos(shown, 1, 1),
        positions=MappingProxyType(
            {**positions, **{f"projects.{k}": v for k, v in entry_positions.items()}}
        ),
    )


def build_register(
    sources: Sources, memo: InfoMemo | None = None
) -> tuple[Register | None, list[Problem]]:
    """The register's model and every problem in it (errors and warnings).

    `memo` remembers what each photo file is by its content hash (the build passes one backed
    by its cache, so unchanged photos are not decoded again).
    """
    memo = memo or InfoMemo()
    c = Checker()
    c.problems.extend(sources.problems)
    config = _board(sources.board.root, sources.board.shown, c) if sources.board else None

    projects: list[Project] = []
    seen_ids: dict[str, Project] = {}
    for doc in sources.projects:
        project = _project(doc.root, doc.path, doc.shown, c)
        if project is None:
            continue
        if project.id in seen_ids:
            first = seen_ids[project.id]
            c.error(
                project.positions["id"],
                "id (编号)",
                f"duplicate id {project.id!r}, also used by {first.source.file}:{first.positions['id'].line}",
            )
            continue
        seen_ids[project.id] = project
        projects.append(project)
    # A report naming a project whose file has errors is not a second error.
    known_ids = set(seen_ids) | sources.project_stems
    reports: dict[Month, Report] = {}
    for doc in sources.reports:
        report = _report(doc.root, doc.path, doc.shown, known_ids, c, memo)
        if report is None:
            continue
        if report.month in reports:
            c.error(
                report.positions["month"],
                "month (月份)",
                f"duplicate report for {report.month}, also in {reports[report.month].source.file}",
            )
            continue
        reports[report.month] = report

    projects.sort(key=lambda p: (p.order if p.order is not None else 10**9, p.id))
    ordered_reports = tuple(reports[m] for m in sorted(reports))
    errors = [p for p in c.problems if p.severity is Severity.ERROR]
    if errors or config is None:
        return None, c.problems
    register = Register(sources.root, config, tuple(projects), ordered_reports)
    _warnings(register, c)
    return register, c.problems


def _warnings(register: Register, c: Checker) -> None:
    """Things worth the office's attention that do not stop the build (errors under --strict)."""
    from .compute import compute_month  # compute depends on the model only; no cycle at import

    # percent lower than the month before
    last: dict[str, tuple[Month, int]] = {}
    for report in register.reports:
        for pid, entry in report.entries.items():
            if pid in last and entry.percent < last[pid][1]:
                c.warn(
                    entry.positions["percent"],
                    f"projects.{pid}.percent (实际进度)",
                    f"{entry.percent} is lower than {last[pid][1]} in {last[pid][0]}",
                    "the percent is cumulative; explain the correction under problems (存在问题)",
                )
            last[pid] = (report.month, entry.percent)

    latest = register.reports[-1] if register.reports else None
    if latest is not None:
        pos = latest.positions.get("projects:key", latest.source)
        for project in register.projects:
            if project.id not in latest.entries:
                c.warn(
                    pos,
                    "projects (项目)",
                    f"no entry for {project.id} ({project.name}) in the latest report {latest.month}",
                    "the board shows it as 未报送 with its last known figures",
                )
        board = compute_month(register, latest.month)
        for row in board.rows:
            if row.status in ("behind", "overdue") and row.reported and row.entry is not None:
                missing = [f for f in ("reason", "catch_up_by") if not getattr(row.entry, f)]
                if missing:
                    names = " and ".join(
                        {"reason": "reason (滞后原因)", "catch_up_by": "catch_up_by (限期赶上)"}[f]
                        for f in missing
                    )
                    what = "behind plan" if row.status == "behind" else "overdue"
                    c.warn(
                        latest.positions.get(f"projects.{row.project.id}", latest.source),
                        f"projects.{row.project.id}",
                        f"{what} ({row.actual}% against {row.planned:g}% planned) without {names}",
                        "the speech: 凡是达不到要求的，要说明原因，限期赶上",
                    )

    _investment_warnings(register, c)
    for project in register.projects:
        sent = [(m, project.id, e.photos) for m, e in register.history.get(project.id, ())]
        c.problems.extend(date_problems(sent))

    by_leader: dict[str, list[Project]] = {}
    for project in register.projects:
        by_leader.setdefault(project.leader, []).append(project)
    for leader, projects in by_leader.items():
        if len(projects) > 2:
            for project in projects[2:]:
                c.warn(
                    project.positions["leader"],
                    "leader (分包县领导)",
                    f"{leader} is in charge of {len(projects)} projects ("
                    + ", ".join(p.id for p in projects)
                    + ")",
                    "the speech: 每人分包1—2个重点项目",
                )


INVESTED_FACTOR = 3  # invested to date above this many times the total investment: a warning


def _investment_warnings(register: Register, c: Checker) -> None:
    """Figures that are probably a slip of unit (元 for 万元) or of year."""
    by_id = {p.id: p for p in register.projects}
    for project in register.projects:
        years = range(project.start.year, project.deadline.year + 1)
        for year, _ in project.annual_investment:
            node_pos = project.positions.get(
                f"annual_investment.{year}",
                project.positions.get("annual_investment", project.source),
            )
            if year not in years:
                c.warn(
                    node_pos,
                    f"annual_investment.{year} (年度计划投资)",
                    Msg(
                        "msg.invest.year_outside",
                        year=year,
                        start=project.start.year,
                        end=project.deadline.year,
                    ),
                    Msg("msg.invest.year_outside_hint"),
                )
    for report in register.reports:
        for pid, entry in report.entries.items():
            project = by_id.get(pid)
            if project is None or project.investment is None or entry.invested is None:
                continue
            if entry.invested > INVESTED_FACTOR * project.investment:
                c.warn(
                    entry.positions.get("invested", report.source),
                    f"projects.{pid}.invested (累计完成投资)",
                    Msg(
                        "msg.invest.above_total",
                        invested=f"{entry.invested:g}",
                        total=f"{project.investment:g}",
                        factor=INVESTED_FACTOR,
                    ),
                    Msg("msg.invest.above_total_hint"),
                )


def check(
    content_dir: Path | str, strict: bool = False, cache: Any = None
) -> tuple[Register, list[Problem]]:
    """Load and validate a register; raise ContentError with every problem if it has errors.

    With `strict`, warnings count as errors. Returns the register and its warnings. `cache` (a
    board.cache.RenderCache) remembers what each photo file is between builds.
    """
    register, problems = build_register(load_sources(Path(content_dir)), InfoMemo(cache))
    if strict:
        problems = [
            Problem(p.pos, p.field, p.message, p.hint, Severity.ERROR)
            if p.severity is Severity.WARNING
            else p
            for p in problems
        ]
    if register is None or any(p.severity is Severity.ERROR for p in problems):
        raise ContentError(problems)
    return register, problems
