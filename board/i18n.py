"""The one message catalog: every label of every output, in zh-CN and en.

The zh-CN labels are the words of the source speech (see shared/seed/DOMAIN.md). Templates
look labels up with `t('key')`; a missing key fails the build.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextvars import ContextVar, Token
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
    "print.bulletin_heading": (
        "关于{month}全县重点项目建设进度情况的通报",
        "Bulletin on the progress of the key projects, {month}",
    ),
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
        "失败：{errors}，{warnings}；未写入任何文件",
        "failed: {errors}, {warnings}; nothing was written",
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
    "legend": ("图例", "Legend"),
    "legend.pct": ("进度：实际/计划", "Progress: actual / planned"),
    "actual_planned": ("实际/计划", "Actual / planned"),
    "movement.up": ("▲上升{n}位", "▲ up {n}"),
    "movement.down": ("▼下降{n}位", "▼ down {n}"),
    "movement.same": ("持平", "same"),
    "movement.new": ("新上榜", "new"),
    "movement.completed": ("—", "—"),
    "promise": ("限期赶上情况", "Catch-up promise"),
    "screen.bar_label": (
        "实际进度{actual}%，计划进度{planned}%",
        "Actual {actual}%, planned {planned}%",
    ),
    "print.continued": ("（续）", " (continued)"),
    "print.page_of": ("第{n}页 共{total}页", "page {n} of {total}"),
    "msg.glyph.missing": (
        "字符“{char}”（U+{code}，{name}）在字体（{fonts}）中没有字形，在{output}中会印成空白方框",
        "the character {char} (U+{code}, {name}) has no glyph in the font ({fonts}) and would print as an empty box in {output}",
    ),
    "msg.glyph.missing_hint": (
        "删去或换掉这个字符，或在board.yaml的font:中加入一种有此字形的已安装字体（依次使用，如font: {font}, 其他字体）",
        "remove or replace the character, or add an installed font that has it to font: in board.yaml (a fallback list: font: {font}, OTHER FAMILY)",
    ),
    "msg.glyph.summary": (
        "内容中有{n}个字符在字体中没有字形，打印版会印成空白方框",
        "{n} character(s) of the content have no glyph in the font: the printed outputs would show empty boxes",
    ),
    "msg.glyph.weasyprint": (
        "{output}排版时字体缺少字形：{detail}",
        "{output}: a glyph is missing in the font while laying out: {detail}",
    ),
    "msg.print.failed": ("{output}：生成时出错：{cause}", "{output}: {cause}"),
    "msg.panel.no_fit": (
        "{output}：{total}个项目在{count}块展板上以{size}磅字号仍排不下（有一个项目比整块展板还高）；请选用更大的展板尺寸",
        "{output}: the {total} projects do not fit on {count} panels at {size} pt (a single project is taller than a panel); use a larger panel size",
    ),
    "msg.panel.holds": (
        "{output}：最小字号{size}磅时，一块展板只能排下{total}个项目中的{fit}个；全部排在一块展板上需约{needed}磅",
        "{output}: the panel holds {fit} of the {total} projects at the minimum type size {size} pt; all {total} fit on one panel only at about {needed} pt",
    ),
    "msg.panel.max_panels": (
        "max_panels为{limit}，但{total}个项目在最小字号{size}磅时需要{count}块展板",
        "max_panels is {limit}, but the {total} projects need {count} panels at the minimum type size {size} pt",
    ),
    "msg.panel.max_panels_hint": (
        "允许更多展板、选用更大的展板尺寸，或调低 panel: min_font_pt",
        "allow more panels, choose a larger panel size, or lower panel: min_font_pt",
    ),
    "msg.panel.split": (
        "{total}个项目在最小字号{size}磅时排不进一块展板：{output}分为{pages}块展板",
        "the {total} projects do not fit one panel at the minimum type size {size} pt: {output} is split over {pages} panels",
    ),
    "msg.panel.split_hint": (
        "选用更大的展板尺寸或调低 panel: min_font_pt；设置 panel: max_panels: 1 则作为错误处理",
        "choose a larger panel size or lower panel: min_font_pt; panel: max_panels: 1 makes this an error",
    ),
    # -- issue 14: Chinese first (every message of load, validate, import, cli) --
    "msg.n.error": ("{n}个错误", "{n} error"),
    "msg.n.errors": ("{n}个错误", "{n} errors"),
    "msg.n.warning": ("{n}个警告", "{n} warning"),
    "msg.n.warnings": ("{n}个警告", "{n} warnings"),
    "msg.n.project": ("{n}个项目", "{n} project"),
    "msg.n.projects": ("{n}个项目", "{n} projects"),
    "msg.n.month": ("{n}个月", "{n} month"),
    "msg.n.months": ("{n}个月", "{n} months"),
    "msg.n.file": ("{n}个文件", "{n} file"),
    "msg.n.files": ("{n}个文件", "{n} files"),
    "msg.errors.register": ("登记材料中有{errors}", "{errors} in the register"),
    "msg.errors.workbook": ("工作簿中有{errors}", "{errors} in the workbook"),
    "msg.month.1": ("1月", "January"),
    "msg.month.2": ("2月", "February"),
    "msg.month.3": ("3月", "March"),
    "msg.month.4": ("4月", "April"),
    "msg.month.5": ("5月", "May"),
    "msg.month.6": ("6月", "June"),
    "msg.month.7": ("7月", "July"),
    "msg.month.8": ("8月", "August"),
    "msg.month.9": ("9月", "September"),
    "msg.month.10": ("10月", "October"),
    "msg.month.11": ("11月", "November"),
    "msg.month.12": ("12月", "December"),
    "msg.what.text": ("文字", "text"),
    "msg.what.int": ("整数", "a whole number"),
    "msg.what.percent": ("0到100之间的整数", "a whole percent 0-100"),
    "msg.what.number": ("数字", "a number"),
    "msg.what.money": ("以万元为单位的金额", "an amount in 10k CNY (万元)"),
    "msg.what.date": ("日期（如2020-11-30）", "a date YYYY-MM-DD"),
    "msg.what.month": ("月份（如2020-10）", "a month YYYY-MM"),
    "msg.what.done": ("是、否或完成日期（如2020-11-30）", "true, false or a date YYYY-MM-DD"),
    "msg.what.id": (
        "由小写字母、数字和“-”组成的编号",
        "an id of lowercase letters, digits and '-'",
    ),
    "msg.what.url": (
        "以http://或https://开头的完整网址",
        "an absolute http:// or https:// address",
    ),
    "msg.what.email": ("电子邮箱地址", "an e-mail address"),
    "msg.what.language": ("zh-CN或en", "zh-CN or en"),
    "msg.what.panel_size": (
        "A0、A1、A2、A3或“宽 高”（单位mm，如2400mm 1200mm）",
        "A0, A1, A2, A3 or 'WIDTH HEIGHT' in mm such as 2400mm 1200mm",
    ),
    "msg.what.found_mapping": ("多行“键: 值”", "a mapping (key: value lines)"),
    "msg.what.found_list": ("列表", "a list"),
    "msg.what.mapping": ("“键: 值”形式的内容", "a mapping"),
    "msg.what.board": ("公示设置", "the board's settings"),
    "msg.what.project": ("项目信息", "a project"),
    "msg.what.task": ("一项任务", "a task"),
    "msg.what.report": ("月度报告", "a monthly report"),
    "msg.what.entry": ("项目的月度报告", "a project's report"),
    "msg.expect.text": ("应为文字", "expected text"),
    "msg.expect.id": ("应为编号，如beiqu-wushui", "expected an id such as beiqu-wushui"),
    "msg.expect.date": ("应为日期，如2020-11-30", "expected a date YYYY-MM-DD"),
    "msg.expect.month": ("应为月份，如2020-10", "expected a month YYYY-MM"),
    "msg.expect.percent": ("应为0到100之间的整数", "expected a whole percent 0-100"),
    "msg.expect.mapping": ("应为“键: 值”形式的内容", "expected a mapping"),
    "msg.expect.value": ("应填写", "expected a value"),
    "msg.validate.expected_got": ("应为{what}，现为{value}", "expected {what}, got {value}"),
    "msg.validate.expected_empty": ("应为{what}，现为空", "expected {what}, got an empty value"),
    "msg.validate.expected_quoted": (
        "应为{what}，现为加了引号的文字{value}",
        "expected {what}, got the text {value}",
    ),
    "msg.validate.expected_lines": (
        "应为{what}（多行“键: 值”），现为{value}",
        "expected {what} of key: value lines, got {value}",
    ),
    "msg.validate.invisible": (
        "应为可见的文字，其中有不可见字符{code}{name}",
        "expected visible text, found the invisible character {code}{name}",
    ),
    "msg.validate.too_long": (
        "文字最多{limit}个字，现为{length}个字",
        "expected at most {limit} characters, got {length}",
    ),
    "msg.validate.negative": (
        "应为不小于0的数字，现为{value}",
        "expected a number not below 0, got {value}",
    ),
    "msg.validate.required": ("缺少必填项（{what}）", "required field is missing ({what})"),
    "msg.validate.unknown_key": ("无法识别的键", "unknown key"),
    "msg.validate.range": (
        "应为{low}到{high}之间，现为{value}",
        "expected {low} to {high}, got {value}",
    ),
    "msg.validate.at_least_one": ("应不小于1，现为{value}", "expected 1 or more, got {value}"),
    "msg.validate.night": (
        "应为时段“时:分-时:分”，如22:00-07:00，现为{value}",
        "expected a time range HH:MM-HH:MM such as 22:00-07:00, got {value}",
    ),
    "msg.validate.orientation": (
        "应为landscape（横版）或portrait（竖版），现为{value}",
        "expected landscape or portrait, got {value}",
    ),
    "msg.validate.bleed": (
        "出血应为0mm到20mm之间的长度，如3mm，现为{value}",
        "expected a length in mm from 0mm to 20mm such as 3mm, got {value}",
    ),
    "msg.validate.milestones_list": (
        "应为任务列表（每项以“- ”开头），现为{value}",
        "expected a list of tasks (lines starting with '- '), got {value}",
    ),
    "msg.validate.plan_lines": (
        "应为“月份: 进度”形式的多行，如2020-09: 40，现为{value}",
        "expected month: percent lines such as 2020-09: 40, got {value}",
    ),
    "msg.validate.plan_key": (
        "键应为月份（如2020-09），现为{value}",
        "expected a month YYYY-MM as a key, got {value}",
    ),
    "msg.validate.plan_cumulative": (
        "计划进度是累计数，不应低于{month}的{before}，现为{value}",
        "expected a cumulative percent not below {before} of {month}, got {value}",
    ),
    "msg.validate.id_stem": (
        "编号应与文件名{stem}一致，现为{value}",
        "expected the file name's stem {stem}, got {value}",
    ),
    "msg.validate.deadline_before_start": (
        "完成时限不应早于开工时间{start}，现为{value}",
        "expected a date not before start {start}, got {value}",
    ),
    "msg.validate.month_stem": (
        "月份应与文件名{stem}一致，现为{value}",
        "expected the file name's stem {stem}, got {value}",
    ),
    "msg.validate.unknown_project": (
        "没有这个项目：找不到文件projects/{id}.yaml",
        "unknown project: no file projects/{id}.yaml",
    ),
    "msg.validate.projects_mapping": (
        "应为“项目编号: 该项目的报告”形式的内容，现为{value}",
        "expected a mapping of project id to its report, got {value}",
    ),
    "msg.validate.duplicate_id": (
        "编号{id}重复，{where}也用了这个编号",
        "duplicate id {id}, also used by {where}",
    ),
    "msg.validate.duplicate_report": (
        "{month}的报告重复，{where}里也有",
        "duplicate report for {month}, also in {where}",
    ),
    "msg.warn.percent_lower": (
        "实际进度{value}低于{month}的{before}",
        "{value} is lower than {before} in {month}",
    ),
    "msg.warn.no_entry": (
        "最新一期报告{month}中没有{id}（{name}）",
        "no entry for {id} ({name}) in the latest report {month}",
    ),
    "msg.warn.behind_without_reason": (
        "进度滞后（实际{actual}%，计划{planned}%），未填写滞后原因(reason)",
        "behind plan ({actual}% against {planned}% planned) without reason (滞后原因)",
    ),
    "msg.warn.behind_without_catch_up_by": (
        "进度滞后（实际{actual}%，计划{planned}%），未填写限期赶上(catch_up_by)",
        "behind plan ({actual}% against {planned}% planned) without catch_up_by (限期赶上)",
    ),
    "msg.warn.behind_without_reason_catch_up_by": (
        "进度滞后（实际{actual}%，计划{planned}%），未填写滞后原因(reason)和限期赶上(catch_up_by)",
        "behind plan ({actual}% against {planned}% planned) without reason (滞后原因) and catch_up_by (限期赶上)",
    ),
    "msg.warn.overdue_without_reason": (
        "已超期（实际{actual}%，计划{planned}%），未填写滞后原因(reason)",
        "overdue ({actual}% against {planned}% planned) without reason (滞后原因)",
    ),
    "msg.warn.overdue_without_catch_up_by": (
        "已超期（实际{actual}%，计划{planned}%），未填写限期赶上(catch_up_by)",
        "overdue ({actual}% against {planned}% planned) without catch_up_by (限期赶上)",
    ),
    "msg.warn.overdue_without_reason_catch_up_by": (
        "已超期（实际{actual}%，计划{planned}%），未填写滞后原因(reason)和限期赶上(catch_up_by)",
        "overdue ({actual}% against {planned}% planned) without reason (滞后原因) and catch_up_by (限期赶上)",
    ),
    "msg.warn.leader_projects": (
        "{leader}分包了{n}个项目（{ids}）",
        "{leader} is in charge of {n} projects ({ids})",
    ),
    "msg.hint.fill_or_remove": ("请填写，或删除这一行", "fill it in or remove the line"),
    "msg.hint.fill_in": ("请填写", "fill it in"),
    "msg.hint.invisible": (
        "请删除它；不可见字符会隐藏或打乱公示的内容",
        "remove it; it can hide or reorder what the board shows",
    ),
    "msg.hint.remove_quotes": ("去掉引号", "remove the quotes"),
    "msg.hint.octal": (
        "以0开头的{value}在YAML中可能被当作八进制；请写{fixed}",
        "leading zeros are ambiguous in YAML, where {value} may be read as octal; write {fixed}",
    ),
    "msg.hint.leading_zero": (
        "以0开头的数字含义不明确；请写{fixed}",
        "leading zeros are ambiguous in YAML; write {fixed}",
    ),
    "msg.hint.no_decimals": ("请写整数，不带小数", "write a whole number, without decimals"),
    "msg.hint.no_nan": ("不能填非数字或无穷大", "not-a-number and infinity are not allowed"),
    "msg.hint.no_such_month": ("没有{month}月", "there is no month {month}"),
    "msg.hint.month_has_days": ("{year}年{name}只有{days}天", "{name} has {days} days in {year}"),
    "msg.hint.yes_no_date": (
        "这里应填日期，如2020-11-30；没有日期时删除这一行",
        "a date belongs here, such as 2020-11-30; remove the line if there is none",
    ),
    "msg.hint.date_needs_day": (
        "日期要写到日，如2020-11-30",
        "a date needs its day, such as 2020-11-30",
    ),
    "msg.hint.date_spellings": (
        "可写作2020-11-30、2020.11.30、2020/11/30或2020年11月30日",
        "write it as 2020-11-30, 2020.11.30, 2020/11/30 or 2020年11月30日",
    ),
    "msg.hint.yaml11_bool": (
        "yes/no等词含义不明确；已完成写true，未完成写false",
        "YAML 1.1 words like yes/no are ambiguous; write true or false",
    ),
    "msg.hint.id_ascii": (
        "编号只用英文小写字母、数字和“-”，如beiqu-wushui；项目名称可以写任何文字",
        "ids are plain ASCII such as beiqu-wushui; the name can be any text",
    ),
    "msg.hint.did_you_mean": ("是不是{name}？", "did you mean {name}?"),
    "msg.hint.one_of": ("可用的键：{names}", "expected one of {names}"),
    "msg.hint.plan_line": (
        "每行写“月份: 进度”，如2020-09: 40",
        "each line is month: percent, such as 2020-09: 40",
    ),
    "msg.hint.id_stem": (
        "把文件改名为{value}.yaml，或修改编号",
        "rename the file to {value}.yaml or change the id",
    ),
    "msg.hint.month_stem": (
        "把文件改名为{value}.yaml，或修改月份",
        "rename the file to {value}.yaml or change the month",
    ),
    "msg.hint.image": (
        "把图片放进登记材料的assets/文件夹，写作![说明](assets/name.png)",
        "put the image into the register's assets/ folder and write ![说明](assets/name.png)",
    ),
    "msg.hint.add_project": (
        "请先添加该项目，或核对编号",
        "add the project first, or check the id",
    ),
    "msg.hint.percent_cumulative": (
        "实际进度是累计数；如确需调低，请在存在问题(problems)中说明",
        "the percent is cumulative; explain the correction under problems (存在问题)",
    ),
    "msg.hint.no_entry": (
        "公示上显示为“未报送”，并沿用最后一次报送的数据",
        "the board shows it as 未报送 with its last known figures",
    ),
    "msg.hint.speech_catch_up": (
        "讲话要求：凡是达不到要求的，要说明原因，限期赶上",
        "the speech: 凡是达不到要求的，要说明原因，限期赶上",
    ),
    "msg.hint.speech_leader": (
        "讲话要求：每人分包1—2个重点项目",
        "the speech: 每人分包1—2个重点项目",
    ),
    "msg.markup.image_kind": (
        "图片应为assets/里的图片文件（.png、.jpg、.gif、.webp），现为{src}",
        "expected an image file in assets/ (.png, .jpg, .gif, .webp), got {src}",
    ),
    "msg.markup.image_outside": (
        "图片应在assets/里，{src}指向了assets/之外",
        "expected an image file inside assets/, got {src}, which leads outside it",
    ),
    "msg.markup.image_missing": (
        "assets/里没有图片文件{src}",
        "expected an image file in assets/, found no file {src}",
    ),
    "msg.load.too_big": (
        "文件有{size}字节，超过了{limit}字节的上限",
        "file is {size} bytes, more than the limit of {limit}",
    ),
    "msg.hint.too_big": (
        "请拆分文件，或确认是不是选错了文件",
        "split it, or check that it is the right file",
    ),
    "msg.load.unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "msg.load.not_utf8": (
        "文件不是UTF-8编码，发现字节{byte}",
        "expected UTF-8 text, found byte {byte}",
    ),
    "msg.hint.save_utf8": (
        "请把文件另存为UTF-8编码；不接受老式编辑器保存的GBK/GB2312文件",
        "save the file as UTF-8; GBK/GB2312 files from older editors are not accepted",
    ),
    "msg.load.control": (
        "文字里有控制字符{code}",
        "expected text without control characters, found {code}",
    ),
    "msg.hint.control": (
        "请删除它；它看不见，多半是从其他软件复制时带进来的",
        "remove it; it is invisible and often comes from copying out of other programs",
    ),
    "msg.load.complex_key": (
        "键应为简单文字，这里用了列表或“键: 值”作键",
        "expected a plain key, found a list or mapping as a key",
    ),
    "msg.load.duplicate_key": (
        "键重复，第{line}行已经写过",
        "duplicate key, first given on line {line}",
    ),
    "msg.hint.keep_one": ("只保留一个", "keep one of them"),
    "msg.load.second_document": (
        "一个文件只能有一份内容，“---”之后又出现了第二份",
        "expected one YAML document, found a second one after '---'",
    ),
    "msg.load.alias": ("不允许使用引用{name}", "aliases are not allowed, found {name}"),
    "msg.hint.alias": ("把内容完整写出来", "write the value out in full"),
    "msg.load.anchor": ("不允许使用锚点{name}", "anchors are not allowed, found {name}"),
    "msg.hint.anchor": ("把每个值完整写出来", "write each value out in full"),
    "msg.load.tag": ("不允许使用标签{tag}", "tags are not allowed, found {tag}"),
    "msg.hint.tag": ("删除标签，直接写值", "remove the tag; write plain values"),
    "msg.load.too_deep": ("嵌套超过了{depth}层", "nesting deeper than {depth} levels"),
    "msg.hint.too_deep": (
        "登记材料不会嵌套这么深；请检查缩进",
        "the register never nests this deep; check the indentation",
    ),
    "msg.load.yaml_syntax": ("格式错误：{detail}", "YAML syntax error: {detail}"),
    "msg.hint.yaml_syntax": (
        "请检查缩进，以及每个“键: 值”的英文冒号后是否有空格",
        "check the indentation and that every 'key: value' has a space after the colon",
    ),
    "msg.load.yaml_error": ("文件无法按YAML格式读取{detail}", "YAML error: {detail}"),
    "msg.load.empty": ("文件是空的", "the file is empty"),
    "msg.hint.empty": ("格式见docs/zh-CN/数据格式.md", "see docs/content-format.md"),
    "msg.load.symlink": (
        "这是指向登记材料之外的符号链接，不予读取",
        "symbolic link pointing outside the register is not followed",
    ),
    "msg.hint.symlink": ("请把文件复制到登记材料里", "copy the file into the register instead"),
    "msg.load.no_register": (
        "这里应是含有board.yaml的登记材料文件夹，但什么也没有",
        "expected a register folder with a board.yaml, found nothing",
    ),
    "msg.load.no_board_yaml": (
        "缺少公示设置文件board.yaml",
        "expected the board's settings file board.yaml, found none",
    ),
    "msg.hint.board_yaml": (
        "每份登记材料都有一个board.yaml，写明标题(title)、发布单位(issuer)和监督电话(hotline)",
        "every register has a board.yaml with title, issuer and hotline",
    ),
    "msg.slip.tab": ("缩进里有制表符（Tab）", "a tab in the indentation"),
    "msg.slip.fix_tab": ("用空格缩进，不要用Tab键", "indent with spaces, never with the Tab key"),
    "msg.slip.fullwidth_space": ("缩进里有全角空格", "a fullwidth space in the indentation"),
    "msg.slip.fix_space": (
        "把全角空格改为英文空格",
        "replace the fullwidth space with ordinary spaces",
    ),
    "msg.slip.fullwidth_colon": (
        "{word}后面用了中文冒号“：”",
        "a fullwidth colon '：' after {word}",
    ),
    "msg.slip.fullwidth_colon_key": (
        "{word}后面用了中文冒号“：”，整段“{word}：{value}”被当成了一个键",
        "a fullwidth colon '：' after {word} makes '{word}：{value}' one key",
    ),
    "msg.slip.fix_colon": (
        "把“：”改为英文冒号“: ”（冒号后加一个空格）",
        "replace '：' with an ASCII colon and a space ': '",
    ),
    "msg.slip.fullwidth_comma": (
        "花括号或方括号里用了中文逗号“，”",
        "a fullwidth comma '，' between the items in braces or brackets",
    ),
    "msg.slip.fix_comma": (
        "把“，”改为英文逗号“, ”",
        "replace '，' with an ASCII comma and a space ', '",
    ),
    "msg.slip.unclosed_quote": (
        "引号{quote}没有配对：值的开头有引号，结尾没有",
        "unclosed quote {quote}: the value opens it and never closes it",
    ),
    "msg.slip.fix_quote": (
        "在值的末尾补上{quote}，或删除开头的{quote}",
        "add {quote} at the end of the value, or remove the opening {quote}",
    ),
    "msg.slip.missing_colon": ("{word}后面缺少英文冒号“:”", "missing colon after {word}"),
    "msg.slip.fix_missing_colon": ("写作“{word}: {value}”", "write '{word}: {value}'"),
    "msg.slip.chinese_quotes": (
        "值的两边有中文引号“”，公示上会原样显示引号",
        "the value is wrapped in Chinese quotes “”, which the board would show as they are",
    ),
    "msg.slip.fix_chinese_quotes": (
        '不需要引号就删除；整段需要加引号时用英文引号""',
        'remove them; if the value needs quoting, use ASCII quotes ""',
    ),
    "msg.xlsx.merged": ("表格里不能有合并单元格", "merged cells are not allowed in the table"),
    "msg.xlsx.fix_merged": ("取消合并，每个单元格分别填写", "unmerge them and fill in each cell"),
    "msg.xlsx.header_empty": (
        "数据上方缺少列名",
        "expected a column header above the data, got an empty cell",
    ),
    "msg.xlsx.headers_one_of": ("可用的列名：{names}", "expected one of {names}"),
    "msg.xlsx.unknown_header": ("无法识别的列名{header}", "unknown column header {header}"),
    "msg.xlsx.duplicate_column": (
        "{header}列重复，第{column}列也是",
        "duplicate column {header}, also in column {column}",
    ),
    "msg.xlsx.missing_column": ("缺少{header}列", "missing column {header}"),
    "msg.xlsx.needs_columns": (
        "第{row}行的列名中必须有：{names}",
        "the header row {row} needs the columns {names}",
    ),
    "msg.xlsx.no_file": ("找不到这个文件", "no such file"),
    "msg.xlsx.not_xlsx": ("不是.xlsx工作簿", "not an .xlsx workbook"),
    "msg.xlsx.unreadable": ("无法读取工作簿：{reason}", "cannot read the workbook: {reason}"),
    "msg.xlsx.fix_unreadable": (
        "请在Excel或WPS中另存为Excel工作簿（.xlsx）；不读取.xls和.et文件",
        "save it as an Excel workbook (.xlsx) from Excel or WPS; .xls and .et files are not read",
    ),
    "msg.xlsx.unexpected_sheet": ("多余的工作表", "unexpected sheet"),
    "msg.xlsx.fix_sheet": (
        "工作簿里只应有这些工作表：{names}；请删除它，或把其中的数据移到这些表里",
        "expected only the sheets {names}; delete it or move its data into one of them",
    ),
    "msg.xlsx.no_report_sheet": (
        "{names}中没有{month}的报告表",
        "no report sheet for {month} among {names}",
    ),
    "msg.xlsx.second_report": (
        "{month}的报告重复，工作表{sheet}里也有",
        "a second report for {month}, also in sheet {sheet}",
    ),
    "msg.xlsx.fix_second_report": ("每个月只保留一张报告表", "keep one report sheet per month"),
    "msg.xlsx.no_sheet": (
        "没有可导入的工作表：应有{names}或{last}",
        "no sheet to import: expected {names} or {last}",
    ),
    "msg.xlsx.fix_no_sheet": (
        "请用board template生成工作簿",
        "make the workbook with board template",
    ),
    "msg.xlsx.month_disagrees": (
        "这张表是{month}的报告，命令中却写了--month {given}",
        "the sheet is the report for {month}, but --month {given} was given",
    ),
    "msg.xlsx.fix_month_disagrees": (
        "请改正单元格或--month",
        "correct the cell or the --month option",
    ),
    "msg.xlsx.month_empty": (
        "应填写报告月份（如2020-10），现为空",
        "expected the report's month YYYY-MM, got an empty cell",
    ),
    "msg.xlsx.fix_month_empty": (
        "请填写，或在命令中用--month写明月份",
        "fill it in, or give the month with --month",
    ),
    "msg.xlsx.month_missing": (
        "B1单元格和--month都没有写明报告月份",
        "expected the report's month in cell B1 or with --month, found neither",
    ),
    "msg.xlsx.empty_cell": ("应为{what}，现为空单元格", "expected {what}, got an empty cell"),
    "msg.xlsx.file_has_errors": (
        "无法更新这个文件：它本身有错误",
        "cannot update this file: it has errors of its own",
    ),
    "msg.xlsx.fix_file_has_errors": (
        "请先运行board check并改正",
        "run board check and fix it first",
    ),
    "msg.xlsx.unknown_project": (
        "没有项目{id}：{sheet}表和{folder}里都没有",
        "unknown project {id}: not in sheet {sheet} nor in {folder}",
    ),
    "msg.xlsx.add_project": ("请先在{sheet}表中添加", "add it to sheet {sheet} first"),
    "msg.xlsx.duplicate_id": (
        "编号{id}重复，第{row}行也有",
        "duplicate id {id}, also on row {row}",
    ),
    "msg.xlsx.one_row_report": (
        "每个项目在月度报告中只占一行",
        "each project has one row in a month's report",
    ),
    "msg.xlsx.one_row": ("每个项目只占一行", "each project has one row"),
    "msg.xlsx.unknown_setting": ("无法识别的设置项{setting}", "unknown setting {setting}"),
    "msg.xlsx.a_setting": ("设置项", "a setting"),
    "msg.xlsx.settings_are": ("可用的设置项：{names}", "the settings are {names}"),
    "msg.xlsx.set_twice": (
        "{setting}设置了两次，第{row}行也有",
        "{setting} is set twice, also on row {row}",
    ),
    "msg.xlsx.in_written_file": (
        "{message}（在导入后将写成的文件中）",
        "{message} (in the file as the import would write it)",
    ),
    "msg.xlsx.exists_changed": ("文件已存在，工作簿会修改它", "exists and the workbook changes it"),
    "msg.xlsx.fix_exists_changed": (
        "加上--update再运行一次即可替换；替换前会先列出改动",
        "run again with --update to replace it; the changes are shown first",
    ),
    "msg.import.wrote": (
        "已写入：新建{created}个文件，更新{updated}个，{unchanged}个未变，{warnings}",
        "wrote {created} new and {updated} updated files, {unchanged} unchanged, {warnings}",
    ),
    "msg.import.would_write": (
        "将会写入：新建{created}个文件，更新{updated}个，{unchanged}个未变，{warnings}（本次未写入）",
        "would write {created} new and {updated} updated files, {unchanged} unchanged, {warnings}",
    ),
    "msg.import.failed": (
        "失败：{errors}；未写入任何文件",
        "failed: {errors}; nothing was written",
    ),
    "msg.errors.no_report": (
        "没有{month}的报告（现有报告：{known}）",
        "there is no report for {month} (reports: {known})",
    ),
    "msg.errors.no_report_none": (
        "没有{month}的报告（还没有任何报告）",
        "there is no report for {month} (reports: none)",
    ),
    "msg.build.built": (
        "已生成{month}：{projects}，{months}，{files}，{warnings}，用时{seconds}秒 → {out}",
        "built {month}: {projects}, {months}, {files}, {warnings} in {seconds} s → {out}",
    ),
    "msg.build.built_reused": (
        "已生成{month}：{projects}，{months}，{files}（其中{reused}个沿用上次的结果），{warnings}，用时{seconds}秒 → {out}",
        "built {month}: {projects}, {months}, {files}, {reused} reused, {warnings} in {seconds} s → {out}",
    ),
    "msg.build.up_to_date": (
        "{month}已是最新：{projects}，{months}，{warnings}；内容没有变化，用时{seconds}秒 → {out}",
        "up to date {month}: {projects}, {months}, {warnings}; nothing changed in {seconds} s → {out}",
    ),
    "msg.build.pdf_no_header": ("没有PDF文件头", "no PDF header"),
    "msg.build.pdf_no_trailer": (
        "文件末尾缺少startxref和%%EOF",
        "no startxref and %%EOF at the end",
    ),
    "msg.build.pdf_offset_outside": (
        "交叉引用表的位置{offset}超出了文件",
        "the cross-reference offset {offset} is outside the file",
    ),
    "msg.build.pdf_no_xref": (
        "位置{offset}处没有交叉引用表",
        "no cross-reference section at offset {offset}",
    ),
    "msg.build.incomplete": (
        "生成结果不完整：{name}缺失或为空",
        "the build is incomplete: {name} is missing or empty",
    ),
    "msg.build.damaged": (
        "生成结果已损坏：{name}没有完整写入",
        "the build is damaged: {name} was not written in full",
    ),
    "msg.build.damaged_pdf": (
        "生成结果已损坏：{name}不是完整的PDF（{problem}）",
        "the build is damaged: {name} is not a whole PDF ({problem})",
    ),
    "msg.build.no_harfbuzz_subset": (
        "WeasyPrint没有找到HarfBuzz的字体子集工具：每个PDF要多花约8秒",
        "WeasyPrint did not find HarfBuzz's font subsetter: every PDF takes about 8 s longer",
    ),
    "msg.build.fix_harfbuzz_subset": (
        "请安装：apt-get install libharfbuzz-subset0（./setup.sh会安装）",
        "install it: apt-get install libharfbuzz-subset0 (./setup.sh does)",
    ),
    "msg.build.no_reports": (
        "{folder}：登记材料里还没有月度报告；请先运行board new-month",
        "{folder}: the register has no monthly report yet; run board new-month",
    ),
    "msg.build.no_reports_yet": (
        "登记材料里还没有月度报告；请先运行board new-month",
        "the register has no monthly report yet; run board new-month",
    ),
    "msg.build.clash": ("两个输出写到了同一个路径：{path}", "two outputs on one path: {path}"),
    "msg.write.swap": ("无法把{path}换到位：{reason}", "cannot swap {path} into place: {reason}"),
    "msg.write.not_folder": ("{path}已存在，但不是文件夹", "{path} exists and is not a folder"),
    "msg.diff.no_reports": (
        "登记材料里还没有月度报告，无可比较",
        "the register has no monthly report yet; nothing to compare",
    ),
    "msg.diff.nothing_before": (
        "{month}之前没有报告，无法比较",
        "there is no report before {month} to compare it with",
    ),
    "msg.diff.order": (
        "起始月份应早于结束月份，现为{before}和{after}",
        "expected FROM before TO, got {before} and {after}",
    ),
    "msg.newmonth.not_after": (
        "新月份应在最新一期报告{latest}之后，现为{month}",
        "expected a month after the latest report {latest}, got {month}",
    ),
    "msg.newmonth.exists": (
        "{path}已存在；不会覆盖已有文件",
        "{path} already exists; it is never overwritten",
    ),
    "msg.cycle.pending": (
        "这一期报告还在填写中：{n}还没有填写具体进度，暂不计入",
        "still being filled in: {n} without progress text, left out for now",
    ),
    "msg.cycle.pending_hint": (
        "填写完后运行board check；要生成{month}的公示，须先填写完",
        "run board check once it is filled in; {month} can be built when it is complete",
    ),
    "msg.cycle.latest_missing": (
        "{file}还在填写中：上面列出的{n}还没有填写具体进度；填写完再生成，或用--month {before}生成上个月",
        "{file} is still being filled in: the {n} above have no progress text yet; fill them in, or build the month before with --month {before}",
    ),
    "msg.cli.failed": ("失败：{reason}", "failed: {reason}"),
    "msg.cli.check_ok": (
        "检查通过：{projects}，{months}，{warnings}，用时{seconds}秒",
        "ok: {projects}, {months}, {warnings} in {seconds} s",
    ),
    "msg.cli.status_counts": ("共{projects}：{counts}", "{projects}: {counts}"),
    "msg.cli.new_month": (
        "已生成{path}：{projects}，实际进度沿用上一期；请填写具体进度",
        "wrote {path}: {projects}, percent carried over from the last report; fill in 具体进度",
    ),
    "msg.cli.exists": (
        "{path}已存在；请用--out另选文件名，或加--force替换它",
        "{path} already exists; give another --out, or --force to replace it",
    ),
    "msg.cli.wrote": ("已写入{path}", "wrote {path}"),
    "msg.cli.exported": (
        "已写入{path}：{month}的公示表和进度排名",
        "wrote {path}: the board and ranking of {month}",
    ),
    "msg.cli.diff_wrote": ("已写入{path}：{before} → {after}", "wrote {path}: {before} → {after}"),
    "msg.cli.serve_failed": (
        "失败：无法在127.0.0.1:{port}上提供预览：{reason}",
        "failed: cannot serve on 127.0.0.1:{port}: {reason}",
    ),
    "msg.cli.two_registers": (
        "登记材料写了两个不同的位置：{a}和--content {b}；只写一个",
        "two registers given: {a} and --content {b}; give one",
    ),
    "msg.help.board": (
        "生成全县重点项目公示：大厅大屏、展板、情况表、通报和公示网站。\n\n登记材料（默认为./content）包括board.yaml、projects/*.yaml和reports/YYYY-MM.yaml；格式见docs/zh-CN/数据格式.md。",
        "Public boards for a county's key construction projects (重点项目公示).\n\nThe register (default: ./content) holds board.yaml, projects/*.yaml and reports/YYYY-MM.yaml;\nsee docs/content-format.md.",
    ),
    "msg.help.board.verbose": ("显示每个步骤在做什么。", "Show what each stage does."),
    "msg.help.board.lang": (
        "提示信息的语言（默认依次取BOARD_LANG、登记材料的language、zh-CN）。",
        "Language of the messages (default: BOARD_LANG, else the register's language, else zh-CN).",
    ),
    "msg.help.board.version": ("显示版本号并退出。", "Show the version and exit."),
    "msg.help.check": (
        "读取并检查登记材料；列出每个问题及其所在的文件:行:列。",
        "Read and validate the register; print every problem with file:line:col.",
    ),
    "msg.help.check.strict": ("把警告也当作错误。", "Treat warnings as errors."),
    "msg.help.check.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.build": (
        "检查登记材料，生成全部公示内容，一次性发布到--out。",
        "Validate, render every output and publish it atomically to --out.",
    ),
    "msg.help.build.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.build.out_dir": ("发布到的文件夹。", "Folder to publish to."),
    "msg.help.build.month": (
        "要生成的月份（默认：最新一期报告）。",
        "Month to build (default: the latest report).",
    ),
    "msg.help.build.strict": ("把警告也当作错误。", "Treat warnings as errors."),
    "msg.help.build.force": (
        "即使没有变化也全部重新生成。",
        "Render everything even if nothing changed.",
    ),
    "msg.help.status": (
        "在终端里列出本月的进度排名。",
        "Print the month's ranking (进度排名) as a table.",
    ),
    "msg.help.status.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.status.month": (
        "要排名的月份（默认：最新一期报告）。",
        "Month to rank (default: the latest report).",
    ),
    "msg.help.new-month": (
        "根据上一期报告生成reports/YYYY-MM.yaml（实际进度沿用，文字留空待填）。\n\n不会覆盖已有文件。",
        "Scaffold reports/YYYY-MM.yaml from the last report (percent carried over, texts empty).\n\nNever overwrites an existing file.",
    ),
    "msg.help.new-month.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.template": (
        "生成供办公室和各单位在Excel/WPS中填写的工作簿（.xlsx）。\n\n包括说明、项目、责任清单、计划进度和报告工作表，中文列名，带单元格校验。",
        "Write the Excel/WPS workbook the office and the units fill in (.xlsx).\n\nSheets 说明, 项目, 责任清单, 计划进度 and 报告, headers in Chinese, with cell validation.",
    ),
    "msg.help.template.out_file": ("要写入的工作簿。", "The workbook to write."),
    "msg.help.template.from_dir": (
        "用这份登记材料填好工作簿：其中的项目，以及--month那个月的报告表。",
        "Fill it from this register: its projects, and the report for --month.",
    ),
    "msg.help.template.month": (
        "报告表的月份（用--from时默认为最新一期报告的下一个月）。",
        "The report sheet's month (with --from, default: the month after the latest report).",
    ),
    "msg.help.template.all_months": (
        "用--from时：每个月一张报告表（可原样导回）。",
        "With --from: one report sheet for every month (round trip).",
    ),
    "msg.help.template.force": ("--out已存在时替换它。", "Replace --out if it exists."),
    "msg.help.import": (
        "把工作簿（由board template生成，在Excel或WPS中填写）导入登记材料。\n\n一次列出所有问题（工作表!单元格）；整本工作簿都正确才写入。已有文件只在加--update时替换。",
        "Import a workbook (made by board template, filled in Excel or WPS) into the register.\n\nEvery problem is listed at once as sheet!cell; nothing is written unless the whole workbook\nis valid. Existing files are only replaced with --update.",
    ),
    "msg.help.import.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.import.month": (
        "报告的月份，表中没有写明时使用（或从多张报告表中选一张）。",
        "The report's month, when the sheet does not say (or to pick one of several).",
    ),
    "msg.help.import.update": (
        "替换有改动的已有文件；替换前先列出改动。",
        "Replace existing files that change; the changes are shown first.",
    ),
    "msg.help.import.dry_run": (
        "只列出将会有的改动，不写入。",
        "Show what would change; write nothing.",
    ),
    "msg.help.export": (
        "把本月的公示表和进度排名导出为.xlsx，供内部传阅。",
        "Write the month's board and ranking to .xlsx for internal circulation.",
    ),
    "msg.help.export.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.export.month": (
        "要导出的月份（默认：最新一期报告）。",
        "Month to export (default: the latest report).",
    ),
    "msg.help.export.out_file": (
        "要写入的工作簿（默认：board-YYYY-MM.xlsx）。",
        "The workbook to write (default: board-YYYY-MM.xlsx).",
    ),
    "msg.help.export.force": ("--out已存在时替换它。", "Replace --out if it exists."),
    "msg.help.diff": (
        "列出从FROM到TO的变化（默认：上一期和最新一期）。\n\n进度和状态的变化、新增滞后项目、新填的滞后原因、逾期未赶上的承诺、排名变化和未报送的项目：发布前供领导审阅签字。",
        "Show what changed from FROM to TO (default: the previous and the latest month).\n\nPercent and status changes, new delays, reasons added, missed catch-up deadlines, movement\nin the ranking, and projects without a report: what a leader signs off before publishing.",
    ),
    "msg.help.diff.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.diff.fmt": (
        "终端里看的纯文字，或Markdown页面。",
        "Plain text for the terminal, or a Markdown page.",
    ),
    "msg.help.diff.out_file": (
        "写入这个文件，而不是显示在终端里。",
        "Write to this file instead of the terminal.",
    ),
    "msg.help.serve": (
        "生成并在本机预览，内容一改就重新生成并刷新页面。\n\n监视登记材料和模板；内容有错误时在页面和终端里显示，并继续提供上一次成功生成的版本。",
        "Build, serve the output on localhost, rebuild and reload the page on every change.\n\nWatches the register and the templates; a content error is shown in the page and here, and\nthe last good build keeps being served.",
    ),
    "msg.help.serve.content_opt": (
        "登记材料所在的文件夹（默认：./content）。",
        "The register (default: ./content).",
    ),
    "msg.help.serve.out_dir": ("生成到并预览的文件夹。", "Folder to build into and serve."),
    "msg.help.serve.port": ("本机127.0.0.1上的端口。", "Port on 127.0.0.1."),
    "msg.cli.check_failed": ("未通过：{errors}，{warnings}", "failed: {errors}, {warnings}"),
    "msg.serve.unexpected": ("失败：生成时出现意外错误", "failed: unexpected error while building"),
    "msg.serve.still_serving": (
        "继续提供上一次成功生成的版本：{out}",
        "still serving the last good build from {out}",
    ),
    "msg.serve.nothing_built": (
        "还没有生成过：改正这些问题之前，页面上显示的就是这些问题",
        "nothing built yet: the page shows these problems until they are fixed",
    ),
    "msg.serve.serving": (
        "正在预览{out}：{url}（监视{paths}）；按Ctrl-C停止",
        "serving {out} at {url} (watching {paths}); Ctrl-C stops",
    ),
    "msg.serve.changed": ("有改动：{names}；正在重新生成", "changed: {names}; rebuilding"),
    "msg.fonts.no_fc_match": (
        "缺少fc-match（fontconfig）：请安装fontconfig后再生成PDF",
        "fc-match (fontconfig) is missing: install fontconfig to build PDFs",
    ),
    "msg.fonts.not_installed": (
        "没有安装字体“{family}”（fontconfig找不到）",
        'the font "{family}" is not installed (fontconfig found no match)',
    ),
    "msg.fonts.substituted": (
        "没有安装字体“{family}”（fontconfig会改用“{instead}”）；请安装（Debian：fonts-noto-cjk），或修改board.yaml中的font",
        'the font "{family}" is not installed (fontconfig would use "{instead}" instead); install it (Debian: fonts-noto-cjk) or change font: in board.yaml',
    ),
    "msg.fonts.no_family": (
        "board.yaml中的font没有写字体名称",
        "font: in board.yaml names no font family",
    ),
    "msg.fonts.unreadable": (
        "无法读取字体文件{file}{reason}",
        "the font file {file} cannot be read: {reason}",
    ),
    "msg.pdf.no_asset": ("assets/里没有{url}", "{url} does not exist in assets/"),
    "msg.pdf.refused_fetch": (
        "拒绝读取{url}：打印版只读取content/assets/里的文件",
        "refused to fetch {url}: the printed outputs read only files in content/assets/",
    ),
    "msg.write.locked": (
        "另一个生成正在发布到{path}（进程{process}）；请等它结束后再生成",
        "another build is publishing to {path} (process {process}); wait for it to finish and build again",
    ),
    "msg.write.outside": (
        "拒绝写到输出文件夹之外：{name}",
        "refusing to write outside the output: {name}",
    ),
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
    "msg.bulletin.number_pattern": (
        "发文字号格式中只能使用 {{year}}（年）、{{month}}（月）、{{n}}（序号），现为{value}",
        "expected a pattern that uses only {{year}}, {{month}} and {{n}}, got {value}",
    ),
    "msg.bulletin.number_hint": (  # no parameters: shown as it is, braces and all
        "如 县重点办〔{year}〕{n}号",
        "such as 县重点办〔{year}〕{n}号",
    ),
    "msg.bulletin.first_number": (
        "起始序号应为1到9999之间的整数，现为{value}",
        "expected a whole number from 1 to 9999, got {value}",
    ),
    "msg.bulletin.no_font": (
        "字体不能为空，应写字体名称，多个字体用逗号分隔",
        "expected one or more font names separated by commas, got nothing",
    ),
    "msg.bulletin.published_early": (
        "印发日期{day}早于报告月份{month}",
        "expected a date in or after {month}, got {day}",
    ),
    "msg.bulletin.role.title": ("标题", "title"),
    "msg.bulletin.role.body": ("正文", "body"),
    "msg.bulletin.role.hei": ("黑体（一级标题）", "黑体 (first-level headings)"),
    "msg.bulletin.role.kai": ("楷体（二级标题）", "楷体 (second-level headings)"),
    "msg.bulletin.font_substitute": (
        "通报{role}字体“{wanted}”未安装，由“{used}”代替",
        'the bulletin\'s {role} font "{wanted}" is not installed; "{used}" stands in',
    ),
    "msg.bulletin.font_substitute_hint": (
        "安装该字体后重新生成，或在 board.yaml 的 bulletin: {setting} 中只写已安装的字体",
        "install that font and build again, or name only installed fonts in bulletin: {setting}",
    ),
    "msg.bulletin.font_missing": (
        "通报{role}字体（{fonts}）均未安装",
        "none of the bulletin's {role} fonts ({fonts}) is installed",
    ),
    "msg.bulletin.font_missing_hint": (
        "安装其中一种（Debian：fonts-noto-cjk、fonts-arphic-gkai00mp），或修改 board.yaml 的 bulletin: {setting}",
        "install one of them (Debian: fonts-noto-cjk, fonts-arphic-gkai00mp) or change bulletin: {setting} in board.yaml",
    ),
    "msg.review.wrote": (
        "已写入 {path}：{before} → {after}",
        "wrote {path}: {before} → {after}",
    ),
    # the bulletin's parts (print/bulletin-M.pdf and .docx: docs/print.md)
    "print.cc": ("抄送", "Copy to"),
    "print.printed_on": ("{date}印发", "printed {date}"),
    "site.docx_bulletin": ("通报（Word 可编辑版）", "Bulletin (editable Word copy)"),
    "site.bulletin_docx_link": (
        "下载{month}通报（Word 可编辑版）",
        "Download the bulletin of {month} (editable Word copy)",
    ),
    # the sign-off sheet 审阅-M.docx (board diff --format docx: docs/office-cycle.md)
    "review.title": ("{month}公示审阅单", "Sign-off sheet, {month}"),
    "review.compared": ("对比月份：{before} → {after}", "Compared: {before} → {after}"),
    "review.changes": ("本月变化（{n}个项目）", "Changes ({n} projects)"),
    "review.notes": ("情况说明", "Notes"),
    "review.new_delay": ("新增滞后", "newly behind"),
    "review.opinion": ("审阅意见：", "Review:"),
    "review.signature": ("审阅人（签字）：", "Reviewed by (signature):"),
    "review.date": ("日期：　　年　　月　　日", "Date:"),
    # -- issue 26: the county's map (一张图) --
    "msg.what.bool": ("true或false", "true or false"),
    "msg.geo.pair": (
        "应为经度、纬度两个数（先经度后纬度），如 [114.95, 36.38]，现为{value}",
        "expected two numbers, longitude then latitude, such as [114.95, 36.38]; got {value}",
    ),
    "msg.geo.pair_hint": (
        "网络地图坐标拾取器复制的“114.95,36.38”也可以直接填写",
        "the text 114.95,36.38 that a web map's coordinate picker copies is accepted too",
    ),
    "msg.geo.range": (
        "经度应在-180到180之间、纬度应在-90到90之间，现为经度{lng}、纬度{lat}",
        "longitude must lie from -180 to 180 and latitude from -90 to 90; got longitude {lng}, latitude {lat}",
    ),
    "msg.geo.hint_swapped": (
        "经度和纬度可能写反了：先写经度（东经，如114.95），再写纬度（北纬，如36.38）",
        "longitude and latitude seem swapped: write the longitude first (east, e.g. 114.95), then the latitude (north, e.g. 36.38)",
    ),
    "msg.geo.crs": (
        "坐标系应为 wgs84、gcj02 或 bd09，现为{value}",
        "the coordinate system must be wgs84, gcj02 or bd09; got {value}",
    ),
    "msg.geo.crs_hint": (
        "高德、腾讯地图的坐标写 gcj02，百度地图写 bd09，GPS、天地图的坐标写 wgs84（可不写）",
        "gcj02 for coordinates from AMap (高德) or Tencent maps, bd09 for Baidu, wgs84 (the default) for GPS and 天地图",
    ),
    "msg.geo.crs_alone": (
        "写了坐标系，但没有坐标（coordinates）或范围文件（geometry）",
        "a coordinate system is given but no coordinates or geometry file",
    ),
    "msg.geo.both": (
        "坐标（coordinates）和范围文件（geometry）只能写一种",
        "give either coordinates or a geometry file, not both",
    ),
    "msg.geo.both_hint": (
        "点状项目写坐标；道路、管线（线）和园区（面）写范围文件",
        "a project at one point has coordinates; a road or pipeline (a line) or a park (a polygon) has a geometry file",
    ),
    "msg.geo.location_shape": (
        "应为地点名称，或“键: 值”形式的 name、coordinates 等，现为{value}",
        "expected a place name, or a mapping of name, coordinates and so on; got {value}",
    ),
    "msg.geo.asset_path": (
        "应为 assets/ 下的文件（{suffixes}），路径只用英文字母、数字和 . _ - /，如 assets/map/daolu.geojson，现为{value}",
        "expected a file under assets/ ({suffixes}) whose path has only ASCII letters, digits and . _ - /, such as assets/map/road.geojson; got {value}",
    ),
    "msg.geo.asset_outside": (
        "{value}指向 assets/ 文件夹之外",
        "{value} leads outside the assets/ folder",
    ),
    "msg.geo.asset_missing": ("找不到文件{value}", "there is no file {value}"),
    "msg.geo.file_hint": (
        "把文件放进登记材料的 assets/ 文件夹，写从登记材料文件夹算起的路径",
        "put the file in the register's assets/ folder and write its path from the register",
    ),
    "msg.geo.unreadable": ("无法读取{file}：{reason}", "cannot read {file}: {reason}"),
    "msg.geo.invalid": (
        "{file}（{what}）不是有效的GeoJSON：{detail}",
        "{file} ({what}) is not valid GeoJSON: {detail}",
    ),
    "msg.geo.export_hint": (
        "用GIS软件导出为经纬度坐标（WGS84 EPSG:4326 或 CGCS2000 EPSG:4490）的GeoJSON，或用 geojson.io 等工具检查",
        "export GeoJSON in longitude and latitude (WGS84 EPSG:4326 or CGCS2000 EPSG:4490) from the GIS, or check it with a tool such as geojson.io",
    ),
    "msg.geo.what_location": ("项目范围", "the project's place"),
    "msg.geo.what_boundary": ("县界", "the county's outline"),
    "msg.geo.too_big": (
        "文件有{size}字节，超过上限{limit}字节",
        "the file has {size} bytes, more than {limit}",
    ),
    "msg.geo.not_utf8": ("文件不是UTF-8编码", "the file is not UTF-8"),
    "msg.geo.json_syntax": (
        "第{line}行第{col}列不符合JSON格式（{detail}）",
        "line {line}, column {col}: not JSON ({detail})",
    ),
    "msg.geo.bad_object": (
        "{where}应为JSON对象（花括号），现为{value}",
        "{where} must be a JSON object; got {value}",
    ),
    "msg.geo.bad_type": (
        "{where}的 type 应为 {expected} 之一，现为{value}",
        "{where}: type must be one of {expected}; got {value}",
    ),
    "msg.geo.bad_collection": (
        "{where}是 GeometryCollection：请改为同一类的多部件（MultiPoint、MultiLineString 或 MultiPolygon）",
        "{where} is a GeometryCollection: use one multi-part kind instead (MultiPoint, MultiLineString or MultiPolygon)",
    ),
    "msg.geo.bad_missing": ("{where}缺少 {member}", "{where} has no {member}"),
    "msg.geo.bad_feature": ("{where}应为 Feature", "{where} must be a Feature"),
    "msg.geo.bad_position": (
        "{where}应为 [经度, 纬度]，现为{value}",
        "{where} must be a position [longitude, latitude]; got {value}",
    ),
    "msg.geo.bad_metres": (
        "{where}的{value}不是经纬度（像是以米为单位的投影坐标）",
        "{where}: {value} is not longitude and latitude (it looks like projected coordinates in metres)",
    ),
    "msg.geo.bad_list": (
        "{where}应为列表（方括号），现为{value}",
        "{where} must be a list; got {value}",
    ),
    "msg.geo.bad_short": ("{where}至少要有{least}个点", "{where} needs at least {least} positions"),
    "msg.geo.bad_open_ring": (
        "{where}：面的边界首尾两点应相同（闭合）",
        "{where}: a polygon's ring must end where it starts",
    ),
    "msg.geo.bad_too_many": ("点数超过{most}个", "more than {most} positions"),
    "msg.geo.bad_crs": (
        "坐标系{value}不是经纬度坐标",
        "the coordinate reference system {value} is not longitude and latitude",
    ),
    "msg.geo.bad_empty": ("没有任何几何图形", "there is no geometry"),
    "msg.geo.bad_mixed": (
        "点、线、面混在一起（{kinds}）：一个文件只能是其中一类",
        "points, lines and polygons are mixed ({kinds}): a file holds one kind",
    ),
    "msg.geo.area": (
        "东经{west}～{east}、北纬{south}～{north}",
        "longitude {west} to {east}, latitude {south} to {north}",
    ),
    "msg.geo.outside": (
        "项目“{name}”（{id}）的位置 {value} 在县地图范围（{area}）之外",
        "the place of project {name} ({id}), {value}, lies outside the county's map ({area})",
    ),
    "msg.geo.outside_file": (
        "项目“{name}”（{id}）的范围文件{file}有{n}个点在县地图范围（{area}）之外，第一个为 {first}",
        "{n} positions of {file}, the place of project {name} ({id}), lie outside the county's map ({area}); the first is {first}",
    ),
    "msg.geo.hint_gcj02": (
        "这组坐标像是从高德、腾讯等网络地图复制的GCJ-02坐标（偏移约{metres}米）：在 location 下加一行 crs: gcj02",
        "these look like GCJ-02 coordinates copied from a Chinese web map such as AMap (高德) or Tencent (about {metres} m off): add crs: gcj02 under location",
    ),
    "msg.geo.hint_bd09": (
        "这组坐标像是百度地图的BD-09坐标（偏移约{metres}米）：在 location 下加一行 crs: bd09",
        "these look like Baidu (BD-09) coordinates (about {metres} m off): add crs: bd09 under location",
    ),
    "msg.geo.hint_wgs84": (
        "去掉 crs 这一行就在地图范围内（相差约{metres}米）：这组坐标可能已是WGS84坐标（GPS、天地图）",
        "without the crs line it lies on the map ({metres} m away): these may already be WGS84 coordinates (GPS, 天地图)",
    ),
    "msg.geo.hint_outside": (
        "核对坐标（先经度后纬度），或核对 board.yaml 中 map 的范围",
        "check the coordinates (longitude first), or the map's frame in board.yaml",
    ),
    "msg.geo.unplaced": (
        "{n}没有坐标，地图上不显示：{names}",
        "{n} without coordinates, not on the map: {names}",
    ),
    "msg.geo.unplaced_hint": (
        "在项目文件的 location 下写 coordinates: [经度, 纬度]，道路、园区写 geometry: 范围文件（见《县地图》）",
        "add coordinates: [longitude, latitude] under location in the project file, or geometry: a GeoJSON file for a road or a park (docs/map.md)",
    ),
    "msg.map.nothing": (
        "map 中须有底图（image）或县界（boundary）",
        "map needs a base image (image) or the county's outline (boundary)",
    ),
    "msg.map.nothing_hint": (
        "不需要地图时删除整个 map 段",
        "remove the whole map section for no map",
    ),
    "msg.map.image_hint": (
        "底图为 assets/ 下的 PNG 或 SVG 图片，如 assets/map/county.png",
        "the base image is a PNG or SVG file under assets/, such as assets/map/county.png",
    ),
    "msg.map.image_bad": (
        "不是有效的{kind}图片（{detail}）",
        "not a valid {kind} image ({detail})",
    ),
    "msg.map.image_big": ("{file}超过{limit}字节", "{file} is larger than {limit} bytes"),
    "msg.map.image_pixels": (
        "{file}有{width}×{height}像素，超过1亿像素",
        "{file} has {width}×{height} pixels, more than 100 million",
    ),
    "msg.map.svg_unsafe": (
        "SVG底图含有{what}：公示网页上的底图不能含脚本、事件属性、外部链接或实体定义",
        "the SVG contains {what}: a base map on public pages may hold no scripts, event attributes, links out or entities",
    ),
    "msg.map.svg_size": (
        "SVG底图没有 viewBox 或 width、height，无法确定大小",
        "the SVG has no viewBox, nor width and height: its size is unknown",
    ),
    "msg.map.projection": (
        "投影应为 linear（经纬度按比例，默认）或 mercator（网络地图截图），现为{value}",
        "projection must be linear (longitude and latitude in proportion, the default) or mercator (cut from a web map); got {value}",
    ),
    "msg.map.boundary_kind": (
        "{file}是{value}：县界应为面（Polygon 或 MultiPolygon）",
        "{file} is a {value}: the county's outline must be a Polygon or MultiPolygon",
    ),
    "msg.map.frame_without_image": (
        "写了底图的位置，但没有底图（image）",
        "the frame of a base image is given without the image",
    ),
    "msg.map.no_frame": (
        "底图须写明位置：左上角 top_left 和右下角 bottom_right 的经纬度，或两个控制点 control_points",
        "a base image needs its frame: the positions of its corners top_left and bottom_right, or two control_points",
    ),
    "msg.map.frame_hint": (
        "如 top_left: [114.80, 36.48] 和 bottom_right: [115.10, 36.24]（先经度后纬度）",
        "such as top_left: [114.80, 36.48] and bottom_right: [115.10, 36.24] (longitude first)",
    ),
    "msg.map.corner_missing": ("缺少这个角的经纬度", "this corner's position is missing"),
    "msg.map.both_frames": (
        "四角（top_left、bottom_right）和控制点（control_points）只能写一种",
        "give either the corners (top_left, bottom_right) or control_points, not both",
    ),
    "msg.map.corners_order": (
        "左上角（{top_left}）应在右下角（{bottom_right}）的西北方",
        "the top left corner ({top_left}) must lie north-west of the bottom right one ({bottom_right})",
    ),
    "msg.map.control_points": (
        "应为两个控制点，每个写 pixel: [x, y] 和 coordinates: [经度, 纬度]，现为{value}",
        "expected two control points, each with pixel: [x, y] and coordinates: [longitude, latitude]; got {value}",
    ),
    "msg.map.control_degenerate": (
        "按这两个控制点，底图不是上北下南的：两点须东西、南北都不同，且图上的左右、上下与东西、南北一致（只能使用未旋转的底图）",
        "these control points do not describe a north-up image: the two must differ east-west and north-south, in the same directions on the image (unrotated maps only)",
    ),
    "msg.map.pixel": (
        "应为图片上的像素位置 [x, y]（从左上角算起），现为{value}",
        "expected a pixel [x, y] of the image, counted from its top left corner; got {value}",
    ),
    "msg.map.pixel_outside": (
        "像素位置 {value} 在图片（{width}×{height}像素）之外",
        "the pixel {value} lies outside the image ({width}×{height} pixels)",
    ),
    "msg.map.no_approval": (
        "地图没有写审图号（approval）",
        "the map has no approval number (审图号, approval)",
    ),
    "msg.map.no_approval_hint": (
        "公开使用的地图须标注审图号：写上底图的审图号，如 approval: 冀S(2020)012号",
        "a map published in China must show its approval number: add it, e.g. approval: 冀S(2020)012号",
    ),
    "msg.map.panel_without_map": (
        "设置了 panel.map，但 board.yaml 中没有 map，展板上不印地图",
        "panel.map is set but board.yaml has no map: the panel has no inset",
    ),
    "msg.map.panel_without_map_hint": (
        "在 board.yaml 中加上 map 段（见《县地图》）",
        "add a map section to board.yaml (docs/map.md)",
    ),
    "map.title": ("项目分布图", "Project map"),
    "map.overview": ("项目分布", "Where the projects are"),
    "map.approval": ("审图号：{value}", "Map approval number: {value}"),
    "map.source": ("来源：{value}", "Source: {value}"),
    "map.source_foot": ("地图来源：{value}", "Map source: {value}"),
    "map.caption_sep": ("；", "; "),
    "map.numbers": (
        "图中数字为本月进度排名，符号和颜色为项目状态",
        "The numbers on the map are this month's ranking; symbols and colours the status",
    ),
    "map.list_title": ("项目一览（按本月进度排名）", "The projects, by this month's ranking"),
    "map.list_note": (
        "地图上的项目都列在“项目一览”中",
        "Every project on the map is in the list of projects",
    ),
    "map.unplaced": ("未标注位置", "not on the map"),
    "map.open": ("查看项目分布图", "Open the project map"),
    "map.counts": (
        "地图上有{placed}个项目，{unplaced}个项目未标注位置",
        "{placed} projects on the map, {unplaced} without a place",
    ),
    "map.zoom_in": ("放大", "Zoom in"),
    "map.zoom_out": ("缩小", "Zoom out"),
    "map.zoom_reset": ("全图", "Whole map"),
    "map.zoom_hint": ("放大后可拖动地图", "Drag the map to move it when zoomed in"),
    "map.geojson": ("项目位置", "Project places"),
    #
}

# -- the one status legend (issue 13) -------------------------------------------------------------
#
# Every output shows a status the same way: its symbol, its word (the catalog's `status.<key>`)
# and its colour, in this order. The colours are the Okabe-Ito palette (told apart with every
# common colour-blindness; a light neutral grey for 未报送), always under dark text and always
# beside the symbol and the word, so colour is never the only sign. Every symbol is drawn by
# Noto Sans CJK SC (a test checks that): no ✔/✖ (not in the font) and no `?` (reads as a
# missing glyph).
STATUS_ORDER = ("on_track", "behind", "overdue", "completed", "no_report")
STATUS_SYMBOL = {
    "on_track": "●",
    "behind": "◐",
    "overdue": "×",
    "completed": "✓",
    "no_report": "○",
}
STATUS_COLOUR = {
    "on_track": "#56B4E9",  # Okabe-Ito sky blue
    "behind": "#E69F00",  # Okabe-Ito orange
    "overdue": "#D55E00",  # Okabe-Ito vermillion
    "completed": "#009E73",  # Okabe-Ito bluish green
    "no_report": "#C9CED6",  # neutral grey: no data
}
STATUS_INK = "#08111C"  # the text on every status colour (contrast above 4.5:1 on each)
PROMISE_SYMBOL = {"met": "✓", "missed": "×", "pending": "…"}


@dataclass(frozen=True)
class LegendItem:
    """One status as every output shows it."""

    status: str
    symbol: str
    word: str
    colour: str


def status_legend(language: str) -> tuple[LegendItem, ...]:
    """The legend in `language`, in the one order every output uses."""
    t = translator(language)
    return tuple(
        LegendItem(s, STATUS_SYMBOL[s], t(f"status.{s}"), STATUS_COLOUR[s]) for s in STATUS_ORDER
    )


def movement_label(kind: str, movement: int | None, t: Callable[[str], str]) -> str:
    """A ranking movement in words: ▲上升2位, ▼下降1位, 持平, 新上榜, or — for a completed project."""
    if kind == "up":
        return t("movement.up").format(n=movement)
    if kind == "down":
        return t("movement.down").format(n=-(movement or 0))
    return t(f"movement.{kind}")


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


def use_language(language: str) -> Token[str]:
    """Show every message from now on in `language` (the CLI calls this once per command).

    Returns the token that `reset_language` takes to go back to the language before."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return _language.set(language)


