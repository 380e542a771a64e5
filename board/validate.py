"""Stage 3, validate: turn the loaded YAML trees into the model, collecting every problem.

Every problem names the file, line and column, the field in both forms (`deadline (完成时限)`),
what was expected and what was found, and a hint where one helps. Nothing stops at the first
problem: the office fixes a register in one pass.
"""

from __future__ import annotations

import calendar
import dataclasses
import difflib
import itertools
import math
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .commitments import (
    change_yaml,
    commitment_field,
    commitment_place,
    key_message,
    major_reason,
    read_record,
    record_problems,
    value_message,
)
from .errors import ContentError, Pos, Problem, Severity
from .i18n import (
    LANGUAGES,
    MESSAGES,
    Msg,
    Said,
    catalog_ids,
    counted,
    field_head,
    label,
    placeholders,
    quoted,
)
from .load import (
    FORMAT_CHARACTERS,
    LEGACY_FORMAT,
    Mapping,
    Node,
    Scalar,
    Sequence,
    Sources,
    load_sources,
)
from .markup import image_problems
from .model import (
    COMMITMENT_FAMILIES,
    COMMITMENT_KEYS,
    LICENSES,
    BoardConfig,
    BulletinSettings,
    Change,
    Decision,
    Entry,
    Milestone,
    Month,
    OpenDataSettings,
    PanelSettings,
    Photo,
    Project,
    Register,
    Report,
    ReportingSettings,
    ScreenSettings,
    Thresholds,
    Value,
    Withdrawal,
)
from .photos import InfoMemo, check_photos, date_problems, shared_problems, split_caption
from .settled import is_settled, latest_report, settle

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
INT_RE = re.compile(r"[+-]?\d+\Z")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
NULLS = ("", "~", "null", "Null", "NULL")
YAML11_BOOLS = ("yes", "no", "on", "off", "y", "n")
# Characters that change how text is shown without being seen: refused in every field.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + FORMAT_CHARACTERS + "]")
# the characters refused before every format character was (their message names the field)
_LEGACY_INVISIBLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{LEGACY_FORMAT}]")
# Bounds of numbers (docs/content-format.md): money in 万元 below 10^9, years 1900-2100.
MAX_MONEY = 10**9
MAX_DIGITS = 15
YEARS = (1900, 2100)
PANEL_MIN_MM = (210.0, 297.0)  # A4
PANEL_MAX_MM = 10_000.0  # 10 m
MAX_TEXT = 5000
# A photo's caption on the A4 sheet: three lines of 6.5 pt under a 40 mm photo, after the month
# and before the day it was taken (templates/print/sheets.html): about 24 characters.
CAPTION_SHOWN = 24
PANEL_SIZES = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420)}


# -- field schema ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | int | number | date | month | id | percent | done | url | language | ...
    required: bool = False
    shown: str = ""  # the name the message shows, if not `name`
    limit: int = 0  # text: the most characters the outputs show in full (docs/content-format.md)

    def title(self, prefix: str = "") -> str:
        name = f"{prefix}{self.shown or self.name}"
        return f"{name} ({self.label})" if self.label else name


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


BOARD_FIELDS = _fields(
    Field("title", "标题", "text", True, limit=40),
    Field("issuer", "发布单位", "text", True, limit=40),
    Field("hotline", "监督电话", "text", True, limit=40),
    Field("email", "监督邮箱", "email", limit=100),
    Field("site_url", "网址", "url", limit=200),
    Field("language", "语言", "language"),
    Field("font", "字体", "text", limit=200),
    Field("thresholds", "阈值", "mapping"),
    Field("screen", "大屏", "mapping"),
    Field("panel", "展板", "mapping"),
    Field("bulletin", "通报", "mapping"),
    Field("labels", "标签", "mapping"),
    Field("reporting", "报送", "mapping"),
    Field("open_data", "开放数据", "mapping"),
    Field("id", "登记册编号", "id"),
    Field("archive", "公示记录位置", "text"),
    Field("map", "地图", "mapping"),
)
REPORTING_FIELDS = _fields(
    Field("due_day", "截止日", "int"),
    Field("due_dates", "截止日期", "mapping"),
)
THRESHOLD_FIELDS = _fields(
    Field("behind", "滞后阈值", "percent"),
    Field("major_deadline_days", "重大调整天数", "int"),
    Field("major_investment_percent", "重大调整投资幅度", "percent"),
)
SCREEN_FIELDS = _fields(
    Field("seconds_per_page", "每页秒数", "int"),
    Field("width", "宽度", "int"),
    Field("height", "高度", "int"),
    Field("night", "夜间时段", "text", limit=20),
)
PANEL_FIELDS = _fields(
    Field("size", "尺寸", "text", limit=40),
    Field("orientation", "方向", "text", limit=20),
    Field("bleed", "出血", "text", limit=20),
    Field("min_font_pt", "最小字号", "number"),
    Field("max_panels", "最多展板数", "int"),
    Field("map", "地图插图", "bool"),
)
BULLETIN_FIELDS = _fields(
    Field("number", "发文字号", "text", limit=40),
    Field("first_number", "起始序号", "int"),
    Field("mark", "发文机关标志", "text", limit=40),
    Field("issuer", "落款", "text", limit=40),
    Field("recipients", "主送机关", "text", limit=200),
    Field("cc", "抄送", "text", limit=200),
    Field("printed_by", "印发机关", "text", limit=40),
    Field("title_font", "标题字体", "text", limit=200),
    Field("body_font", "正文字体", "text", limit=200),
    Field("hei_font", "黑体字体", "text", limit=200),
    Field("kai_font", "楷体字体", "text", limit=200),
)
NUMBER_FIELDS = ("year", "month", "n")
OPEN_DATA_FIELDS = _fields(
    Field("oc4ids_prefix", "OC4IDS项目编号前缀", "text"),
    Field("license", "数据许可", "text"),
    Field("area", "覆盖地区", "text"),
)
# the form of a prefix the OC4IDS Helpdesk assigns: oc4ids- and six letters or digits
OC4IDS_PREFIX_RE = re.compile(r"oc4ids-[a-z0-9]{6}-?\Z")
PROJECT_FIELDS = _fields(
    Field("id", "编号", "id", True),
    Field("name", "项目名称", "text", True, limit=100),
    Field("leader", "分包县领导", "text", True, limit=40),
    Field("unit", "分包单位", "text", True, limit=50),
    Field("start", "开工时间", "date", True),
    Field("deadline", "完成时限", "date", True),
    Field("owner", "项目业主", "text", limit=60),
    Field(
        "location", "建设地点", "node"
    ),  # text (at most 60 characters) or a place (board/places.py)
    Field("category", "项目类别", "text", limit=60),
    Field("investment", "总投资", "money"),
    Field("order", "排序", "int"),
    Field("summary", "项目简介", "text", limit=2000),
    Field("milestones", "责任清单", "list"),
    Field("plan", "计划进度", "mapping"),
    Field("annual_investment", "年度计划投资", "mapping"),
    Field("changes", "调整记录", "list"),
    Field("added", "新增", "raw"),
    Field("withdrawn", "调出", "raw"),
    Field("code", "项目统一代码", "code"),  # issue 24: board/disclosure.py
    Field("disclosure", "信息公开", "mapping"),  # issue 24: board/disclosure.py
)
# issue 22: an entry of a project's change log, and the decisions that add or withdraw it
CHANGE_FIELDS = _fields(
    Field("date", "决定日期", "date", True),
    Field("field", "调整事项", "text", True),
    Field("from", "原值", "raw", True),
    Field("to", "新值", "raw", True),
    Field("reason", "调整原因", "text", True),
    Field("approved_by", "批准依据", "text"),
)
DECISION_FIELDS = _fields(
    Field("date", "日期", "date", True),
    Field("reason", "原因", "text"),
    Field("approved_by", "批准依据", "text"),
)
MILESTONE_FIELDS = _fields(
    Field("task", "任务", "text", True, limit=100),
    Field("owner", "责任人", "text", True, limit=40),
    Field("due", "完成时间", "date", True),
    Field("done", "完成情况", "done"),
)
PHOTO_FIELDS = _fields(
    Field("file", "文件", "text", True, limit=200),
    Field("caption", "说明", "text", limit=100),
)
REPORT_FIELDS = _fields(
    Field("month", "月份", "month", True),
    Field("published", "印发日期", "date"),
    Field("projects", "项目", "mapping", True),
    Field("withdrawn", "撤回", "mapping"),
)
WITHDRAWN_FIELDS = _fields(
    Field("date", "撤回日期", "date", True),
    Field("reason", "撤回原因", "text", True),
)
ENTRY_FIELDS = _fields(
    Field("percent", "实际进度", "percent", True),
    Field("progress", "具体进度", "text", True, limit=150),
    Field("invested", "累计完成投资", "money"),
    Field("problems", "存在问题", "text", limit=300),
    Field("measures", "推进措施", "text", limit=300),
    Field("reason", "滞后原因", "text", limit=80),
    Field("catch_up_by", "限期赶上", "date"),
    Field("invested_year", "本年完成投资", "number"),
    Field("photos", "形象进度照片", "list"),
)
# `reported: false` (未报送) under a project of a report: read with the entry's fields, kept out
# of ENTRY_FIELDS (the fields of an Entry)
REPORTED = Field("reported", "是否报送", "bool")
ENTRY_READ = {**ENTRY_FIELDS, REPORTED.name: REPORTED}
# what a project that did not report cannot have: `new-month` writes percent and invested as the
# last figures, and an empty progress, so those may stay
REPORTED_CONTENT = (
    "progress",
    "problems",
    "measures",
    "reason",
    "catch_up_by",
    "invested_year",
    "photos",
)


