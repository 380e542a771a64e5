"""Issue 24, read and checked: a project's 项目统一代码 (`code:`) and its `disclosure:` section.

国办发〔2017〕94号 (推进重大建设项目批准和实施领域政府信息公开的意见) asks for eight categories
of information to be made public. A project's `disclosure:` holds, for each category (English
keys, DISCLOSURE_CATEGORIES), either a list of items or `not_applicable: 理由`:

    disclosure:
      approval_result:
        - item: 可行性研究报告批复
          number: 县发改审批〔2019〕35号
          formed: 2019-09-10
          published: 2019-09-20
          approver: 县发展和改革局
      land:
        not_applicable: 使用县城存量国有建设用地，不涉及征收土地

This module is stage 3 for them (validate.py calls it): every problem with its file, line and
field, in the catalog's words. The audit of the deadlines (20 working days, 7 for a licensing
decision) is stage 4, board/audit.py. See docs/content-format.md, "Disclosure".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import Pos
from .i18n import Msg, quoted
from .load import Mapping, Node, Scalar, Sequence
from .model import (
    DISCLOSURE_CATEGORIES,
    DISCLOSURE_ROLES,
    Disclosure,
    DisclosureCategory,
    DisclosureItem,
    Project,
    Report,
)
from .validate import (
    NULLS,
    Checker,
    Field,
    Invalid,
    _clean,
    _describe,
    _fields,
    _scalar,
    narrow,
    parse_text,
)

# -- 项目统一代码 ---------------------------------------------------------------------------------
#
# The code the national investment project online approval platform (全国投资项目在线审批监管平台)
# gives a project, written as it writes it: 24 characters, 20 digits in five groups joined by
# hyphens, 4-6-2-2-6:
#
#   2020-130529-48-01-012345
#   year, administrative division (GB/T 2260), industry, type (01 审批, 02 核准, 03 备案), serial
#
# Codes given from November 2020 on (发改投资〔2020〕1439号, GB/T 40058-2021) have the same shape:
# a time code, the region, the 中央业务指导部门 code, the project type, five random digits and a
# check character. A time code is read as a year (2014 on: the platform's first codes) or, when
# it is not one, as a year and month YYMM (2103: March 2021).

CODE_GROUPS = (4, 6, 2, 2, 6)
CODE_LENGTH = sum(CODE_GROUPS) + len(CODE_GROUPS) - 1  # 24
FIRST_CODE_YEAR = 2014
# the first two digits of a province-level division (GB/T 2260); 00 for a national project
PROVINCES = frozenset(
    [
        *("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36"),
        *("37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62"),
        *("63", "64", "65", "71", "81", "82"),
    ]
)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d_]")
_CODE = re.compile(r"(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5}[\dX])\Z")


def code_year(code: str) -> int | None:
    """The year a code was given: its time code as a year, or as YYMM; None if neither."""
    head = int(code[:4])
    if FIRST_CODE_YEAR <= head <= 2099:
        return head
    yy, mm = divmod(head, 100)
    if yy >= 20 and 1 <= mm <= 12:
        return 2000 + yy
    return None


def parse_code(node: Node) -> str:
    """A 项目统一代码 in its canonical form, or Invalid saying what is wrong with it.

    Fullwidth digits and other dashes (－, —) are read as their ASCII forms, and 20 digits
    written without hyphens are grouped as the platform writes them.
    """
    text = narrow(_scalar(node, "code").value)
    text = _DASHES.sub("-", text).replace(" ", "").upper()
    if re.fullmatch(r"\d{19}[\dX]", text):
        parts, at = [], 0
        for size in CODE_GROUPS:
            parts.append(text[at : at + size])
            at += size
        text = "-".join(parts)
    found = _CODE.match(text)
    if found is None:
        raise Invalid(
            Msg("msg.code.form", value=quoted(text), length=len(text)), Msg("msg.code.form_hint")
        )
    if code_year(text) is None:
        raise Invalid(Msg("msg.code.year", value=found.group(1)), Msg("msg.code.year_hint"))
    region = found.group(2)
    if region[:2] not in PROVINCES and region != "000000":
        raise Invalid(Msg("msg.code.region", value=region), Msg("msg.code.region_hint"))
    if found.group(4) == "00":
        raise Invalid(Msg("msg.code.type", value=found.group(4)), Msg("msg.code.type_hint"))
    return text


def code_problems(projects: Iterable[Project], reports: Iterable[Report], c: Checker) -> None:
    """Each code once in the register; none given in a year after the latest report's."""
    seen: dict[str, Project] = {}
    months = [r.month for r in reports]
    latest = max(months).year if months else None
    for project in projects:
        if not project.code:
            continue
        pos = project.positions.get("code", project.source)
        first = seen.get(project.code)
        if first is not None:
            c.error(
                pos,
                "code (项目统一代码)",
                Msg(
                    "msg.code.duplicate",
                    code=project.code,
                    id=first.id,
                    where=f"{first.source.file}:{first.positions.get('code', first.source).line}",
                ),
                Msg("msg.code.duplicate_hint"),
            )
            continue
        seen[project.code] = project
        year = code_year(project.code)
        if latest is not None and year is not None and year > latest:
            c.error(
                pos,
                "code (项目统一代码)",
                Msg("msg.code.after_reports", year=year, latest=latest),
                Msg("msg.code.year_hint"),
            )


