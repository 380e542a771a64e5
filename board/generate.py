"""Synthetic registers of any size, for demos, tests and the benchmark.

`generate_register(folder, projects=40, months=12)` writes a valid register with plausible,
deterministic data (seeded), optionally with very long names and texts.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from .model import Month

PLACES = ["南区", "北区", "骆庄园区", "第四疃镇", "河南疃镇", "城区", "东部新区"]
KINDS = [
    "污水处理厂",
    "标准化厂房",
    "道路改造工程",
    "物流园",
    "中学新校区",
    "供热管网",
    "食品产业园",
    "光伏电站",
]
UNITS = [
    "发改局",
    "工信局",
    "住建局",
    "城管局",
    "交通运输局",
    "自然资源局",
    "第四疃镇人民政府",
    "河南疃镇人民政府",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "志强", "海涛", "红梅", "立新", "文华", "晓东", "秀英", "国庆", "振华"]
LONG = "（含配套道路、给排水、供电、绿化及智能化管理系统等附属工程建设）"
PROGRESS = [
    "主体结构施工中",
    "设备安装调试",
    "完成土方开挖",
    "钢结构吊装完成",
    "内部装修进行中",
    "管网铺设完成过半",
]


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate_register(
    folder: Path | str,
    projects: int = 40,
    months: int = 4,
    first_month: str = "2020-06",
    long_texts: bool = False,
    seed: int = 7,
) -> Path:
    """Write a register of `projects` projects and `months` monthly reports into `folder`."""
    rng = random.Random(seed)
    root = Path(folder)
    (root / "projects").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(parents=True, exist_ok=True)
    (root / "board.yaml").write_text(
        "title: 全县重点项目建设进度公示\nissuer: 县重点项目建设办公室\nhotline: 0310-7212345\n"
        "email: zdxmb@example.gov.cn\nsite_url: https://www.example.gov.cn/zdxm/\n",
        encoding="utf-8",
    )
    start_month = Month.parse(first_month)
    month_list = [start_month]
    for _ in range(months - 1):
        month_list.append(month_list[-1].next())
    leaders = [
        f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[i % len(GIVEN)]}"
        for i in range(max(1, projects // 2 + 1))
    ]
    percents: dict[str, int] = {}
    ids = []
    for i in range(projects):
        pid = f"p{i + 1:04d}"
        ids.append(pid)
        place = PLACES[i % len(PLACES)]
        name = f"{place}{KINDS[i % len(KINDS)]}{'二期' if i % 3 == 0 else ''}项目"
        if long_texts:
            name += LONG
        start = date(2019, 1 + i % 12, 1)
        deadline = date(2021 + i % 2, 1 + (i * 5) % 12, 28)
        (root / "projects" / f"{pid}.yaml").write_text(
            f"id: {pid}\nname: {_yaml_text(name)}\nleader: {leaders[i // 2]}\n"
            f"unit: {UNITS[i % len(UNITS)]}\nstart: {start}\ndeadline: {deadline}\n"
            f"owner: {place}建设投资有限公司\nlocation: {place}\ncategory: 工业\n"
            f"investment: {rng.randint(2000, 90000)}\norder: {i + 1}\n"
            "milestones:\n"
            f"  - task: 完成规划审批\n    owner: {UNITS[i % len(UNITS)]}\n    due: {start.replace(day=20)}\n    done: true\n"
            f"  - task: 主体工程完工\n    owner: {place}建设投资有限公司\n    due: {deadline}\n",
            encoding="utf-8",
        )
        percents[pid] = rng.randint(0, 40)
    for month in month_list:
        lines = [f"month: {month}", "projects:"]
        for pid in ids:
            percents[pid] = min(100, percents[pid] + rng.randint(0, 12))
            text = PROGRESS[rng.randrange(len(PROGRESS))]
            if long_texts:
                text += "，" + "施工单位加派人员设备，实行两班倒作业，确保按期完成年度目标任务" * 2
            lines += [
                f"  {pid}:",
                f"    percent: {percents[pid]}",
                f"    progress: {_yaml_text(text)}",
            ]
            if rng.random() < 0.3:
                lines += ["    reason: 征地拆迁进度慢", f"    catch_up_by: {month.next().last_day}"]
        (root / "reports" / f"{month}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