# -- scalar interpretation -------------------------------------------------------------------


class Invalid(Exception):
    """A value that does not fit its field: what was expected, what was found, and a hint."""

    def __init__(self, message: Msg | str, hint: Msg | str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _describe(node: Node) -> Msg | Said | str:
    if isinstance(node, Mapping):
        return Msg("msg.what.found_mapping")
    if isinstance(node, Sequence):
        return Msg("msg.what.found_list")
    return quoted(node.value) if not node.plain else node.value


def _expected(what: str, value: object, hint: Msg | str = "") -> Invalid:
    """`expected <what>, got <value>`: `what` names a msg.what.* entry (a date, a percent...)."""
    return Invalid(
        Msg("msg.validate.expected_got", what=Msg(f"msg.what.{what}"), value=value), hint
    )


def _scalar(node: Node, expected: str) -> Scalar:
    if not isinstance(node, Scalar):
        raise _expected(expected, _describe(node))
    if (node.plain and node.value in NULLS) or node.value.strip() == "":
        raise Invalid(
            Msg("msg.validate.expected_empty", what=Msg(f"msg.what.{expected}")),
            Msg("msg.hint.fill_or_remove"),
        )
    if expected != "text" and _chinese_quoted(node.value):
        raise _expected(expected, node.value.strip(), Msg("msg.slip.fix_chinese_quotes"))
    return node


def _chinese_quoted(value: str) -> bool:
    """A value wrapped in Chinese quotes (“…” ‘…’ 「…」), typed where YAML needs none."""
    text = value.strip()
    return len(text) >= 2 and (text[0], text[-1]) in (("“", "”"), ("‘", "’"), ("「", "」"))


def parse_text(node: Node) -> str:
    s = _scalar(node, "text")
    text = unicodedata.normalize("NFC", s.value.strip())
    bad = INVISIBLE.search(text)
    if bad and not _LEGACY_INVISIBLE.match(bad.group()):
        char = bad.group()
        raise Invalid(
            Msg(
                "msg.text.format_char",
                code=f"{ord(char):04X}",
                name=unicodedata.name(char, "FORMAT CHARACTER"),
                at=bad.start() + 1,
            ),
            Msg("msg.text.format_char_hint"),
        )
    if bad:
        char = bad.group()
        name = unicodedata.name(char, "control character")
        raise Invalid(
            Msg("msg.validate.invisible", code=f"U+{ord(char):04X}", name=Said("", f" ({name})")),
            Msg("msg.hint.invisible"),
        )
    if len(text) > MAX_TEXT:
        raise Invalid(Msg("msg.validate.too_long", limit=MAX_TEXT, length=len(text)))
    return text


# -- the office's spellings of numbers and dates ----------------------------------------------
#
# What a clerk types on a Chinese keyboard, in YAML and in workbook cells alike, is read as the
# canonical value: fullwidth digits and signs (６５、２０２０．１１．３０), percent signs (65%, ６５％)
# on percents, thousands separators (14,800) on numbers, and the dates 2020-11-30, 2020-1-5,
# 2020.11.30, 2020/11/30, 2020年11月30日 (months: 2020-10, 2020.10, 2020/10, 2020年10月). Anything
# else (11/30/2020, 20-11-30, 2020年2月30日) is an error that says why.

SPELLED_DATE = re.compile(
    r"(?P<y>\d{4})(?:(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]?)\Z"
)
SPELLED_MONTH = re.compile(r"(?P<y>\d{4})(?:[-./](?P<m>\d{1,2})|年(?P<m2>\d{1,2})月?)\Z")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?\Z")


def narrow(text: str) -> str:
    """Fullwidth digits, signs and punctuation (Ｏ-９、．、％、，、／) as their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


def spelled_date(text: str) -> date | None:
    """The date a clerk's spelling names, or None if it is not one of the accepted spellings.

    Raises Invalid for a date that is spelled right but does not exist (2020年2月30日).
    """
    m = SPELLED_DATE.match(narrow(text).replace(" ", ""))
    if m is None:
        return None
    year, month, day = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
    if not YEARS[0] <= year <= YEARS[1]:
        raise Invalid(Msg("msg.limit.year", value=text.strip(), low=YEARS[0], high=YEARS[1]))
    if not 1 <= month <= 12:
        raise _expected("date", text, Msg("msg.hint.no_such_month", month=month))
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise _expected(
            "date",
            text,
            Msg(
                "msg.hint.month_has_days",
                year=year,
                month=month,
                name=Msg(f"msg.month.{month}"),
                days=days,
            ),
        )
    return date(year, month, day)


def spelled_month(text: str) -> Month | None:
    """The month a clerk's spelling names (2020-10, 2020.10, 2020/10, 2020年10月), or None."""
    m = SPELLED_MONTH.match(narrow(text).replace(" ", ""))
    if m is None:
        return None
    month = int(m["m"] or m["m2"])
    if not 1 <= month <= 12:
        raise _expected("month", text, Msg("msg.hint.no_such_month", month=month))
    return Month(int(m["y"]), month)


SPELLED_YEAR = re.compile(r"(?P<y>\d{4})(?:年度?)?\Z")


def spelled_year(text: str) -> int | None:
    """The year a clerk's spelling names (2021, 2021年, 2021年度, ２０２１年), or None; spelled
    as the months are (2021年5月 is a month, 2021年 its year)."""
    m = SPELLED_YEAR.match(narrow(text).replace(" ", ""))
    return int(m["y"]) if m else None


def spelled_number(text: str, percent: bool = False) -> str:
    """A number as the office types it, in YAML's plain spelling: ６５％ → 65, 14,800 → 14800."""
    value = narrow(text)
    if percent and value.endswith("%"):
        value = value[:-1].strip()
    if THOUSANDS.match(value):
        value = value.replace(",", "")
    return value


def parse_int(node: Node, what: str = "int") -> int:
    s = _scalar(node, what)
    value = spelled_number(s.value, percent=what == "percent")
    if not s.plain:
        if INT_RE.match(value) or NUMBER_RE.match(value):
            raise Invalid(
                Msg(
                    "msg.validate.expected_quoted",
                    what=Msg(f"msg.what.{what}"),
                    value=quoted(s.value),
                ),
                Msg("msg.hint.remove_quotes"),
            )
        raise _expected(what, quoted(s.value))
    if INT_RE.match(value):
        digits = value.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise Invalid(
                Msg(
                    "msg.limit.digits",
                    what=Msg(f"msg.what.{what}"),
                    digits=len(digits),
                    most=MAX_DIGITS,
                )
            )
        if len(digits) > 1 and digits.startswith("0"):
            raise _expected(what, value, Msg("msg.hint.octal", value=value, fixed=int(digits)))
        return int(value)
    if NUMBER_RE.match(value):
        raise _expected(what, value, Msg("msg.hint.no_decimals"))
    if value.lower() in (".nan", ".inf", "-.inf", "+.inf"):
        raise _expected(what, value, Msg("msg.hint.no_nan"))
    raise _expected(what, s.value.strip())


def parse_number(node: Node) -> float:
    s = _scalar(node, "number")
    value = spelled_number(s.value)
    if not s.plain:
        if NUMBER_RE.match(value):
            raise Invalid(
                Msg(
                    "msg.validate.expected_quoted",
                    what=Msg("msg.what.number"),
                    value=quoted(s.value),
                ),
                Msg("msg.hint.remove_quotes"),
            )
        raise _expected("number", quoted(s.value))
    if value.lower() in (".nan", ".inf", "-.inf", "+.inf"):
        raise _expected("number", value, Msg("msg.hint.no_nan"))
    if not NUMBER_RE.match(value):
        raise _expected("number", s.value.strip())
    digits = value.lstrip("+-")
    if len(digits) > 1 and digits.startswith("0") and digits[1].isdigit():
        raise _expected("number", value, Msg("msg.hint.leading_zero", fixed=f"{float(digits):g}"))
    shown: str | Said = value
    if len(value) > 30:  # a 5000-digit number is quoted by its start and its length
        shown = Said(
            f"{value[:20]}…（共{len(value)}个字符）", f"{value[:20]}… ({len(value)} characters)"
        )
    number = float(value)
    if not math.isfinite(number) or number >= MAX_MONEY:
        raise Invalid(Msg("msg.limit.number", value=shown, most=MAX_MONEY))
    if number < 0:
        raise Invalid(Msg("msg.validate.negative", value=value))
    return number


def parse_money(node: Node) -> float:
    """An amount in 万元: a number, finite and below 10^9 万元 (no county project comes near)."""
    try:
        return parse_number(node)
    except Invalid as exc:
        if isinstance(exc.message, Msg) and exc.message.key == "msg.limit.number":
            value = dict(exc.message.params)["value"]
            raise Invalid(
                Msg("msg.limit.money", value=value), Msg("msg.limit.money_hint")
            ) from None
        raise


def parse_percent(node: Node) -> int:
    value = parse_int(node, "percent")
    if not 0 <= value <= 100:
        raise _expected("percent", value)
    return value


YES_NO = ("是", "否", "对", "错", "有", "无", *YAML11_BOOLS, "true", "false")


def parse_date(node: Node) -> date:
    s = _scalar(node, "date")
    value = s.value.strip()
    found = spelled_date(value)
    if found is not None:
        return found
    if value.lower() in YES_NO:
        raise _expected("date", value, Msg("msg.hint.yes_no_date"))
    if spelled_month(value) is not None:
        raise _expected("date", value, Msg("msg.hint.date_needs_day"))
    raise _expected("date", value, Msg("msg.hint.date_spellings"))


def parse_month(node: Node) -> Month:
    s = _scalar(node, "month")
    value = s.value.strip()
    found = spelled_month(value)
    if found is None:
        raise _expected("month", value)
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise Invalid(Msg("msg.limit.year", value=value, low=YEARS[0], high=YEARS[1]))
    return found


def parse_done(node: Node) -> date | bool:
    s = _scalar(node, "done")
    value = s.value.strip()
    if s.plain and value in ("true", "false"):
        return value == "true"
    if value in ("是", "已完成", "完成"):
        return True
    if value in ("否", "未完成"):
        return False
    if s.plain and value.lower() in (*YAML11_BOOLS, "true", "false"):
        raise _expected("done", value, Msg("msg.hint.yaml11_bool"))
    if spelled_date(value) is not None:
        return parse_date(node)
    raise _expected("done", value)


def shown_value(value: str) -> str:
    """A value as a message quotes it: as typed (北区污水, never \\u5317\\u533a), except the
    characters a reader cannot see or tell apart (U+202E, zero-width, combining marks), which
    are shown as escapes so that the message says what is really there."""
    return "".join(
        ch.encode("ascii", "backslashreplace").decode()
        if INVISIBLE.match(ch)
        or unicodedata.combining(ch)
        or unicodedata.category(ch) in ("Cf", "Cc")
        else ch
        for ch in value
    )


def parse_bool(node: Node) -> bool:
    """true or false (是 or 否; True and TRUE as YAML 1.2 and a workbook cell write them); YAML
    1.1's yes/no/on/off are refused as everywhere."""
    s = _scalar(node, "bool")
    value = s.value.strip()
    if s.plain and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if value in ("是", "否"):
        return value == "是"
    if s.plain and value.lower() in (*YAML11_BOOLS, "true", "false"):
        raise _expected("bool", value, Msg("msg.hint.yaml11_bool"))
    raise _expected("bool", value)


def parse_id(node: Node) -> str:
    """A project's id; one written with capitals (Beiqu-Wushui) is the same id in lower case
    (the register's check says so once, at the project's `id:`)."""
    s = _scalar(node, "id")
    value = s.value.strip()
    if not ID_RE.match(value) and ID_RE.match(value.lower()):
        value = value.lower()
    if not ID_RE.match(value):
        raise _expected("id", shown_value(value), Msg("msg.hint.id_ascii"))
    return value


def parse_url(node: Node) -> str:
    text = parse_text(node)
    if not re.match(r"https?://[^\s/]+", text):
        raise _expected("url", text)
    return text


def parse_email(node: Node) -> str:
    text = parse_text(node)
    if not re.match(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+\Z", text):
        raise _expected("email", text)
    return text


def parse_code(node: Node) -> str:
    """A 项目统一代码 (issue 24): its form is checked by board/disclosure.py."""
    from .disclosure import parse_code as parse  # disclosure imports this module

    return parse(node)


def parse_language(node: Node) -> str:
    text = parse_text(node)
    if text not in LANGUAGES:
        raise _expected("language", text)
    return text


PARSERS: dict[str, Callable[[Node], Any]] = {
    "text": parse_text,
    "int": parse_int,
    "number": parse_number,
    "money": parse_money,
    "percent": parse_percent,
    "date": parse_date,
    "month": parse_month,
    "done": parse_done,
    "bool": parse_bool,
    "id": parse_id,
    "url": parse_url,
    "email": parse_email,
    "language": parse_language,
    "code": parse_code,
}


# -- mappings --------------------------------------------------------------------------------


class Checker:
    """Collects problems while reading mappings against their field lists."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, pos: Pos, field: str, message: Msg | str, hint: Msg | str = "") -> None:
        self.problems.append(Problem(pos, field, message, hint))

    def warn(self, pos: Pos, field: str, message: Msg | str, hint: Msg | str = "") -> None:
        self.problems.append(Problem(pos, field, message, hint, Severity.WARNING))

    def read(
        self, node: Node | None, fields: dict[str, Field], prefix: str = "", what: str = "mapping"
    ) -> tuple[dict[str, Any], dict[str, Pos], Mapping | None]:
        """Values of the known fields that parsed, their positions, and the mapping itself."""
        values: dict[str, Any] = {}
        positions: dict[str, Pos] = {}
        if not isinstance(node, Mapping):
            if node is not None:
                self.error(
                    node.pos,
                    prefix.rstrip("."),
                    Msg(
                        "msg.validate.expected_lines",
                        what=Msg(f"msg.what.{what}"),
                        value=_describe(node),
                    ),
                )
            return values, positions, None
        slipped: set[str] = set()  # fields typed with a slip: said once, not also as missing
        for key, value in node.items:
            spec = fields.get(key.value)
            if spec is None:
                name = self._unknown_key(key, fields, prefix)
                if name:
                    slipped.add(name)
                continue
            positions[spec.name] = value.pos
            positions[f"{spec.name}:key"] = key.pos
            if spec.kind in ("mapping", "list", "raw", "node"):
                values[spec.name] = value
                continue
            try:
                values[spec.name] = bounded(PARSERS[spec.kind](value), spec.limit)
            except Invalid as exc:
                hint = exc.hint
                if spec.required and _is_empty(exc):  # removing the line is no way out
                    hint = Msg("msg.hint.fill_in")
                message = exc.message
                if spec.limit and _is_too_long(exc):  # the field's own limit, not the file's
                    message, hint = _too_long(len(_text_of(value)), spec.limit)
                self.error(value.pos, spec.title(prefix), message, hint)
                values[spec.name] = Invalid
                continue
            if spec.kind == "text" and isinstance(value, Scalar) and _chinese_quoted(value.value):
                self.warn(
                    value.pos,
                    spec.title(prefix),
                    Msg("msg.slip.chinese_quotes"),
                    Msg("msg.slip.fix_chinese_quotes"),
                )
        for spec in fields.values():
            if spec.required and spec.name in slipped and spec.name not in positions:
                values[spec.name] = Invalid
            elif spec.required and spec.name not in positions:
                self.error(
                    node.pos,
                    spec.title(prefix),
                    Msg("msg.validate.required", what=_expectation(spec)),
                )
                values[spec.name] = Invalid
        return values, positions, node

    def _unknown_key(self, key: Scalar, fields: dict[str, Field], prefix: str) -> str:
        """An unknown key, with the likely slip: a fullwidth colon, or a near spelling. Returns
        the field a slip hides (a fullwidth space or colon in its key), else ""."""
        if key.value.startswith(("\u3000", "\t")):
            self.error(
                key.pos,
                f"{prefix}{key.value.strip()}",
                Msg("msg.slip.fullwidth_space"),
                Msg("msg.slip.fix_space"),
            )
            name = key.value.strip(" \t\u3000").partition("：")[0].strip()
            return name if name in fields else ""
        name, colon, rest = key.value.partition("：")
        if colon and name.strip() in fields:
            self.error(
                key.pos,
                f"{prefix}{key.value}",
                Msg("msg.slip.fullwidth_colon_key", word=name.strip(), value=rest.strip()),
                Msg("msg.slip.fix_colon"),
            )
            return name.strip()
        close = difflib.get_close_matches(key.value, list(fields), n=1, cutoff=0.6)
        hint = (
            Msg("msg.hint.did_you_mean", name=_head(fields[close[0]].title(prefix)))
            if close
            else Msg("msg.hint.one_of", names=", ".join(fields))
        )
        self.error(key.pos, f"{prefix}{key.value}", Msg("msg.validate.unknown_key"), hint)
        return ""

    def ok(self, values: dict[str, Any], *names: str) -> bool:
        return all(values.get(n) is not Invalid for n in names)


def _is_empty(exc: Invalid) -> bool:
    return isinstance(exc.message, Msg) and exc.message.key == "msg.validate.expected_empty"


def _is_too_long(exc: Invalid) -> bool:
    return isinstance(exc.message, Msg) and exc.message.key == "msg.validate.too_long"


def _text_of(node: Node) -> str:
    return unicodedata.normalize("NFC", node.value.strip()) if isinstance(node, Scalar) else ""


def _too_long(length: int, limit: int) -> tuple[Msg, Msg]:
    return Msg("msg.validate.too_long", limit=limit, length=length), Msg("msg.limit.text_hint")


def bounded(value: Any, limit: int) -> Any:
    """A text value within its field's limit (the most characters every output shows in
    full: the lobby screen's cards, the wall panel, the A4 sheet; docs/content-format.md)."""
    if limit and isinstance(value, str) and len(value) > limit:
        raise Invalid(*_too_long(len(value), limit))
    return value


def _head(title: str) -> Said:
    """A field's title as a message names it in either language (see i18n.field_head)."""
    return Said(field_head(title, "zh-CN"), title)


def _expectation(spec: Field) -> Msg:
    kind = spec.kind if spec.kind in ("text", "id", "date", "month", "percent", "mapping") else ""
    return Msg(f"msg.expect.{kind or 'value'}")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not Invalid}


# -- the board, projects and reports ----------------------------------------------------------


def _parse_panel_size(text: str) -> tuple[float, float]:
    """Width and height in mm; each side from A4's (210 by 297 mm) to 10 m, the unit written."""
    if text.upper() in PANEL_SIZES:
        w, h = PANEL_SIZES[text.upper()]
        return float(w), float(h)
    m = re.match(r"(\d{1,9}(?:\.\d{1,6})?)\s*mm\s+(\d{1,9}(?:\.\d{1,6})?)\s*mm\Z", text)
    if not m:
        raise _expected("panel_size", text)
    width, height = float(m.group(1)), float(m.group(2))
    short, long = sorted((width, height))
    if short < PANEL_MIN_MM[0] or long < PANEL_MIN_MM[1] or long > PANEL_MAX_MM:
        raise Invalid(Msg("msg.limit.panel_size", value=text), Msg("msg.limit.panel_size_hint"))
    return width, height


def _board(
    doc_root: Node | None, shown: str, c: Checker, root: Path | None = None
) -> BoardConfig | None:
    values, positions, node = c.read(doc_root, BOARD_FIELDS, what="board")
    if node is None:
        return None
    thresholds = Thresholds()
    if "thresholds" in values:
        tv, tp, _ = c.read(values["thresholds"], THRESHOLD_FIELDS, "thresholds.")
        tv = _clean(tv)
        if "major_deadline_days" in tv and not 1 <= tv["major_deadline_days"] <= 3650:
            c.error(
                tp["major_deadline_days"],
                THRESHOLD_FIELDS["major_deadline_days"].title("thresholds."),
                Msg("msg.validate.range", low=1, high=3650, value=tv.pop("major_deadline_days")),
            )
        thresholds = Thresholds(**tv)
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
                    Msg("msg.validate.range", low=low, high=high, value=sv[key]),
                )
                del sv[key]
        if "night" in sv and not re.match(
            r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d\Z", sv["night"]
        ):
            c.error(
                sp["night"],
                SCREEN_FIELDS["night"].title("screen."),
                Msg("msg.validate.night", value=sv["night"]),
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
                c.error(pp["size"], PANEL_FIELDS["size"].title("panel."), exc.message, exc.hint)
        if "orientation" in pv:
            if pv["orientation"] in ("landscape", "portrait"):
                kwargs["orientation"] = pv["orientation"]
            else:
                c.error(
                    pp["orientation"],
                    PANEL_FIELDS["orientation"].title("panel."),
                    Msg("msg.validate.orientation", value=pv["orientation"]),
                )
        if "bleed" in pv:
            m = re.match(r"(\d+(?:\.\d+)?)\s*mm\Z", pv["bleed"])
            if m and float(m.group(1)) <= 20:
                kwargs["bleed_mm"] = float(m.group(1))
            else:
                c.error(
                    pp["bleed"],
                    PANEL_FIELDS["bleed"].title("panel."),
                    Msg("msg.validate.bleed", value=pv["bleed"]),
                )
        if "min_font_pt" in pv:
            if 4 <= pv["min_font_pt"] <= 200:
                kwargs["min_font_pt"] = pv["min_font_pt"]
            else:
                c.error(
                    pp["min_font_pt"],
                    PANEL_FIELDS["min_font_pt"].title("panel."),
                    Msg("msg.validate.range", low=4, high=200, value=f"{pv['min_font_pt']:g}"),
                )
        if "map" in pv:
            kwargs["map"] = pv["map"]
        if "max_panels" in pv:
            if pv["max_panels"] >= 1:
                kwargs["max_panels"] = pv["max_panels"]
            else:
                c.error(
                    pp["max_panels"],
                    PANEL_FIELDS["max_panels"].title("panel."),
                    Msg("msg.validate.at_least_one", value=pv["max_panels"]),
                )
        panel = PanelSettings(**kwargs)
    bulletin = _bulletin(values["bulletin"], c) if "bulletin" in values else BulletinSettings()
    labels = _labels(values["labels"], c) if "labels" in values else {}
    reporting = _reporting(values["reporting"], c) if "reporting" in values else ReportingSettings()
    open_data = _open_data(values["open_data"], c) if "open_data" in values else OpenDataSettings()
    county_map = None
    if "map" in values:  # the county's map (issue 26)
        from .places import read_map

        county_map = read_map(values["map"], root or Path("."), c)
        if county_map is None:
            return None
    elif panel.map:
        c.warn(
            positions.get("panel", Pos(shown)),
            "panel.map (地图插图)",
            Msg("msg.map.panel_without_map"),
            Msg("msg.map.panel_without_map_hint"),
        )
    if not c.ok(values, "title", "issuer", "hotline"):
        return None
    nested = (
        "thresholds",
        "screen",
        "panel",
        "bulletin",
        "labels",
        "reporting",
        "open_data",
        "map",
    )
    plain = {k: v for k, v in _clean(values).items() if k not in nested}
    return BoardConfig(
        **plain,
        thresholds=thresholds,
        screen=screen,
        panel=panel,
        bulletin=bulletin,
        labels=MappingProxyType(labels),
        reporting=reporting,
        open_data=open_data,
        map=county_map,
        source=Pos(shown),
        positions=MappingProxyType(positions),
    )


def number_pattern_problem(pattern: str) -> str | None:
    """The first placeholder of a 发文字号 pattern that is not exactly {year}, {month} or {n}
    (`{}`, `{0}`, `{n:s}`, `{n:>100000000}`, `{n!r}`, `{n.real}`, a lone brace), or None.

    str.format would do what any of these asks, from a traceback to a padding of a hundred
    million characters; the pattern may only name the three values (`{{` and `}}` are braces)."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:  # a brace without its pair
        return "}" if "Single '}'" in str(exc) else "{"
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NUMBER_FIELDS or spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return "{" + shown[:20] + ("…" if len(shown) > 20 else "") + "}"
    return None


def _bulletin(node: Node, c: Checker) -> BulletinSettings:
    """bulletin: in board.yaml: the 发文字号 pattern, the offices named, the fonts per role."""
    bv, bp, _ = c.read(node, BULLETIN_FIELDS, "bulletin.")
    bv = _clean(bv)
    if "number" in bv:
        wrong = number_pattern_problem(bv["number"])
        if wrong is not None:
            c.error(
                bp["number"],
                BULLETIN_FIELDS["number"].title("bulletin."),
                Msg("msg.bulletin.number_placeholder", found=wrong, value=bv.pop("number")),
                Msg("msg.bulletin.number_hint"),
            )
    if "first_number" in bv and not 1 <= bv["first_number"] <= 9999:
        c.error(
            bp["first_number"],
            BULLETIN_FIELDS["first_number"].title("bulletin."),
            Msg("msg.bulletin.first_number", value=bv.pop("first_number")),
        )
    for key in ("title_font", "body_font", "hei_font", "kai_font"):
        if key in bv and not bv[key].strip(" ,\"'"):
            c.error(
                bp[key],
                BULLETIN_FIELDS[key].title("bulletin."),
                Msg("msg.bulletin.no_font"),
            )
            del bv[key]
    return BulletinSettings(**bv)


def _labels(node: Node, c: Checker) -> dict[str, str]:
    """labels: in board.yaml: the register's own wording of labels its outputs show, by catalog
    id (`status.behind: 进度落后`). An id must be a label of the catalog (not a message the tool
    prints), and the wording must keep the catalog's placeholders ({month}, {n}, …)."""
    if not isinstance(node, Mapping):
        c.error(
            node.pos,
            "labels (标签)",
            Msg("msg.validate.expected_lines", what=Msg("msg.what.mapping"), value=_describe(node)),
        )
        return {}
    known = sorted(k for k in catalog_ids() if not k.startswith("msg."))
    found: dict[str, str] = {}
    for key, value in node.items:
        field = f"labels.{key.value}"
        if key.value not in known:
            close = difflib.get_close_matches(key.value, known, n=1, cutoff=0.6)
            c.error(
                key.pos,
                field,
                Msg("msg.labels.unknown", id=quoted(key.value)),
                Msg("msg.hint.did_you_mean", name=close[0])
                if close
                else Msg("msg.labels.unknown_hint"),
            )
            continue
        try:
            text = parse_text(value)
        except Invalid as exc:
            c.error(value.pos, field, exc.message, exc.hint)
            continue
        expected = set().union(*(placeholders(words) for words in MESSAGES[key.value]))
        try:
            given = placeholders(text)
        except ValueError:
            given = None
        if (
            given is None
            or not given <= expected
            or (
                # a date may be written with its month's number or name, anything else as it was
                not key.value.startswith("format.") and given != expected
            )
        ):
            c.error(
                value.pos,
                field,
                Msg(
                    "msg.labels.placeholders",
                    expected="、".join(f"{{{n}}}" for n in sorted(expected)) or "—",
                    given="、".join(f"{{{n}}}" for n in sorted(given or ())) or "—",
                ),
                Msg("msg.labels.placeholders_hint", text=label(key.value)),
            )
            continue
        found[key.value] = text
    return found


def _reporting(node: Node, c: Checker) -> ReportingSettings:
    """reporting: in board.yaml: when the units' reports are due (issue 23)."""
    rv, rp, _ = c.read(node, REPORTING_FIELDS, "reporting.")
    rv = _clean(rv)
    due_day = rv.get("due_day")
    if due_day is not None and not 1 <= due_day <= 31:
        c.error(
            rp["due_day"],
            REPORTING_FIELDS["due_day"].title("reporting."),
            Msg("msg.validate.range", low=1, high=31, value=due_day),
        )
        due_day = None
    dates: list[tuple[Month, date]] = []
    given = rv.get("due_dates")
    if isinstance(given, Mapping):
        for key, value in given.items:
            title = f"reporting.due_dates.{key.value}"
            try:
                month, day = parse_month(key), parse_date(value)
            except Invalid as exc:
                c.error(value.pos, title, exc.message, exc.hint)
                continue
            if day <= month.first_day:
                c.error(
                    value.pos,
                    title,
                    Msg("msg.reporting.due_early", day=day.isoformat(), month=str(month)),
                )
                continue
            dates.append((month, day))
    elif given is not None:
        c.error(
            given.pos,
            REPORTING_FIELDS["due_dates"].title("reporting."),
            Msg(
                "msg.validate.expected_lines", what=Msg("msg.what.mapping"), value=_describe(given)
            ),
        )
    return ReportingSettings(due_day=due_day, due_dates=tuple(sorted(dates)))


def _open_data(node: Node, c: Checker) -> OpenDataSettings:
    """open_data: in board.yaml: the OC4IDS prefix, the licence of the data, the area covered."""
    ov, op, _ = c.read(node, OPEN_DATA_FIELDS, "open_data.")
    ov = _clean(ov)
    if "oc4ids_prefix" in ov:
        prefix = ov.pop("oc4ids_prefix").strip()
        if OC4IDS_PREFIX_RE.match(prefix):
            ov["oc4ids_prefix"] = prefix if prefix.endswith("-") else prefix + "-"
        else:
            c.error(
                op["oc4ids_prefix"],
                OPEN_DATA_FIELDS["oc4ids_prefix"].title("open_data."),
                Msg("msg.opendata.prefix_form", value=prefix),
                Msg("msg.opendata.prefix_form_hint"),
            )
    if "license" in ov:
        name = ov.pop("license").strip()
        known = {key.lower(): key for key in LICENSES}
        if name.lower() in known:
            ov["license"] = known[name.lower()]
        elif re.match(r"https?://[^\s/]+\S*\Z", name):
            ov["license"] = name
        else:
            c.error(
                op["license"],
                OPEN_DATA_FIELDS["license"].title("open_data."),
                Msg("msg.opendata.license_unknown", value=name),
                Msg("msg.opendata.license_hint", names=", ".join(LICENSES)),
            )
    return OpenDataSettings(**ov)


def _milestones(
    node: Node, c: Checker, places: dict[str, Pos] | None = None
) -> tuple[Milestone, ...]:
    """The responsibility list; `places` gets each task's due date's place (`milestones.<task>`)."""
    if not isinstance(node, Sequence):
        c.error(
            node.pos,
            "milestones (责任清单)",
            Msg("msg.validate.milestones_list", value=_describe(node)),
        )
        return ()
    result = []
    for i, item in enumerate(node.items, 1):
        values, positions, m = c.read(item, MILESTONE_FIELDS, f"milestones[{i}].", "task")
        if m is not None and c.ok(values, "task", "owner", "due"):
            result.append(Milestone(**_clean(values)))
            if places is not None:
                places.setdefault(f"milestones.{values['task']}", positions["due"])
    return tuple(result)


def _plan(
    node: Node, c: Checker, places: dict[str, Pos] | None = None
) -> tuple[tuple[Month, int], ...]:
    """The monthly plan; `places` gets each month's value's place (`plan.<YYYY-MM>`)."""
    if not isinstance(node, Mapping):
        c.error(
            node.pos,
            "plan (计划进度)",
            Msg("msg.validate.plan_lines", value=_describe(node)),
        )
        return ()
    plan: dict[Month, int] = {}
    key_pos: dict[Month, Pos] = {}  # a month may be spelled 2020-9 or 2020年9月: one key each
    for key, value in node.items:
        try:
            month = parse_month(key)
        except Invalid:
            c.error(
                key.pos,
                "plan (计划进度)",
                Msg("msg.validate.plan_key", value=key.value.strip()),
                Msg("msg.hint.plan_line"),
            )
            continue
        if month in key_pos:
            c.error(
                key.pos,
                f"plan.{month} (计划进度)",
                Msg("msg.load.duplicate_key", line=key_pos[month].line),
                Msg("msg.hint.keep_one"),
            )
            continue
        key_pos[month] = key.pos
        if places is not None:
            places[f"plan.{month}"] = value.pos
        try:
            plan[month] = parse_percent(value)
        except Invalid as exc:
            c.error(value.pos, f"plan.{month} (计划进度)", exc.message, exc.hint)
    ordered = sorted(plan.items())
    for (m1, p1), (m2, p2) in itertools.pairwise(ordered):
        if p2 < p1:
            c.error(
                key_pos[m2],
                f"plan.{m2} (计划进度)",
                Msg("msg.validate.plan_cumulative", before=p1, month=m1, value=p2),
            )
    return tuple(ordered)


def _annual_investment(node: Node, c: Checker) -> tuple[tuple[int, float], ...]:
    """`annual_investment:` year: 万元 lines (年度计划投资), such as 2020: 5000."""
    field = "annual_investment (年度计划投资)"
    if not isinstance(node, Mapping):
        c.error(node.pos, field, Msg("msg.invest.plan_shape", found=_describe(node)))
        return ()
    found: dict[int, float] = {}
    seen: dict[int, Pos] = {}  # a year may be spelled 2021 or 2021年: one line each
    for key, value in node.items:
        text = key.value.strip()
        year = spelled_year(text)
        if year is None or not 1900 <= year <= 2199:
            c.error(key.pos, field, Msg("msg.invest.plan_year", found=text))
            continue
        if year in found:
            c.error(
                key.pos,
                f"annual_investment.{year} (年度计划投资)",
                Msg("msg.load.duplicate_key", line=seen[year].line),
                Msg("msg.hint.keep_one"),
            )
            continue
        seen[year] = key.pos
        try:
            found[year] = parse_number(value)
        except Invalid as exc:
            c.error(value.pos, f"annual_investment.{year} (年度计划投资)", exc.message, exc.hint)
    return tuple(sorted(found.items()))


def _caption_length(caption: str, pos: Pos, pid: str, i: int, c: Checker) -> None:
    """A caption longer than the A4 sheet shows is a warning (the sheet cuts it)."""
    if len(caption) > CAPTION_SHOWN:
        c.warn(
            pos,
            PHOTO_FIELDS["caption"].title(f"projects.{pid}.photos[{i}]."),
            Msg("msg.photo.caption_long", length=len(caption), shown=CAPTION_SHOWN),
            Msg("msg.photo.caption_long_hint"),
        )


def _photos(node: Node, pid: str, c: Checker) -> tuple[Photo, ...]:
    """`photos:` a list of paths under photos/ (each optionally followed by a space and its
    caption), or of {file: PATH, caption: 说明} mappings.

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
            name, caption = values["file"], values.get("caption", "")
            caption_pos = positions.get("caption")
            if not caption:  # file: photos/a.jpg　厂区全景
                name, caption = split_caption(name)
                caption_pos = positions.get("file", item.pos)
            _caption_length(caption, caption_pos or item.pos, pid, i, c)
            result.append(
                Photo(name, caption, positions.get("file", item.pos), caption_pos=caption_pos)
            )
            continue
        try:
            # a file name, and its caption after an ASCII or fullwidth space (as in the workbook)
            name, caption = split_caption(bounded(parse_text(item), PHOTO_FIELDS["file"].limit))
            _caption_length(caption, item.pos, pid, i, c)
            result.append(Photo(name, caption, item.pos, caption_pos=item.pos if caption else None))
        except Invalid as exc:
            c.error(item.pos, f"projects.{pid}.photos[{i}]", exc.message, exc.hint)
    return tuple(result)


def _value_of(node: Mapping, key: str) -> Node | None:
    """The value of `key` in a mapping as written, or None."""
    return next((value for k, value in node.items if k.value == key), None)


# -- commitments and their change log (issue 22) ------------------------------------------------
#
# A change log entry names the commitment it moves by its key in the project file (`deadline`,
# `plan.2020-09`, `milestones.<task>`), or by the label the office reads (完成时限, 计划进度.2020-09,
# 责任清单.<任务>); `from` and `to` are read as that commitment is read. An optional commitment
# may be absent before or after (`from: 无`, or YAML's `~`).

KEY_ALIASES = {
    **{key: key for key in COMMITMENT_KEYS},
    "项目名称": "name",
    "分包县领导": "leader",
    "分包单位": "unit",
    "完成时限": "deadline",
    "总投资": "investment",
}
FAMILY_ALIASES = {
    **{family: family for family in COMMITMENT_FAMILIES},
    "年度计划投资": "annual_investment",
    "计划进度": "plan",
    "责任清单": "milestones",
    "任务": "milestones",
}
OPTIONAL_COMMITMENTS = ("investment", *COMMITMENT_FAMILIES)
NONE_WORDS = ("无", "（无）")


def commitment_key(text: str) -> str:
    """The key of the commitment a change names: `deadline`, `plan.2020-09`, `milestones.<task>`.

    Raises Invalid for anything that is not a commitment (the hint lists them)."""
    text = unicodedata.normalize("NFC", text.strip())
    if text in KEY_ALIASES:
        return KEY_ALIASES[text]
    family, _, part = text.replace("．", ".").partition(".")
    family, part = family.strip(), part.strip()
    found = FAMILY_ALIASES.get(family)
    if found is None or not part:
        raise Invalid(Msg("msg.change.field_unknown", value=quoted(text)), Msg("msg.change.fields"))
    if found == "annual_investment":
        year = narrow(part)
        if not re.fullmatch(r"(19|20|21)\d\d", year):
            raise Invalid(Msg("msg.change.field_year", value=quoted(part)))
        return f"{found}.{year}"
    if found == "plan":
        month = spelled_month(part)
        if month is None:
            raise Invalid(Msg("msg.change.field_month", value=quoted(part)))
        return f"{found}.{month}"
    return f"{found}.{part}"


def commitment_value(key: str, node: Node) -> Value:
    """A change's `from` or `to`, read as the commitment `key` is read in the project file."""
    family = key.split(".", 1)[0]
    if isinstance(node, Scalar) and (
        (node.plain and node.value in NULLS) or node.value.strip() in NONE_WORDS
    ):
        if family in OPTIONAL_COMMITMENTS:
            return None
        raise Invalid(Msg("msg.change.value_required"), Msg("msg.hint.fill_in"))
    if family in ("name", "leader", "unit"):
        return parse_text(node)
    if family in ("deadline", "milestones"):
        return parse_date(node)
    if family == "investment":
        return parse_money(node)
    if family == "annual_investment":
        return parse_number(node)
    return parse_percent(node)


def _changes(node: Node, c: Checker) -> tuple[Change, ...]:
    """`changes:` a list of {date, field, from, to, reason, approved_by}, oldest first."""
    if not isinstance(node, Sequence):
        c.error(node.pos, "changes (调整记录)", Msg("msg.change.shape", found=_describe(node)))
        return ()
    result = []
    for i, item in enumerate(node.items, 1):
        prefix = f"changes[{i}]."
        values, positions, m = c.read(item, CHANGE_FIELDS, prefix, "change")
        if m is None:
            continue
        key: str | None = None
        if c.ok(values, "field") and "field" in values:
            try:
                key = commitment_key(values["field"])
            except Invalid as exc:
                c.error(
                    positions["field"], CHANGE_FIELDS["field"].title(prefix), exc.message, exc.hint
                )
        parsed: dict[str, Any] = {}
        for name in ("from", "to"):
            if key is None or name not in values:
                continue
            try:
                parsed[name] = commitment_value(key, values[name])
            except Invalid as exc:
                c.error(positions[name], CHANGE_FIELDS[name].title(prefix), exc.message, exc.hint)
        if key is None or len(parsed) < 2 or not c.ok(values, "date", "reason", "approved_by"):
            continue
        result.append(
            Change(
                date=values["date"],
                key=key,
                before=parsed["from"],
                after=parsed["to"],
                reason=values["reason"],
                approved_by=values.get("approved_by", ""),
                pos=m.pos,
                positions=MappingProxyType(positions),
                index=i,
            )
        )
    return tuple(sorted(result, key=lambda change: change.date))


def _decision(node: Node, name: str, c: Checker) -> Decision | None:
    """`added:` or `withdrawn:`: a date, or {date, reason, approved_by}. A withdrawal (调出)
    needs all three: a project leaves the public board only on a recorded decision."""
    label = "新增" if name == "added" else "调出"
    if isinstance(node, Scalar):
        try:
            day = parse_date(node)
        except Invalid as exc:
            c.error(node.pos, f"{name} ({label})", exc.message, exc.hint)
            return None
        decision = Decision(day, pos=node.pos)
    else:
        values, _, m = c.read(node, DECISION_FIELDS, f"{name}.", "decision")
        if m is None or not c.ok(values, *DECISION_FIELDS):
            return None
        decision = Decision(
            values["date"], values.get("reason", ""), values.get("approved_by", ""), m.pos
        )
    if name == "withdrawn":
        for key in ("reason", "approved_by"):
            if not getattr(decision, key):
                c.error(
                    decision.pos,
                    DECISION_FIELDS[key].title("withdrawn."),
                    Msg("msg.change.withdrawn_needs", what=Msg(f"msg.change.what_{key}")),
                    Msg("msg.change.withdrawn_hint"),
                )
    return decision


def _change_title(change: Change, name: str) -> str:
    return CHANGE_FIELDS[name].title(f"changes[{change.index}].")


def _change_log_problems(project: Project, thresholds: Thresholds, c: Checker) -> None:
    """Each commitment's changes follow on from one another and end at the file's value; a
    重大调整 names its 批准依据."""
    chains: dict[str, list[Change]] = {}
    for change in project.changes:
        chains.setdefault(change.key, []).append(change)
    for key, chain in chains.items():
        for i, change in enumerate(chain):
            where = change.positions
            if change.before == change.after:
                c.error(
                    where.get("to", change.pos),
                    _change_title(change, "to"),
                    Msg("msg.change.same", value=_value_text(change.after)),
                )
                continue
            if i and change.before != chain[i - 1].after:
                before = chain[i - 1]
                c.error(
                    where.get("from", change.pos),
                    _change_title(change, "from"),
                    Msg(
                        "msg.change.broken_chain",
                        value=_value_text(change.before),
                        date=before.date,
                        to=_value_text(before.after),
                    ),
                    Msg("msg.change.broken_chain_hint", to=_value_text(before.after)),
                )
            major = major_reason(change, thresholds)
            if major is not None and not change.approved_by:
                c.error(
                    change.pos,
                    _change_title(change, "approved_by"),
                    Msg("msg.change.major_needs_approval", why=major),
                    Msg("msg.change.major_hint"),
                )
        last = chain[-1]
        now = project.value(key)
        if last.after != now:  # the file moved on after its last recorded change
            c.error(
                commitment_place(project, key),
                commitment_field(key),
                Msg(
                    "msg.change.not_current",
                    what=key_message(key),
                    now=value_message(key, now),
                    n=last.index,
                    date=last.date,
                    value=value_message(key, last.after),
                ),
                Msg(
                    "msg.commit.changed_hint",
                    yaml=Said(
                        change_yaml(key, last.after, now, "决定日期", "调整原因", "批准依据"),
                        change_yaml(key, last.after, now, "YYYY-MM-DD", "why", "decided by"),
                    ),
                ),
            )


def _value_text(value: Value) -> Said | str:
    """A commitment's value as a message quotes it (无 for none)."""
    if value is None:
        return Said("无", "none")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _off_board_entries(report: Report, by_id: dict[str, Project], cutoff: date, c: Checker) -> None:
    """A report's entry for a project not on that month's board (added later, or withdrawn)."""
    for pid in report.entries:
        project = by_id.get(pid)
        if project is None or project.on_board(cutoff):
            continue
        pos = report.positions.get(f"projects.{pid}", report.source)
        if project.withdrawn is not None and cutoff >= project.withdrawn.date:
            message = Msg(
                "msg.change.entry_withdrawn",
                id=pid,
                date=project.withdrawn.date,
                month=report.month,
            )
        else:
            assert project.added is not None
            message = Msg(
                "msg.change.entry_before_added", id=pid, date=project.added.date, month=report.month
            )
        c.error(pos, f"projects.{pid}", message, Msg("msg.change.entry_hint"))


def _project(doc_root: Node | None, path: Path, shown: str, c: Checker) -> Project | None:
    values, positions, node = c.read(doc_root, PROJECT_FIELDS, what="project")
    if node is None:
        return None
    milestones = (
        _milestones(values.pop("milestones"), c, positions) if "milestones" in values else ()
    )
    if "disclosure" in values:  # issue 24
        from .disclosure import read_disclosure

        values["disclosure"] = read_disclosure(values["disclosure"], c)
    plan = _plan(values.pop("plan"), c, positions) if "plan" in values else ()
    changes = _changes(values.pop("changes"), c) if "changes" in values else ()
    added = _decision(values.pop("added"), "added", c) if "added" in values else None
    withdrawn = (
        _decision(values.pop("withdrawn"), "withdrawn", c) if "withdrawn" in values else None
    )
    if added is not None and withdrawn is not None and withdrawn.date <= added.date:
        c.error(
            withdrawn.pos,
            "withdrawn.date (调出日期)",
            Msg("msg.change.withdrawn_before_added", added=added.date, value=withdrawn.date),
        )
    annual: tuple[tuple[int, float], ...] = ()
    if "annual_investment" in values:
        node_annual = values.pop("annual_investment")
        annual = _annual_investment(node_annual, c)
        if isinstance(node_annual, Mapping):  # each year's own place, for the warnings
            for key, _ in node_annual.items:
                year = spelled_year(key.value.strip())
                if year is not None:
                    positions.setdefault(f"annual_investment.{year}", key.pos)
    geometry = None
    if "location" in values:  # a place name, or a mapping with coordinates (issue 26)
        from .places import read_location

        values["location"], geometry = read_location(
            values.pop("location"), path.parent.parent, positions, c
        )
    written = _value_of(node, "id")
    if c.ok(values, "id") and isinstance(written, Scalar) and written.value.strip() != values["id"]:
        c.warn(
            positions["id"],
            "id (编号)",
            Msg("msg.id.capitals", written=written.value.strip(), id=values["id"]),
            Msg("msg.id.capitals_hint", id=values["id"]),
        )
    if c.ok(values, "id") and values["id"] != path.stem.lower():
        c.error(
            positions["id"],
            "id (编号)",
            Msg("msg.validate.id_stem", stem=quoted(path.stem), value=quoted(values["id"])),
            Msg("msg.hint.id_stem", value=values["id"]),
        )
        values["id"] = Invalid
    if c.ok(values, "start", "deadline") and values["deadline"] < values["start"]:
        c.error(
            positions["deadline"],
            "deadline (完成时限)",
            Msg(
                "msg.validate.deadline_before_start",
                start=values["start"],
                value=values["deadline"],
            ),
        )
        values["deadline"] = Invalid
    if c.ok(values, "summary") and "summary" in values:
        for message in image_problems(values["summary"], path.parent.parent):
            c.error(
                positions["summary"],
                "summary (项目简介)",
                message,
                Msg("msg.hint.image"),
            )
    if not c.ok(values, *(f.name for f in PROJECT_FIELDS.values())):
        return None
    return Project(
        **_clean(values),
        milestones=milestones,
        plan=plan,
        annual_investment=annual,
        changes=changes,
        added=added,
        withdrawn=withdrawn,
        geometry=geometry,
        source=Pos(shown, 1, 1),
        positions=MappingProxyType(positions),
    )


def _report(
    doc_root: Node | None,
    path: Path,
    shown: str,
    project_ids: set[str],
    c: Checker,
    memo: InfoMemo | None = None,
) -> Report | None:
    values, positions, node = c.read(doc_root, REPORT_FIELDS, what="report")
    if node is None:
        return None
    if c.ok(values, "month") and "month" in values and str(values["month"]) != path.stem:
        c.error(
            positions["month"],
            "month (月份)",
            Msg("msg.validate.month_stem", stem=path.stem, value=values["month"]),
            Msg("msg.hint.month_stem", value=values["month"]),
        )
        values["month"] = Invalid
    entries: dict[str, Entry] = {}
    entry_positions: dict[str, Pos] = {}
    not_reported: set[str] = set()
    capitals: list[Scalar] = []  # ids written with capitals, said once for the file
    projects = values.get("projects")
    if isinstance(projects, Mapping):
        for key, item in projects.items:
            pid = key.value
            if pid not in project_ids and pid.lower() in project_ids:
                capitals.append(key)
                pid = pid.lower()
            if pid in entry_positions:  # a and A: one project named twice
                c.error(
                    key.pos,
                    f"projects.{pid}",
                    Msg("msg.load.duplicate_key", line=entry_positions[pid].line),
                    Msg("msg.hint.keep_one"),
                )
                continue
            if pid not in project_ids:
                close = difflib.get_close_matches(pid, sorted(project_ids), n=1, cutoff=0.6)
                c.error(
                    key.pos,
                    f"projects.{pid}",
                    Msg("msg.validate.unknown_project", id=pid),
                    Msg("msg.hint.did_you_mean", name=close[0])
                    if close
                    else Msg("msg.hint.add_project"),
                )
                continue
            if _not_reported(item, pid, c):
                entry_positions[pid] = key.pos
                not_reported.add(pid)
                continue
            ev, ep, m = c.read(item, ENTRY_READ, f"projects.{pid}.", "entry")
            if m is None:
                continue
            entry_positions[pid] = key.pos
            ev.pop("reported", None)  # reported: true (or a slip in it, already an error)
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
            Msg("msg.validate.projects_mapping", value=_describe(projects)),
        )
    if capitals:
        c.warn(
            capitals[0].pos,
            "projects (项目)",
            Msg(
                "msg.id.capitals_report",
                n=len(capitals),
                ids=", ".join(k.value for k in capitals[:3]) + ("…" if len(capitals) > 3 else ""),
            ),
            Msg("msg.id.capitals_report_hint"),
        )
    withdrawn = _withdrawn(values["withdrawn"], c) if "withdrawn" in values else None
    if not c.ok(values, "month", "projects", "published") or withdrawn is Invalid:
        return None
    if withdrawn is not None and withdrawn.day < values["month"].first_day:
        c.error(
            positions["withdrawn"],
            "withdrawn.date (撤回日期)",
            Msg("msg.published.withdrawn_early", day=str(withdrawn.day), month=values["month"]),
        )
        return None
    published = values.get("published")
    if published is not None and published < values["month"].first_day:
        c.error(
            positions["published"],
            REPORT_FIELDS["published"].title(),
            Msg("msg.bulletin.published_early", day=str(published), month=str(values["month"])),
        )
        return None
    return Report(
        month=values["month"],
        published=published,
        withdrawn=withdrawn,
        entries=MappingProxyType(entries),
        source=Pos(shown, 1, 1),
        positions=MappingProxyType(
            {**positions, **{f"projects.{k}": v for k, v in entry_positions.items()}}
        ),
        not_reported=frozenset(not_reported),
    )