# -- the `disclosure:` section ---------------------------------------------------------------

COMMON_FIELDS = (
    Field("item", "事项", "text", True),
    Field("number", "文号", "text"),
    Field("formed", "形成日期", "date", True),
    Field("published", "公开日期", "date"),
    Field("publisher", "公开主体", "text"),
    Field("channel", "公开渠道", "text"),
    Field("link", "链接", "url"),
)
# the structured fields of each category, after the common ones
CATEGORY_FIELDS: dict[str, tuple[Field, ...]] = {
    "approval_service": (),
    "approval_result": (
        Field("approver", "批复单位", "text"),
        Field("licensing", "行政许可", "text"),
    ),
    "bidding": (Field("winner", "中标单位", "text"), Field("amount", "中标金额", "money")),
    "land": (Field("approver", "批准机关", "text"),),
    "design_change": (Field("approver", "批准单位", "text"), Field("reason", "变更原因", "text")),
    "construction": (
        Field("role", "参建单位类别", "text"),
        Field("company", "单位名称", "text"),
        Field("head", "负责人", "text"),
        Field("manager", "项目负责人", "text"),
        Field("qualification", "资质", "text"),
    ),
    "quality_safety": (
        Field("agency", "监督机构", "text"),
        Field("phone", "监督电话", "text"),
        Field("result", "检查结果", "text"),
    ),
    "completion": (Field("accepted", "验收时间", "date"), Field("result", "验收结果", "text")),
}
ITEM_FIELDS = {key: _fields(*COMMON_FIELDS, *extra) for key, extra in CATEGORY_FIELDS.items()}
# the Chinese names of the categories and roles, for a clerk who writes them as keys or values
CATEGORY_NAMES = {
    "approval_service": "批准服务信息",
    "approval_result": "批准结果信息",
    "bidding": "招标投标信息",
    "land": "征收土地信息",
    "design_change": "重大设计变更信息",
    "construction": "施工有关信息",
    "quality_safety": "质量安全监督信息",
    "completion": "竣工有关信息",
}
ROLE_NAMES = {
    "legal_person": ("项目法人", "项目法人单位", "建设单位"),
    "design": ("设计", "设计单位"),
    "construction": ("施工", "施工单位", "施工总承包单位"),
    "supervision": ("监理", "监理单位"),
    "drawing_review": ("施工图审查", "施工图审查机构"),
}
YES = ("true", "是", "√", "✓")
NO = ("false", "否", "×")
NOT_APPLICABLE = "not_applicable"
MAX_LINK = 2000


def role_key(text: str) -> str | None:
    """A construction party's role from its key or Chinese name; None when neither."""
    value = text.strip()
    if value in DISCLOSURE_ROLES:
        return value
    for key, names in ROLE_NAMES.items():
        if value in names:
            return key
    return None


def category_key(text: str) -> str | None:
    """A category from its key or its Chinese name (the workbook writes names)."""
    value = text.strip()
    if value in DISCLOSURE_CATEGORIES:
        return value
    for key, name in CATEGORY_NAMES.items():
        if value in (name, name.removesuffix("信息")):
            return key
    return None


