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
    disclosure: bool = False,
) -> Path:
    """Write a register of `projects` projects and `months` monthly reports into `folder`.

    With `disclosure`, every project has a 项目统一代码 and a `disclosure:` section (issue 24)
    of all eight categories, a few of its items published late or not yet published.
    """
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
            f"  - task: 主体工程完工\n    owner: {place}建设投资有限公司\n    due: {deadline}\n"
            + (_disclosure(i, start, place, long_texts) if disclosure else ""),
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


def _disclosure(i: int, start: date, place: str, long_texts: bool) -> str:
    """A project's code and `disclosure:` section (issue 24): all eight categories, dated
    around its start; every fifth project has an item not yet published (overdue by the
    reports' months) and every seventh one published late."""
    company = f"{place}示范建设工程有限公司"
    if long_texts:
        company = f"{place}{LONG}示范建设工程有限公司"
    d = [date.fromordinal(start.toordinal() - 120 + 9 * k) for k in range(12)]
    late = d[5] if i % 7 else date.fromordinal(d[4].toordinal() + 60)
    lines = [
        f"code: {start.year}-130499-48-01-{i + 1:06d}",
        "disclosure:",
        "  approval_service:",
        "    - item: 政府投资项目审批办事指南",
        f"      formed: {d[0]}",
        f"      published: {d[1]}",
        "      publisher: 县发展和改革局",
        "      channel: 县政府门户网站",
        "      link: https://www.example.gov.cn/fgj/bszn/zftzxm.html",
        "  approval_result:",
        "    - item: 可行性研究报告批复",
        f"      number: 县发改审批〔{d[1].year}〕{i + 1}号",
        f"      formed: {d[1]}",
        f"      published: {d[2]}",
        "      approver: 县发展和改革局",
        "    - item: 建筑工程施工许可证",
        f"      number: 1304992019{i + 1:08d}",
        f"      formed: {d[3]}",
        f"      published: {d[3]}",
        "      licensing: true",
        "      approver: 县住房和城乡建设局",
        "  bidding:",
        "    - item: 施工中标结果公示",
        f"      number: QXZB-{d[2].year}-{i + 1:04d}",
        f"      formed: {d[2]}",
        f"      published: {d[3]}",
        f"      winner: {company}",
        f"      amount: {1000 + 37 * i}",
        "  land:",
        "    not_applicable: 使用存量国有建设用地，不涉及征收土地",
        "  design_change:",
        "    - item: 局部调整建筑平面布置",
        f"      formed: {d[4]}",
        f"      published: {late}",
        "      approver: 县发展和改革局",
        "      reason: 优化使用功能",
        "  construction:",
        "    - item: 项目法人单位及主要负责人",
        "      role: legal_person",
        f"      company: {place}建设投资有限公司",
        f"      head: {SURNAMES[i % len(SURNAMES)]}{GIVEN[(i + 3) % len(GIVEN)]}",
        f"      formed: {d[1]}",
        f"      published: {d[2]}",
        "    - item: 施工单位及项目经理",
        "      role: construction",
        f"      company: {company}",
        f"      head: {SURNAMES[(i + 5) % len(SURNAMES)]}{GIVEN[(i + 1) % len(GIVEN)]}",
        f"      manager: {SURNAMES[(i + 7) % len(SURNAMES)]}{GIVEN[(i + 2) % len(GIVEN)]}",
        "      qualification: 建筑工程施工总承包二级",
        f"      formed: {d[3]}",
        f"      published: {d[4]}",
        "    - item: 监理单位及总监理工程师",
        "      role: supervision",
        "      company: 正衡工程监理咨询有限公司",
        f"      manager: {SURNAMES[(i + 9) % len(SURNAMES)]}{GIVEN[(i + 4) % len(GIVEN)]}",
        f"      formed: {d[3]}",
        f"      published: {d[4]}",
        "  quality_safety:",
        "    - item: 质量安全监督机构及联系方式",
        "      agency: 县建设工程质量安全监督站",
        "      phone: 0310-7216688",
        f"      formed: {d[3]}",
        f"      published: {d[5]}",
        "  completion:",
        "    - item: 分部工程验收（地基与基础）",
        f"      formed: {d[6]}",
    ]
    if i % 5:
        lines.append(f"      published: {d[7]}")
    lines.append("      result: 合格")
    return "\n".join(lines) + "\n"
