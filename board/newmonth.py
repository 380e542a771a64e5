"""`board new-month`: scaffold the next monthly report from the last one.

Each project's last known figures are the starting values: 实际进度 (`percent`) and 累计完成投资
(`invested`), both cumulative, so a month nobody touched does not make the county's totals
collapse. 本年完成投资 (`invested_year`) is left out where the build derives it from `invested`
(compute.year_opening) and asked for, as an empty line, where it cannot be derived. The texts are
left empty for the responsible units to fill in (an empty 具体进度 is an error until they do).
A unit that did not report: its lines are deleted, or `reported: false` is written under it.
Never overwrites.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from .compute import compute_month, year_opening
from .errors import BoardError
from .i18n import Msg
from .model import Month
from .validate import check

# the line that asks for 本年完成投资 where it cannot be derived (counted by `new_month`)
ASK_YEAR = "    invested_year:  # 本年完成投资（万元）：无法由累计完成投资推算，请填写"


def plain_number(value: float) -> str:
    """An amount as YAML takes it back: 9300, 12500.5, 1234567.5 (never 1.23457e+06)."""
    return format(Decimal(repr(value)).normalize(), "f")


def scaffold(content_dir: Path | str, month: Month) -> str:
    """The text of the new report for `month`."""
    register, _ = check(content_dir)
    latest = register.latest
    if latest is not None and month <= latest:
        raise BoardError(Msg("msg.newmonth.not_after", latest=latest, month=month))
    board = compute_month(register, latest) if latest is not None else None
    rows = {r.project.id: r for r in board.rows} if board else {}
    lines = [
        f"# {month} 月度进度报告：由 board new-month 从 {latest or '空白'} 生成。",
        "# 请各分包单位填写 具体进度(progress)，核实 实际进度(percent) 和 累计完成投资(invested，万元)；"
        "滞后项目须填写 滞后原因(reason) 和 限期赶上(catch_up_by)。",
        "# 实际进度和累计完成投资已沿用上一期的数（都是累计数）；本年完成投资由累计完成投资推算，"
        "无法推算的已留出 invested_year 一行待填。",
        "# 本月未报送的项目：删除该项目的整段，或在项目下写一行 reported: false。",
        f"month: {month}",
        "projects:",
    ]
    for project in register.projects:
        if not project.on_board(month.last_day):
            continue  # withdrawn (调出), or added later: not on this month's board
        name = " ".join(project.name.split())
        row = rows.get(project.id)
        lines += [
            f"  {project.id}:  # {name}",
            f"    percent: {row.actual if row else 0}",
        ]
        invested = row.invested if row else None
        if invested is not None:
            lines.append(f"    invested: {plain_number(invested)}")
            history = register.history.get(project.id, ())
            if year_opening(project, history, month) is None:
                lines.append(ASK_YEAR)
        lines.append("    progress:")
    return "\n".join(lines) + "\n"


def new_month(content_dir: Path | str, month: Month) -> tuple[Path, int, int]:
    """Write `reports/<month>.yaml`; raise BoardError if it exists. Returns the path, the count
    of projects, and how many of them are asked for 本年完成投资."""
    content = Path(content_dir)
    path = content / "reports" / f"{month}.yaml"
    if path.exists():
        raise BoardError(Msg("msg.newmonth.exists", path=path))
    text = scaffold(content, month)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise BoardError(Msg("msg.newmonth.exists", path=path)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path, text.count("\n    percent:"), text.count(f"\n{ASK_YEAR}\n")
