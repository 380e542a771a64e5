"""The one message catalog: every label of every output, in zh-CN and en.

The zh-CN labels are the words of the source speech (see shared/seed/DOMAIN.md). Templates
look labels up with `t('key')`; a missing key fails the build.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("zh-CN", "en")

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
    "print.sheets_title": ("重点项目责任清单和进度清单", "Key projects: responsibilities and progress"),
    "print.chart": ("计划进度与实际进度", "Planned against actual progress"),
    "print.own_page": ("项目网页", "Project page"),
    "print.bulletin_title": ("全县重点项目建设进度情况的通报", "Bulletin on the progress of the key projects"),
    "print.bulletin_about": ("关于", "On"),
    "print.bulletin_intro": (
        "现将{month}全县重点项目建设进度情况通报如下。",
        "The progress of the county's key projects in {month} is reported as follows.",
    ),
    "print.section_ranking": ("一、进度排名", "1. Progress ranking"),
    "print.section_behind": ("二、进度滞后和超期项目", "2. Projects behind schedule or overdue"),
    "print.section_missed": ("三、未按期赶上的项目", "3. Catch-up deadlines missed"),
    "print.none_behind": ("本月无进度滞后或超期项目。", "No project is behind schedule or overdue this month."),
    "print.none_missed": ("本月无未按期赶上的项目。", "No catch-up deadline was missed this month."),
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