def _not_reported(item: Node, pid: str, c: Checker) -> bool:
    """Whether the project's lines say `reported: false` (未报送). Its figures that `new-month`
    wrote (percent, invested) and an empty progress may stay; they are not shown. Anything the
    unit would have reported is an error: the lines say both that it reported and that it did
    not."""
    if not isinstance(item, Mapping):
        return False
    written = _value_of(item, "reported")
    if written is None:
        return False
    try:
        if parse_bool(written):
            return False
    except Invalid:
        return False  # read again with the entry's fields, which says what is wrong
    prefix = f"projects.{pid}."
    for key, value in item.items:
        spec = ENTRY_READ.get(key.value)
        if spec is None:
            c._unknown_key(key, ENTRY_READ, prefix)
            continue
        empty = isinstance(value, Scalar) and (
            (value.plain and value.value in NULLS) or not value.value.strip()
        )
        if spec.name in REPORTED_CONTENT and not empty:
            c.error(
                key.pos,
                spec.title(prefix),
                Msg("msg.report.not_reported_content", label=spec.label),
                Msg("msg.report.not_reported_content_hint"),
            )
    return True


def _withdrawn(node: Node, c: Checker) -> Withdrawal | Any:
    """`withdrawn: {date: …, reason: …}` of a report: the month taken back, and why."""
    wv, _wp, mapping = c.read(node, WITHDRAWN_FIELDS, "withdrawn.")
    if mapping is None or not c.ok(wv, "date", "reason"):
        return Invalid
    return Withdrawal(wv["date"], wv["reason"])


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
    config = (
        _board(sources.board.root, sources.board.shown, c, sources.root) if sources.board else None
    )

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
                Msg(
                    "msg.validate.duplicate_id",
                    id=quoted(project.id),
                    where=f"{first.source.file}:{first.positions['id'].line}",
                ),
            )
            continue
        seen_ids[project.id] = project
        projects.append(project)
    # A report naming a project whose file has errors is not a second error.
    known_ids = set(seen_ids) | {stem.lower() for stem in sources.project_stems}
    reports: dict[Month, Report] = {}
    for doc in sources.reports:
        report = _report(doc.root, doc.path, doc.shown, known_ids, c, memo)
        if report is None:
            continue
        if report.month in reports:
            c.error(
                report.positions["month"],
                "month (月份)",
                Msg(
                    "msg.validate.duplicate_report",
                    month=report.month,
                    where=reports[report.month].source.file,
                ),
            )
            continue
        reports[report.month] = report

    projects.sort(key=lambda p: (p.order if p.order is not None else 10**9, p.id))
    from .disclosure import code_problems  # issue 24: each 项目统一代码 once

    code_problems(projects, reports.values(), c)
    if config is not None:  # every place on the county's map (issue 26)
        from .places import check_places

        check_places(config, projects, c)
    ordered_reports = tuple(reports[m] for m in sorted(reports))
    if config is not None:
        c.problems.extend(caption_glyph_problems(config, ordered_reports))
    thresholds = config.thresholds if config is not None else Thresholds()
    for project in projects:
        _change_log_problems(project, thresholds, c)
    for report in ordered_reports:
        _off_board_entries(report, seen_ids, report.published or report.month.last_day, c)
    errors = [p for p in c.problems if p.severity is Severity.ERROR]
    if errors or config is None:
        return None, c.problems
    register = Register(sources.root, config, tuple(projects), ordered_reports)
    _warnings(register, c)
    return register, c.problems


