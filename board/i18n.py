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
        "本页所示月份没有打印版。",
        "This month has no printable version.",
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
    "msg.out.is_register": (
        "输出文件夹{out}就是登记册本身，发布会删除登记册；请另选输出文件夹，例如 --out output",
        "the output folder {out} is the register itself and publishing would delete it; "
        "choose another --out, such as output",
    ),
    "msg.out.inside_register": (
        "输出文件夹{out}在登记册{content}之内；请把输出放在登记册之外，例如 --out output",
        "the output folder {out} is inside the register {content}; "
        "put the output outside the register, such as --out output",
    ),
    "msg.out.contains_register": (
        "输出文件夹{out}包含登记册{content}，发布会删除登记册；请另选输出文件夹",
        "the output folder {out} contains the register {content} and publishing would delete it; "
        "choose another --out",
    ),
    "msg.out.root": (
        "输出文件夹不能是根目录{out}；请另选一个空文件夹",
        "the output folder cannot be the root folder {out}; choose an empty folder",
    ),
    "msg.out.home": (
        "输出文件夹不能是主目录{out}；请另选一个空文件夹，例如 {out}/output",
        "the output folder cannot be the home folder {out}; choose an empty folder, such as {out}/output",
    ),
    "msg.out.not_folder": (
        "输出位置{out}已存在但不是文件夹；请另选输出文件夹",
        "{out} exists and is not a folder; choose another --out",
    ),
    "msg.out.foreign": (
        "输出文件夹{out}里有其他文件（如{example}），且没有公示输出的标记文件{marker}；"
        "发布会删除这些文件，请另选一个空文件夹或新文件夹",
        "the output folder {out} holds other files (such as {example}) and no board output "
        "marker {marker}; publishing would delete them, so choose an empty or new folder",
    ),
    "msg.out.unreadable": (
        "无法检查输出文件夹{out}：{reason}；原有输出未改动",
        "cannot check the output folder {out}: {reason}; the previous output is untouched",
    ),
    "msg.out.failed": (
        "发布到{out}失败：{path}：{reason}；原有输出未改动",
        "publishing to {out} failed: {path}: {reason}; the previous output is untouched",
    ),
    "msg.load.format_char": (
        "文字中有看不见的格式字符U+{code}（{name}）；请删除",
        "expected visible text, found the invisible format character U+{code} ({name})",
    ),
    "msg.text.format_char": (
        "文字第{at}个字符是看不见的格式字符U+{code}（{name}）；请删除",
        "expected visible text, found the invisible format character U+{code} ({name}) "
        "at character {at}",
    ),
    "msg.text.format_char_hint": (
        "它看不见，却会改变文字的显示或断行，常见于从网页或Word复制的文字",
        "remove it: it is not seen but changes how the text is shown or broken; it often "
        "comes with text copied from web pages or Word",
    ),
    "msg.limit.digits": (
        "应为{what}，现为{digits}位数字，最多{most}位",
        "expected {what}, got a number of {digits} digits (at most {most})",
    ),
    "msg.limit.number": (
        "应为小于{most}的有限数，现为{value}",
        "expected a finite number below {most}, got {value}",
    ),
    "msg.limit.money": (
        "金额（万元）应为有限数，小于1000000000（10亿万元），现为{value}",
        "expected an amount in 10k CNY (万元) that is finite and below 1000000000 (10^9), "
        "got {value}",
    ),
    "msg.limit.money_hint": (
        "金额以万元为单位填写，例如 12500 表示1.25亿元",
        "amounts are written in 万元 (10k CNY): 12500 means 125 million CNY",
    ),
    "msg.limit.year": (
        "年份应在{low}到{high}之间，现为{value}",
        "expected a year from {low} to {high}, got {value}",
    ),
    "msg.limit.panel_size": (
        "展板尺寸应在A4（210mm × 297mm）到10米（10000mm）之间，现为{value}",
        "expected a panel size from A4 (210mm by 297mm) to 10 m (10000mm) a side, got {value}",
    ),
    "msg.limit.panel_size_hint": (
        "写宽和高并带单位mm，例如 2400mm 1200mm，或写A0到A3",
        "write the width and height with the unit mm, such as 2400mm 1200mm, or A0 to A3",
    ),
    "msg.xlsx.too_big": (
        "工作簿解压后有{mb} MB，超过{limit} MB的上限；未读取",
        "the workbook unpacks to {mb} MB, more than the limit of {limit} MB; it was not read",
    ),
    "msg.xlsx.too_large": (
        "工作表用到{rows}行{columns}列，超过{max_rows}行{max_columns}列的上限；未读取",
        "the sheet's used range is {rows} rows by {columns} columns, more than the limit of "
        "{max_rows} rows and {max_columns} columns; it was not read",
    ),
    "msg.xlsx.limit_hint": (
        "删除表格以外的单元格（选中多余的行列后删除），或用 board template 重新生成工作簿",
        "delete the cells outside the table (select the extra rows and columns, delete them), "
        "or make the workbook again with board template",
    ),
    "msg.xlsx.formula": (
        "单元格是公式，没有保存计算结果",
        "the cell holds a formula without a stored value",
    ),
    "msg.xlsx.formula_hint": (
        "在Excel或WPS中打开并保存一次，或复制后选择性粘贴为数值",
        "open and save the workbook in Excel or WPS once, or copy the cells and paste them as values",
    ),
    "msg.xlsx.hidden_sheet": (
        "此工作表是隐藏的，其中的数据照样导入",
        "this sheet is hidden; its data is imported like any other",
    ),
    "msg.xlsx.hidden_rows": (
        "第{rows}行是隐藏的，其中的数据照样导入",
        "rows {rows} are hidden; their data is imported like any other",
    ),
    "msg.load.folder_link": (
        "这是指向{target}的符号链接，不是登记册里的真实文件夹；不予读取",
        "a symbolic link to {target}, not a real folder inside the register; it is not read",
    ),
    "msg.load.folder_not_folder": (
        "应为登记册里的文件夹，现为{kind}；不予读取",
        "expected a folder inside the register, found {kind}; it is not read",
    ),
    "msg.load.folder_hint": (
        "把文件复制到登记册里的真实文件夹中，再删除这个链接或文件",
        "copy the files into a real folder inside the register, and remove the link or file",
    ),
    "msg.load.not_a_file": (
        "应为普通文件，现为{kind}；不予读取",
        "expected a regular file, found {kind}; it is not read",
    ),
    "msg.load.kind_loop": ("一个循环的符号链接", "a symbolic link loop"),
    "msg.load.kind_dangling": ("一个指向不存在文件的符号链接", "a symbolic link to nothing"),
    "msg.load.kind_fifo": ("一个命名管道（FIFO）", "a named pipe (FIFO)"),
    "msg.load.kind_folder": ("一个文件夹", "a folder"),
    "msg.load.kind_file": ("一个文件", "a file"),
    "msg.load.kind_special": ("一个设备或套接字", "a device or socket"),
    # labels of the site's correction notice (更正) and the feed's correction entries
    "site.correction": ("更正", "Correction"),
    "site.correction_note": (
        "{date}更正（第{version}版）",
        "Corrected on {date} (version {version})",
    ),
    "site.correction_earlier": (
        "第{version}版（更正前）",
        "Version {version}, before the correction",
    ),
    "site.correction_title": ("更正：{month}", "Correction: {month}"),
    "site.correction_added": ("新增报告", "report added"),
    "site.correction_removed": ("删除报告", "report removed"),
    #
    # -- issue 13: one truth (legend, facts, print pagination, glyph check) --
    #
    # -- issue 14: Chinese first (every message of load, validate, import, cli) --
    #
    # -- issue 15: photos and investment --
    #
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
