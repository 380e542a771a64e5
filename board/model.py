"""Stage 2, model: the register as frozen, typed objects. Templates never see raw YAML."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

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
    source: Pos = Pos("")
    positions: Mapping[str, Pos] = field(
        default_factory=lambda: NO_POSITIONS, compare=False, repr=False
    )


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
