"""Stage 2, model: the register as frozen, typed objects. Templates never see raw YAML."""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Pos

NO_POSITIONS: Mapping[str, Pos] = MappingProxyType({})


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written YYYY-MM."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """`2020-09` → Month(2020, 9); raises ValueError for anything else."""
        if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
            raise ValueError(f"expected a month YYYY-MM, got {text}")
        month = cls(int(text[:4]), int(text[5:]))
        if not 1 <= month.month <= 12:
            raise ValueError(
                f"expected a month YYYY-MM, got {text} (there is no month {month.month})"
            )
        return month

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def prev(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)


@dataclass(frozen=True)
class Milestone:
    """One line of the responsibility and schedule list (责任清单): what, who, by when, done."""

    task: str
    owner: str
    due: date
    done: date | bool = False

    def state(self, as_of: date) -> str:
        """'done', 'due' (not yet due) or 'missed' (due passed, not done) on `as_of`."""
        if self.done is True or (isinstance(self.done, date) and self.done <= as_of):
            return "done"
        return "missed" if self.due < as_of else "due"

    @property
    def done_on(self) -> date | None:
        return self.done if isinstance(self.done, date) else None


# A commitment's value (issue 22): text (name, leader, unit), a date (deadline, a task's due
# date), an amount in 万元 (investment, a year's planned investment), a planned percent; None
# where an optional commitment is absent.
Value = str | date | float | int | None

# The commitments of a project (承诺), by the key a change log names them with: the five columns'
# name, leader, unit and deadline, the investment, and three families with a part after the dot.
COMMITMENT_KEYS = ("name", "leader", "unit", "deadline", "investment")
COMMITMENT_FAMILIES = ("annual_investment", "plan", "milestones")


@dataclass(frozen=True)
class Change:
    """One entry of a project's change log (`changes:`, 调整记录): a commitment moved.

    `key` names the commitment: `name`, `leader`, `unit`, `deadline`, `investment`,
    `annual_investment.2021` (a year's 年度计划投资), `plan.2020-09` (a month's 计划进度) or
    `milestones.<task>` (that task's due date). `before` and `after` are the file's `from` and
    `to` (None: the commitment did not exist, or was removed).
    """

    date: date  # 决定日期
    key: str
    before: Value
    after: Value
    reason: str  # 调整原因
    approved_by: str = ""  # 批准依据
    pos: Pos = field(default=Pos(""), compare=False)
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )
    index: int = field(default=0, compare=False)  # its place in the file's list, from 1

    @property
    def family(self) -> str:
        """`deadline`, `plan`, `milestones`, ...: the key without its part."""
        return self.key.split(".", 1)[0]

    @property
    def part(self) -> str:
        """The year, month or task after the dot (empty for a plain key)."""
        return self.key.split(".", 1)[1] if "." in self.key else ""

    @property
    def days(self) -> int | None:
        """For a date moved: how many days later (negative: earlier)."""
        if isinstance(self.before, date) and isinstance(self.after, date):
            return (self.after - self.before).days
        return None

    @property
    def is_delay(self) -> bool:
        """A 延期: the deadline moved later."""
        return self.key == "deadline" and (self.days or 0) > 0


@dataclass(frozen=True)
class Decision:
    """A project put on the board mid-year (`added:`, 新增) or taken off it (`withdrawn:`, 调出)."""

    date: date
    reason: str = ""
    approved_by: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


# -- issue 24: 重大建设项目信息公开 (国办发〔2017〕94号) ---------------------------------------------
# The eight categories of information to make public, in the order of the 标准目录; the keys are
# the register's (English), the catalog's `disclosure.category.<key>` gives their names.
DISCLOSURE_CATEGORIES = (
    "approval_service",  # 批准服务信息
    "approval_result",  # 批准结果信息
    "bidding",  # 招标投标信息
    "land",  # 征收土地信息
    "design_change",  # 重大设计变更信息
    "construction",  # 施工有关信息
    "quality_safety",  # 质量安全监督信息
    "completion",  # 竣工有关信息
)
# the parties of 施工有关信息, in the order a site signboard (告示牌) lists them
DISCLOSURE_ROLES = ("legal_person", "design", "construction", "supervision", "drawing_review")


@dataclass(frozen=True)
class DisclosureItem:
    """One piece of information to make public (公开事项): what, its number, when it was formed
    (or changed) and when it was published, by whom, where; and the structured fields of its
    category (empty when not given or not of its category)."""

    category: str
    item: str  # 事项
    formed: date  # 形成/变更日期: the 20 (or 7) working days run from here
    number: str = ""  # 文号 or number
    published: date | None = None  # 公开日期; None: not yet published
    publisher: str = ""  # 公开主体
    channel: str = ""  # 公开渠道
    link: str = ""  # http(s) address of the notice
    licensing: bool = False  # an administrative licensing decision (行政许可): 7 working days
    approver: str = ""  # 批复单位 / 批准单位 (approval_result, land, design_change)
    reason: str = ""  # 变更原因 (design_change)
    winner: str = ""  # 中标单位 (bidding)
    amount: float | None = None  # 中标金额, 万元 (bidding)
    role: str = ""  # one of DISCLOSURE_ROLES (construction)
    company: str = ""  # 单位名称 (construction)
    head: str = ""  # 负责人 (construction: the unit's 主要负责人)
    manager: str = ""  # 项目负责人 (construction)
    qualification: str = ""  # 资质 (construction)
    agency: str = ""  # 监督机构 (quality_safety)
    phone: str = ""  # 监督电话 (quality_safety)
    result: str = ""  # 检查结果 (quality_safety) or 验收结果 (completion)
    accepted: date | None = None  # 竣工验收时间 (completion)
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class DisclosureCategory:
    """A category of a project's `disclosure:`: its items, or marked not applicable (不适用)."""

    key: str
    items: tuple[DisclosureItem, ...] = ()
    not_applicable: bool = False
    reason: str = ""  # why it does not apply (empty: none given, a warning)
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class Disclosure:
    """A project's `disclosure:` section: the categories written, in the 标准目录's order."""

    categories: tuple[DisclosureCategory, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)

    def category(self, key: str) -> DisclosureCategory | None:
        for found in self.categories:
            if found.key == key:
                return found
        return None

    @property
    def items(self) -> tuple[DisclosureItem, ...]:
        return tuple(item for c in self.categories for item in c.items)


Position = tuple[float, float]  # longitude, latitude in WGS84 (GeoJSON's order)


@dataclass(frozen=True)
class Geometry:
    """A place in WGS84, nested as GeoJSON nests it: a Point's coordinates are one position, a
    LineString's a tuple of positions, a Polygon's a tuple of rings; Multi- types one level
    more. Positions written in GCJ-02 or BD-09 are converted when the register is read."""

    type: str  # Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon
    coordinates: Any
    file: str = ""  # the GeoJSON file under assets/ it comes from ("" for coordinates in YAML)
    crs: str = "wgs84"  # how the register wrote it: wgs84 | gcj02 | bd09

    def positions(self) -> Iterator[Position]:
        """Every position of the geometry."""
        depth = {"Point": 0, "MultiPoint": 1, "LineString": 1}.get(self.type)
        if depth is None:
            depth = 2 if self.type in ("MultiLineString", "Polygon") else 3

        def walk(value: Any, level: int) -> Iterator[Position]:
            if level == 0:
                yield value
            else:
                for item in value:
                    yield from walk(item, level - 1)

        yield from walk(self.coordinates, depth)


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    leader: str
    unit: str
    start: date
    deadline: date
    owner: str = ""
    location: str = ""
    category: str = ""
    investment: float | None = None
    order: int | None = None
    summary: str = ""  # Markdown source; rendered and sanitised by render.markup
    milestones: tuple[Milestone, ...] = ()
    plan: tuple[tuple[Month, int], ...] = ()
    # 年度计划投资: the planned investment of each calendar year, 万元, oldest year first
    annual_investment: tuple[tuple[int, float], ...] = ()
    # issue 22: the change log, oldest first, and the decisions that put the project on the
    # board mid-year or took it off
    changes: tuple[Change, ...] = ()
    added: Decision | None = None
    withdrawn: Decision | None = None
    code: str = ""  # 项目统一代码 (issue 24), canonical 2020-130529-48-01-012345
    disclosure: Disclosure | None = None  # 信息公开 (issue 24); None: no section
    geometry: Geometry | None = None  # location: coordinates or a GeoJSON file (issue 26)
    source: Pos = Pos("")
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )

    def value(self, key: str) -> Value:
        """The commitment `key` as the project holds it (see Change.key); None when absent."""
        family, _, part = key.partition(".")
        if not part:
            return getattr(self, key)
        if family == "annual_investment":
            return dict(self.annual_investment).get(int(part)) if part.isdigit() else None
        if family == "plan":
            return next((p for m, p in self.plan if str(m) == part), None)
        return next((m.due for m in self.milestones if m.task == part), None)

    def with_value(self, key: str, value: Value) -> Project:
        """The project with the commitment `key` set to `value` (None removes a part)."""
        family, _, part = key.partition(".")
        if not part:
            changed: dict[str, Any] = {key: value}
            return dataclasses.replace(self, **changed)
        if family == "annual_investment":
            years = {y: v for y, v in self.annual_investment if y != int(part)}
            if value is not None:
                years[int(part)] = float(value)  # type: ignore[arg-type]
            return dataclasses.replace(self, annual_investment=tuple(sorted(years.items())))
        if family == "plan":
            months = {m: p for m, p in self.plan if str(m) != part}
            if value is not None:
                months[Month.parse(part)] = int(value)  # type: ignore[arg-type]
            return dataclasses.replace(self, plan=tuple(sorted(months.items())))
        tasks = list(self.milestones)
        found = next((i for i, m in enumerate(tasks) if m.task == part), None)
        if value is None:
            if found is not None:
                del tasks[found]
        elif found is not None:
            tasks[found] = dataclasses.replace(tasks[found], due=value)  # type: ignore[arg-type]
        else:  # a task removed later: it comes back with what the change log knows of it
            tasks.append(Milestone(part, "", value))  # type: ignore[arg-type]
        return dataclasses.replace(self, milestones=tuple(tasks))

    def as_of(self, day: date) -> Project:
        """The project as its commitments stood on `day`: every change decided after it undone.

        Without such changes, the project itself (no copy is made).
        """
        later = [c for c in self.changes if c.date > day]
        if not later:
            return self
        project = self
        for change in reversed(later):
            project = project.with_value(change.key, change.before)
        return project

    def on_board(self, day: date) -> bool:
        """Whether the board published on `day` carries the project (added by then, not yet
        withdrawn)."""
        if self.added is not None and self.added.date > day:
            return False
        return self.withdrawn is None or day < self.withdrawn.date

    def baseline(self, key: str) -> Value:
        """The commitment as first promised (原定): the `from` of its first change, or the value
        held now when it never changed."""
        first = next((c for c in self.changes if c.key == key), None)
        return first.before if first is not None else self.value(key)


