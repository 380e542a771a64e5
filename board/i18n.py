"""The one message catalog: every label of every output, in zh-CN and en.

The zh-CN labels are the words of the source speech (see shared/seed/DOMAIN.md). Templates
look labels up with `t('key')`; a missing key fails the build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

MESSAGES: dict[str, tuple[str, str]] = {
    # the five columns the speech orders, and the other fields
    "name": ("项目名称", "Project"),
    "leader": ("分包县领导", "Leader in charge"),
    "unit": ("分包单位", "Responsible unit"),
    "deadline": ("完成时限", "Deadline"),
    "progress": ("具体进度", "Progress"),
    "owner": ("项目业主", "Owner"),
    "location": ("建设地点", "Location"),
    "category": ("项目类别", "Category"),
    "investment": ("总投资（万元）", "Total investment (10k CNY)"),
    "invested": ("累计完成投资（万元）", "Invested to date (10k CNY)"),
    "start": ("开工时间", "Start"),
    "summary": ("项目简介", "Summary"),
    "percent": ("实际进度", "Actual progress"),
    "planned": ("计划进度", "Planned progress"),
    "actual": ("实际进度", "Actual progress"),
    "variance": ("偏差", "Variance"),
    "gain": ("本月进展", "Gain this month"),
    "problems": ("存在问题", "Problems"),
    "measures": ("推进措施", "Measures"),
    "reason": ("滞后原因", "Reason for delay"),
    "catch_up_by": ("限期赶上", "Catch-up deadline"),
    "status": ("状态", "Status"),
    "rank": ("排名", "Rank"),
    "movement": ("名次变化", "Movement"),
    "month": ("月份", "Month"),
    "milestones": ("责任清单和进度清单", "Responsibilities and schedule"),
    "task": ("任务", "Task"),
    "task_owner": ("责任人", "Responsible"),
    "due": ("完成时间", "Due"),
    "done": ("完成情况", "Done"),
    "history": ("历月进度", "Monthly history"),
    # statuses
    "status.completed": ("已完成", "Completed"),
    "status.overdue": ("已超期", "Overdue"),
    "status.no_report": ("未报送", "No report"),
    "status.behind": ("进度滞后", "Behind schedule"),
    "status.on_track": ("正常推进", "On track"),
    # milestones and catch-up promises
    "milestone.done": ("已完成", "Done"),
    "milestone.due": ("未到期", "Not yet due"),
    "milestone.missed": ("逾期未完成", "Missed"),
    "catch_up.met": ("已按期赶上", "Met"),
    "catch_up.missed": ("逾期未赶上", "Missed"),
    "catch_up.pending": ("尚未到期", "Pending"),
    # the board's furniture
    "ranking": ("进度排名", "Progress ranking"),
    "bulletin": ("通报", "Bulletin"),
    "hotline": ("监督电话", "Supervision hotline"),
    "email": ("监督邮箱", "Supervision e-mail"),
    "data_as_of": ("数据截至", "Data as of"),
    "issuer": ("发布单位", "Issued by"),
    "summary_strip": ("本月概况", "This month"),
    "projects_count": ("重点项目", "Key projects"),
    "behind_list": ("进度滞后项目", "Projects behind schedule"),
    "missed_promises": ("未按期赶上的项目", "Catch-up deadlines missed"),
    "public_supervision": ("欢迎社会各界监督", "Public supervision is welcome"),
    "archive": ("历史公示", "Past months"),
    "open_data": ("开放数据", "Open data"),
    "up": ("上升", "up"),
    "down": ("下降", "down"),
    "same": ("持平", "same"),
    "new": ("新上榜", "new"),
    # office cycle (board template / import / export / diff / serve: docs/office-cycle.md)
    "xlsx.id": ("编号", "ID"),
    "xlsx.order": ("排序", "Order"),
    "xlsx.number": ("序号", "No."),
    "xlsx.sheet.board": ("公示表", "Board"),
    "diff.title": ("月度变化审阅", "Changes for review"),
    "diff.percent": ("进度变化", "Progress changes"),
    "diff.status": ("状态变化", "Status changes"),
    "diff.new_delays": ("新增滞后项目", "Newly behind schedule"),
    "diff.reasons": ("新填报的滞后原因", "Reasons for delay added"),
    "diff.missed": ("逾期未赶上的承诺", "Catch-up deadlines missed"),
    "diff.ranking": ("排名变化", "Movement in the ranking"),
    "diff.no_report": ("本月未报送", "No report this month"),
    "diff.none": ("无", "none"),
    "diff.no_reason": ("未说明原因", "no reason given"),
    "diff.promised_in": ("承诺于", "promised in"),
    "diff.counts": ("项目状态", "Projects by status"),
    "serve.error": (
        "内容有错误，未能重新生成；仍显示上一次成功生成的版本",
        "The content has errors and was not rebuilt; showing the last good build",
    ),
    # printed outputs (print/panel-M.pdf, sheets-M.pdf, bulletin-M.pdf: docs/print.md)
    "print.number": ("序号", "No."),
    "print.last_report": ("数据为", "figures of"),
    "print.scan": ("扫码查看详情", "Scan for details"),
    "print.sheet": ("重点项目情况表", "Key project sheet"),
    "print.sheets_title": (
        "重点项目责任清单和进度清单",
        "Key projects: responsibilities and progress",
    ),
    "print.chart": ("计划进度与实际进度", "Planned against actual progress"),
    "print.own_page": ("项目网页", "Project page"),
    "print.bulletin_title": (
        "全县重点项目建设进度情况的通报",
        "Bulletin on the progress of the key projects",
    ),
    "print.bulletin_about": ("关于", "On"),
    "print.bulletin_intro": (
        "现将{month}全县重点项目建设进度情况通报如下。",
        "The progress of the county's key projects in {month} is reported as follows.",
    ),
    "print.section_ranking": ("一、进度排名", "1. Progress ranking"),
    "print.section_behind": ("二、进度滞后和超期项目", "2. Projects behind schedule or overdue"),
    "print.section_missed": ("三、未按期赶上的项目", "3. Catch-up deadlines missed"),
    "print.none_behind": (
        "本月无进度滞后或超期项目。",
        "No project is behind schedule or overdue this month.",
    ),
    "print.none_missed": (
        "本月无未按期赶上的项目。",
        "No catch-up deadline was missed this month.",
    ),
    "print.behind_by": ("落后计划", "behind plan by"),
    "print.points": ("个百分点", "percentage points"),
    "print.no_reason": ("未说明原因", "no reason given"),
    "print.no_deadline": ("未承诺赶上时限", "no catch-up deadline given"),
    "print.promised_in": ("承诺时间", "Promised in"),
    "print.demand": (
        "请以上项目的分包县领导和分包单位说明原因，限期赶上。",
        "The leaders in charge and responsible units of these projects are to state the reason and catch up by the deadline.",
    ),
    "print.places": ("位", "places"),
    "print.bulletin_heading": (
        "关于{month}全县重点项目建设进度情况的通报",
        "Bulletin on the progress of the key projects, {month}",
    ),
    "print.moved_up": ("上升{n}位", "up {n}"),
    "print.moved_down": ("下降{n}位", "down {n}"),
    # punctuation of the bulletin's sentences
    "print.open": ("（", " ("),
    "print.close": ("）", ")"),
    "print.colon": ("：", ": "),
    "print.semicolon": ("；", "; "),
    "print.comma": ("，", ", "),
    "print.stop": ("。", ". "),
    # lobby screen (screen/index.html: docs/screen.md)
    "screen.board": ("重点项目建设进度", "Key project progress"),
    "screen.details": ("项目详情", "Project details"),
    "screen.qr": ("扫码查看公示网页", "Scan for the public page"),
    "screen.actual_planned": ("实际/计划进度", "Actual / planned"),
    "screen.no_reason": ("未说明原因", "no reason given"),
    "screen.none_behind": (
        "本月没有进度滞后或超期的项目",
        "No project is behind schedule or overdue this month",
    ),
    "screen.last_reported": ("（{month}报送）{text}", "(reported {month}) {text}"),
    "screen.weekdays": (
        "星期日,星期一,星期二,星期三,星期四,星期五,星期六",
        "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday",
    ),
    "screen.stale": (
        "数据已超过{limit}天未更新：本屏显示的是{as_of}的数据（已过{days}天）",
        "Data more than {limit} days old: this screen shows {as_of} ({days} days ago)",
    ),
    "screen.offline": (
        "自{since}起无法连接服务器，继续显示已有数据：{as_of}（已过{days}天）",
        "Server unreachable since {since}; still showing the data it has: {as_of} ({days} days ago)",
    ),
    # public website (site/: docs/site.md)
    "site.skip": ("跳到正文", "Skip to the content"),
    "site.nav": ("网站导航", "Site navigation"),
    "site.crumbs": ("当前位置", "You are here"),
    "site.current": ("本月公示", "This month's board"),
    "site.previous": ("上月", "Month before"),
    "site.about": ("关于本页数据", "About the data on this page"),
    "site.colon": ("：", ": "),
    "site.comma": ("，", ", "),
    "site.sep": ("；", "; "),
    "site.list_sep": ("、", ", "),
    "site.file_note": ("{label}（{kind}，{month}）", "{label} ({kind}, {month})"),
    "site.file_kind": ("{label}（{kind}）", "{label} ({kind})"),
    "site.count_note": ("{label}（{n}）", "{label} ({n})"),
    "site.stale": ("（数据为{month}）", "(figures of {month})"),
    "site.pdfs": ("打印版", "Printable versions"),
    "site.pdf_panel": ("公示展板", "Wall panel"),
    "site.pdf_sheets": ("重点项目情况表", "Project sheets"),
    "site.pdf_bulletin": ("进度排名通报", "Ranking and bulletin"),
    "site.no_pdfs": (
        "打印版只随当月公示发布，本页所示月份没有打印版。",
        "Printable versions are published with the current month only; this month has none.",
    ),
    "site.bulletin_pdf_link": ("下载{month}通报（PDF）", "Download the bulletin of {month} (PDF)"),
    "site.board_json": ("本月公示数据", "The board's data"),
    "site.latest_json": ("最新一期公示数据", "The latest board's data"),
    "site.csv": ("项目一览表", "All projects, one line each"),
    "site.feed": ("按月订阅", "Monthly feed"),
    "site.bulletin_of": ("{month}进度排名通报", "Ranking and bulletin, {month}"),
    "site.permalink_note": (
        "本页是{month}的公示，发布后保持不变。",
        "This is the board of {month} as published; this page does not change.",
    ),
    "site.filter": ("筛选和排序", "Filter and sort"),
    "site.all": ("全部", "All"),
    "site.reset": ("重置", "Reset"),
    "site.showing": ("显示{shown}个项目，共{total}个", "Showing {shown} of {total} projects"),
    "site.sort_hint": (
        "点击表头可按该列排序，再点一次倒序。",
        "Select a column heading to sort by it; select it again to reverse.",
    ),
    "site.board_caption": (
        "{month}重点项目建设进度（{n}个项目）",
        "Progress of the key projects, {month} ({n} projects)",
    ),
    "site.bar_legend": (
        "进度条：蓝色为实际进度，黑色竖线为计划进度。",
        "Bar: blue is the actual progress, the black line the planned progress.",
    ),
    "site.facts": ("项目信息", "About the project"),
    "site.points": ("个百分点", "percentage points"),
    "site.done_on": ("完成于", "done on"),
    "site.no_milestones": ("尚未录入责任清单。", "No responsibilities or schedule entered yet."),
    "site.milestones_caption": (
        "{name}的责任清单和进度清单（截至{date}）",
        "Responsibilities and schedule of {name} (as of {date})",
    ),
    "site.history_caption": ("{name}历月进度", "Monthly history of {name}"),
    "site.chart_title": ("{name}：计划进度与实际进度", "{name}: planned against actual progress"),
    "site.chart_desc_item": (
        "{month}计划{planned}%，实际{actual}",
        "{month}: planned {planned}%, actual {actual}",
    ),
    "site.chart_caption": (
        "虚线方块为计划进度，实线圆点为实际进度；各月数字见下方历月进度表。",
        "Dashed line with squares: planned; solid line with dots: actual. The figures are in the monthly history below.",
    ),
    "site.ranking_caption": (
        "{month}重点项目进度排名",
        "Progress ranking of the key projects, {month}",
    ),
    "site.archive_intro": (
        "每月的公示发布后保持不变，可随时查阅。",
        "Each month's board stays as it was published.",
    ),
    "site.archive_caption": ("历史公示（{n}个月）", "Past boards ({n} months)"),
    "site.embed_more": ("查看详情", "Full board and project details"),
    "site.sort": ("排序", "Sort by"),
    "site.board_order": ("公示顺序", "Board order"),
    "site.ascending": ("{label}（升序）", "{label}, ascending"),
    "site.descending": ("{label}（降序）", "{label}, descending"),
    # office cycle, the review page (board diff --format md: docs/office-cycle.md)
    "diff.signoff": ("审阅意见", "Review"),
    "diff.reviewer": ("审阅人", "Reviewed by"),
    "diff.signed_on": ("日期", "Date"),
    # office cycle, the workbook's settings sheet 设置 (board template / import)
    "xlsx.setting": ("设置项", "Setting"),
    "xlsx.key": ("字段", "Field"),
    "xlsx.value": ("值", "Value"),
    # -- messages the tool prints (see Msg below); one entry per message, never a fragment --
    "msg.cli.failed_content": (
        "失败：{errors}个错误，{warnings}个警告；未写入任何文件",
        "failed: {errors} errors, {warnings} warnings; nothing was written",
    ),
    # -- issue 12: nothing lost (output folder, published months, limits, serve) --
    #
    # -- issue 13: one truth (legend, facts, print pagination, glyph check) --
    #
    # -- issue 14: Chinese first (every message of load, validate, import, cli) --
    #
    # -- issue 15: photos and investment --
    "annual_investment": ("年度计划投资（万元）", "Planned investment this year (10k CNY)"),
    "invested_year": ("本年完成投资（万元）", "Invested this year (10k CNY)"),
    "investment_rate": ("完成率（占年度计划%）", "Share of the year's plan (%)"),
    "photos": ("形象进度照片", "Site photos"),
    "photo_history": ("历月形象进度", "Site photos by month"),
    "photo.taken": ("拍摄于{date}", "taken {date}"),
    "photo.of_month": ("{month}形象进度", "Site photos, {month}"),
    "photo.none": ("本月未报送形象进度照片。", "No site photos were sent this month."),
    "photo.new": ("{n}个项目报送了新的形象进度照片", "{n} projects sent new site photos"),
    "screen.photos": ("形象进度", "Site photos"),
    "totals.title": ("全县投资完成情况", "Investment, whole county"),
    "totals.investment": ("总投资", "Total investment"),
    "totals.annual": ("年度计划投资", "Planned this year"),
    "totals.year": ("本年完成投资", "Invested this year"),
    "totals.rate": ("完成率", "Share of plan"),
    "totals.invested": ("累计完成投资", "Invested to date"),
    "totals.yi": ("{amount}亿元", "{amount} 100M CNY"),
    "totals.wan": ("{amount}万元", "{amount} 10k CNY"),
    "print.bulletin_totals": (
        "全县{n}个重点项目，总投资{investment}亿元，年度计划投资{annual}亿元，{months}完成投资{year}亿元，占年度计划的{rate}%。",
        "The county's {n} key projects: total investment {investment} 100M CNY, planned for the year {annual} 100M CNY, invested in {months} {year} 100M CNY, {rate}% of the year's plan.",
    ),
    "print.months_to": ("1-{month}月", "January to {month}"),  # zh: 9; en: September
    "print.month_only": ("{month}月", "{month}"),
    "print.totals_line": (
        "总投资{investment}亿元 · 年度计划投资{annual}亿元 · {months}完成投资{year}亿元（{rate}%）",
        "Total {investment} · planned this year {annual} · invested {months} {year} ({rate}%), 100M CNY",
    ),
    "xlsx.photos": ("照片文件", "Photo files"),
    "xlsx.year": ("年度", "Year"),
    "msg.invest.plan_shape": (
        "年度计划投资应按“年份: 金额（万元）”逐行填写，如 2020: 5000，现为{found}",
        "expected year: amount (10k CNY) lines such as 2020: 5000, got {found}",
    ),
    "msg.invest.plan_year": (
        "年度计划投资的年份应为四位年份，如 2020，现为{found}",
        "expected a four-digit year such as 2020 as the key, got {found}",
    ),
    "msg.invest.year_above_invested": (
        "本年完成投资{year}万元超过累计完成投资{invested}万元",
        "invested this year ({year}) is above the amount invested to date ({invested})",
    ),
    "msg.invest.year_above_invested_hint": (
        "本年完成投资是累计完成投资的一部分，请核对两项数字",
        "the year's amount is part of the amount to date; check both figures",
    ),
    "msg.invest.above_total": (
        "累计完成投资{invested}万元超过总投资{total}万元的{factor}倍",
        "invested to date ({invested}) is more than {factor} times the total investment ({total})",
    ),
    "msg.invest.above_total_hint": (
        "请核对单位是否都是万元",
        "check that both amounts are in 万元 (10k CNY)",
    ),
    "msg.invest.year_outside": (
        "年度计划投资的年份{year}不在项目建设期（{start}年至{end}年）内",
        "the year {year} is outside the project's years ({start} to {end})",
    ),
    "msg.invest.year_outside_hint": (
        "请核对年份，或核对开工时间和完成时限",
        "check the year, or the start and deadline",
    ),
    "msg.photo.outside": (
        "照片{file}不在登记册的 photos/ 文件夹内",
        "the photo {file} is not inside the register's photos/ folder",
    ),
    "msg.photo.outside_hint": (
        "把照片放到 photos/ 下（如 photos/2020-09/项目编号-1.jpg），路径从登记册文件夹写起",
        "put it under photos/ (such as photos/2020-09/beiqu-wushui-1.jpg), written from the register's folder",
    ),
    "msg.photo.extension": (
        "照片{file}的扩展名应为 .jpg、.jpeg、.png 或 .webp，现为{ext}",
        "expected a photo file ending .jpg, .jpeg, .png or .webp, got {file} ({ext})",
    ),
    "msg.photo.extension_hint": (
        "用手机或相机拍的照片一般是 .jpg",
        "phone and camera photos are usually .jpg",
    ),
    "msg.photo.symlink": (
        "照片{file}是符号链接（快捷方式），不予读取",
        "the photo {file} is a symbolic link, which is not followed",
    ),
    "msg.photo.symlink_hint": (
        "把照片文件本身复制到 photos/ 下",
        "copy the photo file itself under photos/",
    ),
    "msg.photo.missing": ("找不到照片文件{file}", "the photo file {file} does not exist"),
    "msg.photo.missing_hint": (
        "检查文件名（含扩展名和大小写）和所在文件夹",
        "check the file name (extension and case too) and its folder",
    ),
    "msg.photo.too_big": (
        "照片{file}有{size}字节，超过上限{limit}字节",
        "the photo {file} is {size} bytes, more than the limit of {limit}",
    ),
    "msg.photo.too_many_pixels": (
        "照片{file}的尺寸为{pixels}像素，超过上限{limit}像素",
        "the photo {file} is {pixels} pixels, more than the limit of {limit}",
    ),
    "msg.photo.resize_hint": (
        "把照片缩小后再放入（长边4000像素已足够）",
        "make it smaller first (4000 pixels on the long side is plenty)",
    ),
    "msg.photo.broken": (
        "照片{file}已损坏或不完整，无法读取",
        "the photo {file} is broken or cut short and cannot be read",
    ),
    "msg.photo.broken_hint": (
        "重新从原始照片复制一份",
        "copy it again from the original",
    ),
    "msg.photo.wrong_extension": (
        "照片{file}的内容是{found}格式，与扩展名{ext}不符",
        "the photo {file} is a {found} image, not what its extension {ext} says",
    ),
    "msg.photo.wrong_extension_hint": (
        "把扩展名改为{ext}",
        "rename it to end with {ext}",
    ),
    "msg.photo.animated": (
        "照片{file}是多帧动画图片，只接受单张照片",
        "the photo {file} is animated; only still photos are accepted",
    ),
    "msg.photo.too_many": (
        "本月报送了{n}张照片，每个项目每月最多{limit}张",
        "{n} photos in one month; at most {limit} per project per month",
    ),
    "msg.photo.too_many_hint": (
        "选出最能反映形象进度的{limit}张",
        "choose the {limit} that show the progress best",
    ),
    "msg.photo.misdated": (
        "照片{file}拍摄于{taken}，不在{month}报告的拍摄时段（{earliest}至{latest}）内",
        "the photo {file} was taken on {taken}, outside the window of the {month} report ({earliest} to {latest})",
    ),
    "msg.photo.misdated_hint": (
        "每月应报送本月新拍的照片；往月照片不能反映当前形象进度",
        "send photos taken this month; an old photo does not show the works as they are",
    ),
    "msg.photo.reused": (
        "照片{file}（{month}）与{first_month}报送的{first_file}是同一张照片",
        "the photo {file} ({month}) is the same photo as {first_file}, sent in {first_month}",
    ),
    "msg.photo.reused_hint": (
        "重复使用往月照片常用来掩盖停工，请报送本月新拍的照片",
        "a photo sent again is the commonest way a stalled site pretends to move; send a new one",
    ),
    "msg.photo.shape": (
        "形象进度照片应为文件列表（每行以“- ”开头），现为{found}",
        "expected a list of photo files (lines starting with '- '), got {found}",
    ),
    # -- issue 16: the bulletin as a 公文, Word copies --
    #
}

MONTH_FORMAT = {"zh-CN": "{year}年{month}月", "en": "{name} {year}"}
DATE_FORMAT = {"zh-CN": "{year}年{month}月{day}日", "en": "{day} {name} {year}"}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def translator(language: str) -> Callable[[str], str]:
    """`t(key)` for one language; an unknown key raises KeyError so templates cannot misspell."""
    index = LANGUAGES.index(language)

    def t(key: str) -> str:
        return MESSAGES[key][index]

    return t


def label(key: str) -> str:
    """The zh-CN label of a field, as error messages show it beside the field's name."""
    entry = MESSAGES.get(key)
    return entry[0] if entry else ""


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


def use_language(language: str) -> None:
    """Show every message from now on in `language` (the CLI calls this once per command)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    _language.set(language)


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
        template = MESSAGES[self.key][LANGUAGES.index(language)]
        values = {
            name: value.text(language) if isinstance(value, Msg) else value
            for name, value in self.params
        }
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.text()


def words(message: Msg | str, language: str | None = None) -> str:
    """A message in words; plain text (a value quoted from the register) is shown as it is."""
    return message.text(language) if isinstance(message, Msg) else message