def caption_glyph_problems(config: BoardConfig, reports: tuple[Report, ...]) -> list[Problem]:
    """A photo caption's character that no font of `font:` has, at the caption's file:line:col.

    Captions print on the A4 sheets; the build checks every printed field before layout, and
    `board check` checks the captions too, so a clerk learns of a caption's missing glyph at
    once. Fonts that fontconfig cannot resolve are the build's to report (nothing checked)."""
    from .errors import RenderError
    from .render import fonts

    texts = [
        fonts.Text(
            photo.caption,
            photo.caption_pos or photo.pos,
            f"projects.{pid}.photos[{i}].caption (说明)",
            f"print/sheets-{report.month}.pdf",
        )
        for report in reports
        for pid, entry in report.entries.items()
        for i, photo in enumerate(entry.photos, 1)
        if photo.caption
    ]
    if not texts:
        return []
    try:
        faces = fonts.resolve(config.font)
        return fonts.missing_glyphs(texts, faces)
    except RenderError:
        return []


def _warnings(register: Register, c: Checker) -> None:
    """Things worth the office's attention that do not stop the build (errors under --strict)."""
    from .compute import compute_month  # compute depends on the model only; no cycle at import

    # percent lower than the month before, with no reason stated under problems (存在问题)
    last: dict[str, tuple[Month, int]] = {}
    for report in register.reports:
        for pid, entry in report.entries.items():
            if pid in last and entry.percent < last[pid][1] and not entry.problems:
                c.warn(
                    entry.positions["percent"],
                    f"projects.{pid}.percent (实际进度)",
                    Msg(
                        "msg.warn.percent_lower",
                        value=entry.percent,
                        before=last[pid][1],
                        month=last[pid][0],
                    ),
                    Msg("msg.hint.percent_cumulative"),
                )
            last[pid] = (report.month, entry.percent)

    latest = register.reports[-1] if register.reports else None
    # the projects on the latest board, as they stand on it (issue 22: added, withdrawn, changed)
    current = register.board_projects(latest.month) if latest is not None else register.projects
    if latest is not None:
        pos = latest.positions.get("projects:key", latest.source)
        for project in current:
            if project.id in latest.not_reported:
                c.warn(
                    latest.positions.get(f"projects.{project.id}", pos),
                    f"projects.{project.id}",
                    Msg(
                        "msg.warn.not_reported",
                        id=project.id,
                        name=project.name,
                        month=latest.month,
                    ),
                    Msg("msg.hint.no_entry"),
                )
            elif project.id not in latest.entries:
                c.warn(
                    pos,
                    "projects (项目)",
                    Msg(
                        "msg.warn.no_entry",
                        id=project.id,
                        name=project.name,
                        month=latest.month,
                    ),
                    Msg("msg.hint.no_entry"),
                )
        board = compute_month(register, latest.month)
        for row in board.rows:
            if row.status in ("behind", "overdue") and row.reported and row.entry is not None:
                missing = [f for f in ("reason", "catch_up_by") if not getattr(row.entry, f)]
                if missing:
                    c.warn(
                        latest.positions.get(f"projects.{row.project.id}", latest.source),
                        f"projects.{row.project.id}",
                        Msg(
                            f"msg.warn.{row.status}_without_{'_'.join(missing)}",
                            actual=row.actual,
                            planned=f"{row.planned:g}",
                        ),
                        Msg("msg.hint.speech_catch_up"),
                    )

    _investment_warnings(register, c)
    from .audit import audit_warnings  # issue 24: the 20-working-day audit

    audit_warnings(register, c)
    from .places import warn_unplaced  # projects not on the county's map (issue 26)

    warn_unplaced(register.config, register.projects, c)
    for project in register.projects:
        sent = [(m, project.id, e.photos) for m, e in register.history.get(project.id, ())]
        c.problems.extend(date_problems(sent))
    c.problems.extend(
        shared_problems(
            [(r.month, pid, e.photos) for r in register.reports for pid, e in r.entries.items()]
        )
    )

    if latest is not None:
        day = register.cutoff(latest.month)
        for project in register.projects:
            for change in project.changes:
                if change.date > day:
                    c.warn(
                        change.positions.get("date", change.pos),
                        _change_title(change, "date"),
                        Msg("msg.warn.change_later", date=change.date, month=latest.month, day=day),
                        Msg("msg.warn.change_later_hint"),
                    )

    by_leader: dict[str, list[Project]] = {}
    for project in current:
        by_leader.setdefault(project.leader, []).append(project)
    for leader, projects in by_leader.items():
        if len(projects) > 2:
            for project in projects[2:]:
                c.warn(
                    project.positions["leader"],
                    "leader (分包县领导)",
                    Msg(
                        "msg.warn.leader_projects",
                        leader=leader,
                        n=len(projects),
                        ids=", ".join(p.id for p in projects),
                    ),
                    Msg("msg.hint.speech_leader"),
                )