@dataclass(frozen=True)
class Photo:
    """A site photo (形象进度照片) sent with a month's report: a file under photos/ and its caption."""

    file: str  # relative to the register, always under photos/
    caption: str = ""
    pos: Pos = field(default=Pos(""), compare=False)
    caption_pos: Pos | None = field(default=None, compare=False, repr=False)  # where the caption is
    # what the file is (board.photos, at validation): its content hash, upright size, the day taken
    digest: str = ""
    width: int = 0
    height: int = 0
    taken: date | None = None


@dataclass(frozen=True)
class Entry:
    """A project's line in a monthly report."""

    project_id: str
    percent: int
    progress: str
    invested: float | None = None
    problems: str = ""
    measures: str = ""
    reason: str = ""
    catch_up_by: date | None = None
    invested_year: float | None = (
        None  # 本年累计完成投资, as reported (compute derives it if absent)
    )
    photos: tuple[Photo, ...] = ()
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )


@dataclass(frozen=True)
class Withdrawal:
    """A published month taken back (撤回): the day and why. Its files and links stay; its page
    and the feed carry the notice (board.published)."""

    day: date
    reason: str


@dataclass(frozen=True)
class Report:
    month: Month
    entries: Mapping[str, Entry]
    published: date | None = None  # the bulletin's 成文日期 and 印发日期; default: the month's end
    withdrawn: Withdrawal | None = None  # a published month withdrawn (never deleted)
    source: Pos = Pos("")
    # 未报送 said plainly: projects under `projects:` with `reported: false`. Like a project left
    # out, they have no entry this month (the board shows 未报送 with their last figures).
    not_reported: frozenset[str] = frozenset()
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )


@dataclass(frozen=True)
class Thresholds:
    behind: int = 10
    # 重大调整 (issue 22): a deadline moved this many days or more, an investment changed by
    # this percent or more, needs `approved_by` (批准依据)
    major_deadline_days: int = 60
    major_investment_percent: int = 10


@dataclass(frozen=True)
class ScreenSettings:
    seconds_per_page: int = 15
    width: int = 1920
    height: int = 1080
    night: str = ""  # "22:00-07:00", or empty for none


@dataclass(frozen=True)
class PanelSettings:
    size: str = "2400mm 1200mm"
    width_mm: float = 2400.0
    height_mm: float = 1200.0
    orientation: str = "landscape"
    bleed_mm: float = 3.0
    min_font_pt: float | None = None  # default: 18 pt scaled with the panel
    max_panels: int | None = None
    map: bool = False  # an inset of the county's map (needs `map:` in board.yaml)


# The free fonts Debian ships for the four type roles of a 公文 (GB/T 9704-2012): 小标宋 of the
# title, 仿宋 of the body, 黑体 of the first headings, 楷体 of the second (docs/print.md).
TITLE_FONT = "Noto Serif CJK SC"
BODY_FONT = "Noto Serif CJK SC"
HEI_FONT = "Noto Sans CJK SC"
KAI_FONT = "AR PL KaitiM GB"