def reset_language(token: Token[str]) -> None:
    """Back to the language before `use_language` (main() does, so that tests calling it one
    after the other each start from BOARD_LANG)."""
    _language.reset(token)


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
            name: value.text(language) if hasattr(value, "text") else value
            for name, value in self.params
        }
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.text()


def words(message: Msg | str, language: str | None = None) -> str:
    """A message in words; plain text (a value quoted from the register) is shown as it is."""
    return message.text(language) if hasattr(message, "text") else str(message)


@dataclass(frozen=True)
class Said:
    """Text that exists in both languages but is not a catalog entry: a third-party message
    (PyYAML's, kept verbatim in English) beside the office's wording of it."""

    zh: str
    en: str

    def text(self, language: str | None = None) -> str:
        return self.zh if (language or current_language()) == "zh-CN" else self.en

    def __str__(self) -> str:
        return self.text()


def quoted(value: object) -> Said:
    """A value quoted from the input: “北区” in Chinese, '北区' (Python's repr) in English.
    Invisible characters are escaped in both (repr does), so the message says what is there."""
    shown = repr(str(value))
    return Said(f"“{shown[1:-1]}”", shown)


def counted(n: int, noun: str) -> Msg:
    """`1 error` / `2 errors` / `1个错误`: a count as a catalog message (msg.n.<noun>[s])."""
    return Msg(f"msg.n.{noun}" if n == 1 else f"msg.n.{noun}s", n=n)


def field_head(field: str, language: str | None = None) -> str:
    """A field as a message names it: `deadline (完成时限)` in English; in Chinese the label
    first and the YAML key after it, `完成时限（deadline）`, so the clerk reads the word of the
    workbook and still finds the key in the file."""
    if (language or current_language()) != "zh-CN":
        return field
    m = _FIELD_HEAD.match(field)
    return f"{m.group(2)}（{m.group(1)}）" if m else field


_FIELD_HEAD = re.compile(r"(\S+) \((.+)\)\Z")


def dump_message(message: Any) -> Any:
    """A message as JSON (the build record keeps the warnings of the last build), to be put
    into words again by `load_message` in whatever language is asked for then."""
    if isinstance(message, Msg):
        return {"msg": message.key, "params": {k: dump_message(v) for k, v in message.params}}
    if isinstance(message, Said):
        return {"said": [message.zh, message.en]}
    if isinstance(message, int | float | str) or message is None:
        return message
    return str(message)


def load_message(data: Any) -> Any:
    if isinstance(data, dict) and "msg" in data:
        return Msg(data["msg"], **{k: load_message(v) for k, v in data["params"].items()})
    if isinstance(data, dict) and "said" in data:
        return Said(*data["said"])
    return data
