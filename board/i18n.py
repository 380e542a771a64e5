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