@dataclass
class _Reader:
    c: Checker
    prefix: str = "disclosure."

    def field(self, key: str, name: str = "", label: str = "") -> str:
        base = f"{self.prefix}{key}"
        if name:
            base += f".{name}"
        return f"{base} ({label})" if label else base

    def read(self, node: Node) -> Disclosure | None:
        c = self.c
        if not isinstance(node, Mapping):
            c.error(
                node.pos,
                "disclosure (信息公开)",
                Msg("msg.disclosure.shape", value=_describe(node)),
                Msg("msg.disclosure.shape_hint"),
            )
            return None
        found: dict[str, DisclosureCategory] = {}
        for key, value in node.items:
            if key.value not in DISCLOSURE_CATEGORIES:
                self.unknown_category(key)
                continue
            category = self.category(key.value, key.pos, value)
            if category is not None:
                found[key.value] = category
        ordered = tuple(found[k] for k in DISCLOSURE_CATEGORIES if k in found)
        return Disclosure(ordered, node.pos)

    def unknown_category(self, key: Scalar) -> None:
        named = category_key(key.value)
        if named is not None:
            hint = Msg("msg.disclosure.key_for_name", name=key.value.strip(), english=named)
        else:
            close = difflib.get_close_matches(key.value, DISCLOSURE_CATEGORIES, n=1, cutoff=0.6)
            hint = (
                Msg("msg.hint.did_you_mean", name=close[0])
                if close
                else Msg("msg.hint.one_of", names=", ".join(DISCLOSURE_CATEGORIES))
            )
        self.c.error(key.pos, self.field(key.value), Msg("msg.disclosure.unknown_category"), hint)

    def category(self, key: str, pos: Pos, node: Node) -> DisclosureCategory | None:
        label = CATEGORY_NAMES[key]
        if isinstance(node, Sequence):
            items = []
            for i, item in enumerate(node.items, 1):
                found = self.item(key, i, item)
                if found is not None:
                    items.append(found)
            return DisclosureCategory(key, tuple(items), pos=pos)
        if isinstance(node, Mapping):
            return self.not_applicable(key, pos, node)
        if isinstance(node, Scalar) and node.plain and node.value in NULLS:
            return DisclosureCategory(key, (), pos=pos)  # `land:` with nothing: none yet
        self.c.error(
            node.pos,
            self.field(key, label=label),
            Msg("msg.disclosure.category_shape", value=_describe(node)),
            Msg("msg.disclosure.category_hint"),
        )
        return None

    def not_applicable(self, key: str, pos: Pos, node: Mapping) -> DisclosureCategory | None:
        c = self.c
        label = CATEGORY_NAMES[key]
        value: Node | None = None
        for k, v in node.items:
            if k.value == NOT_APPLICABLE:
                value = v
                continue
            c.error(
                k.pos,
                self.field(key, k.value),
                Msg("msg.validate.unknown_key"),
                Msg("msg.disclosure.category_hint"),
            )
        if value is None:
            c.error(
                node.pos,
                self.field(key, label=label),
                Msg("msg.disclosure.category_shape", value=_describe(node)),
                Msg("msg.disclosure.category_hint"),
            )
            return None
        where = self.field(key, NOT_APPLICABLE, "不适用")
        text = value.value.strip() if isinstance(value, Scalar) else None
        plain = isinstance(value, Scalar) and value.plain
        if text is not None and ((plain and text in NULLS) or text in YES or text == ""):
            c.warn(
                value.pos,
                where,
                Msg("msg.disclosure.no_reason", category=Msg(f"disclosure.category.{key}")),
                Msg("msg.disclosure.no_reason_hint"),
            )
            return DisclosureCategory(key, (), True, "", pos)
        if text is not None and text in NO:
            c.error(value.pos, where, Msg("msg.disclosure.na_false"), Msg("msg.disclosure.na_hint"))
            return None
        try:
            reason = parse_text(value)
        except Invalid as exc:
            c.error(value.pos, where, exc.message, exc.hint)
            return None
        return DisclosureCategory(key, (), True, reason, pos)

    def item(self, key: str, index: int, node: Node) -> DisclosureItem | None:
        c = self.c
        prefix = f"{self.prefix}{key}[{index}]."
        values, positions, mapping = c.read(node, ITEM_FIELDS[key], prefix, "disclosure_item")
        if mapping is None:
            return None
        fields = ITEM_FIELDS[key]
        if "link" in values and values["link"] is not Invalid:
            link = values["link"]
            if re.search(r"\s", link) or len(link) > MAX_LINK:
                c.error(
                    positions["link"],
                    fields["link"].title(prefix),
                    Msg("msg.disclosure.link", value=quoted(link[:80])),
                    Msg("msg.disclosure.link_hint"),
                )
                values["link"] = Invalid
        if "licensing" in values and values["licensing"] is not Invalid:
            text = values["licensing"]
            if text in YES:
                values["licensing"] = True
            elif text in NO:
                values["licensing"] = False
            else:
                c.error(
                    positions["licensing"],
                    fields["licensing"].title(prefix),
                    Msg("msg.disclosure.licensing", value=quoted(text)),
                    Msg("msg.disclosure.licensing_hint"),
                )
                values["licensing"] = Invalid
        if "role" in values and values["role"] is not Invalid:
            role = role_key(values["role"])
            if role is None:
                c.error(
                    positions["role"],
                    fields["role"].title(prefix),
                    Msg("msg.disclosure.role", value=quoted(values["role"])),
                    Msg(
                        "msg.disclosure.role_hint",
                        names="、".join(names[0] for names in ROLE_NAMES.values()),
                        keys=", ".join(DISCLOSURE_ROLES),
                    ),
                )
                values["role"] = Invalid
            else:
                values["role"] = role
        formed, published = values.get("formed"), values.get("published")
        if isinstance(formed, date) and isinstance(published, date) and published < formed:
            c.error(
                positions["published"],
                fields["published"].title(prefix),
                Msg("msg.disclosure.published_early", published=published, formed=formed),
                Msg("msg.disclosure.published_early_hint"),
            )
            values["published"] = Invalid
        if not c.ok(values, *fields):
            return None
        kwargs: dict[str, Any] = _clean(values)
        return DisclosureItem(category=key, pos=positions.get("item:key", mapping.pos), **kwargs)


def read_disclosure(node: Node, c: Checker) -> Disclosure | None:
    """A project's `disclosure:` section, every problem recorded in `c`."""
    return _Reader(c).read(node)