INVESTED_FACTOR = 3  # invested to date above this many times the total investment: a warning


def _investment_warnings(register: Register, c: Checker) -> None:
    """Figures that are probably a slip of unit (元 for 万元) or of year; 累计完成投资 missing
    or falling without a reason; 本年完成投资 that cannot be derived and was not given."""
    from .compute import invested_this_year

    by_id = {p.id: p for p in register.projects}
    _invested_to_date(register, c)
    for project in register.projects:
        history = register.history.get(project.id, ())
        for month, entry in history:
            if entry.invested is None or entry.invested_year is not None:
                continue
            if invested_this_year(project, history, entry, month)[0] is None:
                report = register.report(month)
                c.warn(
                    entry.positions.get("invested", report.source if report else project.source),
                    f"projects.{project.id}.invested_year (本年完成投资)",
                    Msg("msg.invest.year_unknown", year=month.year - 1),
                    Msg("msg.invest.year_unknown_hint"),
                )
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
            owner = by_id.get(pid)
            if owner is None or owner.investment is None or entry.invested is None:
                continue
            if entry.invested > INVESTED_FACTOR * owner.investment:
                c.warn(
                    entry.positions.get("invested", report.source),
                    f"projects.{pid}.invested (累计完成投资)",
                    Msg(
                        "msg.invest.above_total",
                        invested=f"{entry.invested:g}",
                        total=f"{owner.investment:g}",
                        factor=INVESTED_FACTOR,
                    ),
                    Msg("msg.invest.above_total_hint"),
                )