@dataclass(frozen=True)
class BulletinSettings:
    """The bulletin (通报) as an official document: its 版头, 主送, 版记 and type roles.

    `number` is the 发文字号 pattern, e.g. `县重点办〔{year}〕{n}号`: {year} and {month} are the
    report month's, {n} counts the reported months of that year from `first_number` (see
    `number_of`). An empty `issuer`/`mark`/`printed_by` falls back to the board's issuer.
    """

    number: str = ""  # 发文字号 pattern; empty: the bulletin has none
    first_number: int = 1  # {n} of the first reported month of a year
    mark: str = ""  # 发文机关标志 (red, at the head); default: the issuer
    issuer: str = ""  # 落款 (the signing office); default: the board's issuer
    recipients: str = ""  # 主送机关
    cc: str = ""  # 抄送
    printed_by: str = ""  # 印发机关; default: the issuer
    title_font: str = TITLE_FONT  # font lists (CSS style, fallback order) per role
    body_font: str = BODY_FONT
    hei_font: str = HEI_FONT
    kai_font: str = KAI_FONT


# The licences `open_data.license` may name (SPDX ids, as Data Packages name them): their
# canonical address and title. Any other licence is given by its address (https://...).
LICENSES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "CC-BY-4.0": (
            "https://creativecommons.org/licenses/by/4.0/",
            "Creative Commons Attribution 4.0",
        ),
        "CC-BY-SA-4.0": (
            "https://creativecommons.org/licenses/by-sa/4.0/",
            "Creative Commons Attribution Share-Alike 4.0",
        ),
        "CC0-1.0": (
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0 1.0 Universal Public Domain Dedication",
        ),
        "ODC-By-1.0": (
            "https://opendatacommons.org/licenses/by/1-0/",
            "Open Data Commons Attribution License 1.0",
        ),
        "ODbL-1.0": (
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "Open Data Commons Open Database License 1.0",
        ),
        "PDDL-1.0": (
            "https://opendatacommons.org/licenses/pddl/1-0/",
            "Open Data Commons Public Domain Dedication and License 1.0",
        ),
    }
)


@dataclass(frozen=True)
class OpenDataSettings:
    """open_data: in board.yaml: the OC4IDS project identifier prefix, the licence, the area.

    `oc4ids_prefix` is the prefix the OC4IDS Helpdesk registered for the county, written with
    its closing hyphen (`oc4ids-qu8r7p-`), or empty until it has one. `license` is an SPDX id of
    `LICENSES` or the address of another licence; empty: no licence stated. `area` names the
    county for the data's spatial coverage (schema.org); empty: the projects' locations.
    """

    oc4ids_prefix: str = ""
    license: str = ""
    area: str = ""

    @property
    def license_url(self) -> str:
        return LICENSES[self.license][0] if self.license in LICENSES else self.license

    @property
    def license_title(self) -> str:
        return LICENSES[self.license][1] if self.license in LICENSES else self.license

    @property
    def license_name(self) -> str:
        """The SPDX id, or empty for a licence given by its address."""
        return self.license if self.license in LICENSES else ""


