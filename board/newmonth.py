"""`board new-month`: scaffold the next monthly report from the last one.

Percent is carried over from each project's last known figure; the texts are left empty for the
responsible units to fill in (an empty 具体进度 is an error until they do). Never overwrites.
"""

from __future__ import annotations

import os
from pathlib import Path

from .compute import compute_month
from .errors import BoardError
from .i18n import Msg
from .model import Month
from .validate import check


def scaffold(content_dir: Path | str, month: Month) -> str:
    """The text of the new report for `month`."""
    register, _ = check(content_dir)
    latest = register.latest
    if latest is not None and month <= latest:
        raise BoardError(Msg("msg.newmonth.not_after", latest=latest, month=month))
    board = compute_month(register, latest) if latest is not None else None
    known = {r.project.id: r.actual for r in board.rows} if board else {}
    lines = [
        f"# {month} 月度进度报告：由 board new-month 从 {latest or '空白'} 生成。",
        "# 请各分包单位填写 具体进度(progress)，核实 实际进度(percent)；滞后项目须填写 滞后原因(reason) 和 限期赶上(catch_up_by)。",
        f"month: {month}",
        "projects:",
    ]
    for project in register.projects:
        if not project.on_board(month.last_day):
            continue  # withdrawn (调出), or added later: not on this month's board
        name = " ".join(project.name.split())
        lines += [
            f"  {project.id}:  # {name}",
            f"    percent: {known.get(project.id, 0)}",
            "    progress:",
        ]
    return "\n".join(lines) + "\n"


def new_month(content_dir: Path | str, month: Month) -> tuple[Path, int]:
    """Write `reports/<month>.yaml`; raise BoardError if it exists. Returns the path and count."""
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
    return path, text.count("    percent:")