def _invested_to_date(register: Register, c: Checker) -> None:
    """累计完成投资 never falls, and is never left out, without a reason: a report that has no
    figure where the project's previous report had one, or a lower one with nothing said under
    存在问题 (problems), is named. The rules a workbook's import meets too (it is validated as a
    register)."""
    last: dict[str, tuple[Month, float]] = {}
    for report in register.reports:
        for pid, entry in report.entries.items():
            before = last.get(pid)
            field = f"projects.{pid}.invested (累计完成投资)"
            if entry.invested is None and before is not None:
                c.warn(
                    report.positions.get(f"projects.{pid}", report.source),
                    field,
                    Msg("msg.invest.missing", month=before[0], before=f"{before[1]:g}"),
                    Msg("msg.invest.missing_hint"),
                )
                continue  # the figure before stays the one to compare with
            if entry.invested is None:
                continue
            if before is not None and entry.invested < before[1] and not entry.problems:
                c.warn(
                    entry.positions.get("invested", report.source),
                    field,
                    Msg(
                        "msg.invest.lower",
                        value=f"{entry.invested:g}",
                        month=before[0],
                        before=f"{before[1]:g}",
                    ),
                    Msg("msg.invest.lower_hint"),
                )
            last[pid] = (report.month, entry.invested)