@dataclass(frozen=True)
class ReportingSettings:
    """When the units' monthly reports are due (报送截止日): `due_day` of the month after the
    report month (5: October's report is due on 5 November), or a date set for one month in
    `due_dates` (a holiday moves it). None: no due date, nobody is late."""

    due_day: int | None = None
    due_dates: tuple[tuple[Month, date], ...] = ()

    def due(self, month: Month) -> date | None:
        """The day `month`'s report is due, or None."""
        for when, day in self.due_dates:
            if when == month:
                return day
        if self.due_day is None:
            return None
        following = month.next()
        return following.first_day.replace(day=min(self.due_day, following.last_day.day))


@dataclass(frozen=True)
class MapSettings:
    """The county's own map (board.yaml `map:`): a base image with its geographic frame, or
    the county's outline alone, and the approval number (审图号) and source shown with it."""

    image: str = ""  # under assets/, .png or .svg; "" for an outline only
    image_width: float = 0  # the image's pixels (an SVG's viewBox units)
    image_height: float = 0
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # W, S, E, N (WGS84)
    projection: str = "linear"  # linear | mercator
    boundary: Geometry | None = None  # the county's outline (Polygon or MultiPolygon)
    approval: str = ""  # 审图号
    source: str = ""  # 来源
    digest: str = ""  # the image file's content hash


@dataclass(frozen=True)
class BoardConfig:
    title: str
    issuer: str
    hotline: str
    id: str = ""  # the register's identity (board init writes one; board.published)
    archive: str = ""  # where the record of published months lives (default: beside the output)
    email: str = ""
    site_url: str = ""
    language: str = "zh-CN"
    font: str = "Noto Sans CJK SC"
    thresholds: Thresholds = Thresholds()
    screen: ScreenSettings = ScreenSettings()
    panel: PanelSettings = PanelSettings()
    bulletin: BulletinSettings = BulletinSettings()
    # the register's own wording of labels of its outputs (`labels:`, catalog id → text)
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    reporting: ReportingSettings = ReportingSettings()
    open_data: OpenDataSettings = OpenDataSettings()
    map: MapSettings | None = None  # the county's map (issue 26); None: no map anywhere
    source: Pos = Pos("")
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )


@dataclass(frozen=True)
class Register:
    """A whole register, valid: projects in board order, reports by month."""

    root: Path
    config: BoardConfig
    projects: tuple[Project, ...]
    reports: tuple[Report, ...]

    @property
    def months(self) -> tuple[Month, ...]:
        return tuple(r.month for r in self.reports)

    @cached_property
    def history(self) -> Mapping[str, tuple[tuple[Month, Entry], ...]]:
        """Each project's report entries, oldest first (computed once)."""
        found: dict[str, list[tuple[Month, Entry]]] = {p.id: [] for p in self.projects}
        for report in self.reports:
            for pid, entry in report.entries.items():
                found.setdefault(pid, []).append((report.month, entry))
        return MappingProxyType({pid: tuple(items) for pid, items in found.items()})

    @property
    def latest(self) -> Month | None:
        return self.reports[-1].month if self.reports else None

    def cutoff(self, month: Month) -> date:
        """The day the board of `month` is published: its report's `published`, else the
        month's last day. A change decided on or before it is on that month's board."""
        report = self.report(month)
        return (report.published if report else None) or month.last_day

    def board_projects(self, month: Month) -> tuple[Project, ...]:
        """The projects on the board of `month`, in board order, each as its commitments stood
        on the day that board is published (its leader, its unit, its deadline then)."""
        day = self.cutoff(month)
        return tuple(p.as_of(day) for p in self.projects if p.on_board(day))

    def cutoff_before(self, month: Month) -> date:
        """The publication day of the board before `month` (the register's month before it),
        or the last day of the calendar month before: the changes of `month` are those decided
        after this day and on or before `cutoff(month)`."""
        earlier = [m for m in self.months if m < month]
        if earlier:
            return self.cutoff(earlier[-1])
        return month.first_day - timedelta(days=1)

    def report(self, month: Month) -> Report | None:
        for report in self.reports:
            if report.month == month:
                return report
        return None

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.id == project_id:
                return project
        raise KeyError(project_id)

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    @property
    def templates(self) -> Path:
        return self.root / "templates"