def _pending(sources: Sources, problems: list[Problem]) -> tuple[Any, int] | None:
    """The latest report, if it is one `board new-month` scaffolded and the units are still
    filling in: every error of the register is an empty 具体进度 in that one file (or an empty
    本年完成投资 that `new-month` asked for). Returns the document and how many projects are
    still to be filled in."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors or not sources.reports:
        return None
    latest = max(sources.reports, key=lambda d: d.path.stem)
    waiting: set[str] = set()  # the projects not filled in yet
    for p in errors:
        if not (
            p.pos.file == latest.shown
            and isinstance(p.message, Msg)
            and p.message.key in ("msg.validate.expected_empty", "msg.validate.required")
            and p.field.endswith((".progress (具体进度)", ".invested_year (本年完成投资)"))
        ):
            return None
        waiting.add(p.field.split(".")[1])
    return latest, len(waiting)


def check(
    content_dir: Path | str,
    strict: bool = False,
    pending: bool | Month = False,
    cache: Any = None,
    published: Iterable[str] = (),
    out: Path | str | None = None,
) -> tuple[Register, list[Problem]]:
    """Load and validate a register; raise ContentError with every problem if it has errors.

    With `strict`, warnings count as errors. Returns the register and its warnings.

    The warnings of a settled month (one before the latest report, or in `published`: the
    months a build would correct, board.settled) carry the advice of a published month instead
    of their own, and `strict` leaves them warnings: nothing can be done about them but a
    correction (更正).

    With `pending` (True, or the month a command works on), a latest report that is still
    being filled in (see `_pending`) does not stop work on the months before it: it is left
    out, and one notice among the warnings says so. It is never left out for its own month.

    `cache` (a board.cache.RenderCache) remembers what each photo file is between builds.

    With `out` (an output folder), the commitments are checked against the record of the
    months published there (board.commitments): a commitment moved without its change entry
    is an error; without a record, one warning says the check needs it.
    """
    sources = load_sources(Path(content_dir))
    memo = InfoMemo(cache)
    register, problems = build_register(sources, memo)
    notice: list[Problem] = []
    found = _pending(sources, problems) if register is None else None
    if found is not None:
        doc, missing = found
        month = doc.path.stem
        earlier = sorted(d.path.stem for d in sources.reports if d.path.stem < month)
        waiting = (doc.shown, missing, earlier[-1] if earlier else "")
        if pending is True or (pending is not False and str(pending) < month):
            kept = dataclasses.replace(
                sources, reports=tuple(d for d in sources.reports if d is not doc)
            )
            register, problems = build_register(kept, memo)
            notice = [
                Problem(
                    Pos(doc.shown),
                    "",
                    Msg("msg.cycle.pending", n=counted(missing, "project")),
                    Msg("msg.cycle.pending_hint", month=month),
                    Severity.WARNING,
                )
            ]
    if (
        out is not None
        and register is not None
        and not any(p.severity is Severity.ERROR for p in problems)
    ):
        found_record = record_problems(register, read_record(out, register))
        problems += [p for p in found_record if p.severity is Severity.ERROR]
        # that there is no record to compare with is a notice, never an error (--strict
        # included): a first build has none
        notice += [p for p in found_record if p.severity is Severity.WARNING]
    problems = settle(problems, latest_report(content_dir), published)
    if strict:
        problems = [
            Problem(p.pos, p.field, p.message, p.hint, Severity.ERROR)
            if p.severity is Severity.WARNING and not is_settled(p)
            else p
            for p in problems
        ]
    if register is None or any(p.severity is Severity.ERROR for p in problems):
        error = ContentError(problems)
        if found is not None and not notice:
            error.waiting = waiting  # type: ignore[attr-defined]  # the CLI names what is missing
        raise error
    return register, problems + notice


def notices(warnings: list[Problem]) -> list[Problem]:
    """The notices among the warnings that every command shows (a report still being filled in)."""
    return [
        w for w in warnings if isinstance(w.message, Msg) and w.message.key == "msg.cycle.pending"
    ]
