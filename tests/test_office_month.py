"""Issue 20's "Done when", the data-and-workflow half: the clerk's month 2020-10 by hand in YAML.

On a copy of the example county, as the Chinese manual says: `board new-month 2020-10`, every
具体进度 filled in, a project exactly 10 points behind plan (the threshold), a completion, a unit
that did not report said with `reported: false` and another left out, a 累计完成投资 line the
clerk deleted by mistake; then check, diff, the sign-off sheet, build and export. Everything the
tool prints is read in Chinese, and every county total of 2020-10 is checked against the sum of
each project's figure, reported this month or carried from its last report, with the words that
say what it covers, in every output that shows it.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.conftest import copy_content
from tests.test_month_zh import Clerk, assert_all_chinese

# what the clerk writes into the scaffold, project by project (None: the lines are deleted)
FILLED = {
    # 85% planned at the end of October: 75 is 10 points behind, the threshold, so 进度滞后
    "beiqu-wushui": {
        "percent": 75,
        "invested": 9800,
        "progress": "格栅、曝气设备安装完成，主管网累计完成11.5公里",
        "reason": "设备供货商产能不足，到货晚于计划",
        "catch_up_by": "2020年12月15日",
    },
    "disituan-lengku": {
        "percent": 100,
        "invested": 8600,
        "progress": "消防验收合格，10月20日投入使用",
    },
    "luozhuang-fangzhi": {
        "percent": 50,
        "progress": "印染车间主体施工至三层",
        "reason": "流动资金贷款到位晚",
        "catch_up_by": "2020-12-31",
    },
    "xian-yiyuan": {"percent": 59, "invested": 10900, "progress": "主体结构施工至地上第12层"},
    "nanqu-changfang": {"reported": False},  # 未报送, said plainly
    "zhijiao-shixun": None,  # 未报送, left out
}
NOT_REPORTED = ("nanqu-changfang", "zhijiao-shixun")
DELETED_INVESTED = "henantuan-daolu"  # the clerk deleted its `invested:` line by mistake
COVERS = "15个项目合计，其中2个未报送项目按最近一次报送的数计入，1个项目未报"
NOTE = f"（本年完成投资为{COVERS}）"


def fill_by_hand(path: Path) -> None:
    """What the clerk does in the editor, line by line, keeping the scaffold's comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    pid = ""
    for line in lines:
        head = re.match(r"  ([a-z0-9-]+):", line)
        if head:
            pid = head.group(1)
        wanted = FILLED.get(pid, {}) if pid in FILLED else {}
        if pid in FILLED and FILLED[pid] is None:
            continue  # the whole project deleted
        if head and wanted.get("reported") is False:
            out += [line, "    reported: false"]
            continue
        key = re.match(r"    (\w+):", line)
        if key and pid == DELETED_INVESTED and key.group(1) == "invested":
            continue
        if key and key.group(1) in ("percent", "invested") and key.group(1) in wanted:
            out.append(f"    {key.group(1)}: {wanted[key.group(1)]}")
            continue
        if key and key.group(1) == "progress" and wanted.get("reported") is not False:
            out.append(f"    progress: {wanted.get('progress', '按计划推进')}")
            out += [f"    {k}: {wanted[k]}" for k in ("reason", "catch_up_by") if k in wanted]
            continue
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def expected_totals(content: Path) -> tuple[float, float]:
    """累计完成投资 and 本年完成投资 of 2020-10, from the files themselves (not from board): each
    project's figure of October, or of its last report when it did not report in October; 本年
    is 累计 minus the year's opening figure, which September gives (累计 − 本年), or 0 for a
    project that started in 2020. The project whose line was deleted has neither."""
    reports = {
        m: yaml.safe_load((content / "reports" / f"{m}.yaml").read_text(encoding="utf-8"))
        for m in ("2020-06", "2020-07", "2020-08", "2020-09", "2020-10")
    }
    invested = year = 0.0
    for path in sorted((content / "projects").glob("*.yaml")):
        pid = path.stem
        start = yaml.safe_load(path.read_text(encoding="utf-8"))["start"]
        history = [reports[m]["projects"][pid] for m in reports if pid in reports[m]["projects"]]
        shown = [e for e in history if e.get("reported") is not False][-1]
        if "invested" not in shown:
            assert pid == DELETED_INVESTED
            continue
        invested += shown["invested"]
        if "invested_year" in shown:
            year += shown["invested_year"]
            continue
        september = reports["2020-09"]["projects"].get(pid, {})
        if "invested_year" in september:
            year += shown["invested"] - (september["invested"] - september["invested_year"])
        else:
            assert str(start) >= "2020", pid  # started this year: all of it is this year's
            year += shown["invested"]
    return invested, year


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return "".join(result.stdout.decode("utf-8").split())


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("BOARD_LANG", raising=False)
    copy_content(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_clerks_month_by_hand_in_yaml(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clerk = Clerk(office, capsys)
    content = office / "content"
    code, lines = clerk.run("board new-month 2020-10")
    assert (code, lines) == (
        0,
        [
            "已生成content/reports/2020-10.yaml：16个项目，实际进度和累计完成投资沿用上一期；请填写具体进度"
        ],
    )
    report = content / "reports" / "2020-10.yaml"
    scaffold = report.read_text(encoding="utf-8")
    # last month's 累计完成投资 is the starting value, as the percent is; nanqu-dianshang did not
    # report in September: its August figures; 本年完成投资 derives from them (no line asked)
    assert (
        "  beiqu-wushui:  # 北区污水处理厂及配套管网工程\n    percent: 74\n    invested: 9300\n"
        in scaffold
    )
    assert "  nanqu-dianshang:" in scaffold and "    percent: 34\n    invested: 2200\n" in scaffold
    assert "invested_year" not in scaffold.split("projects:")[1]

    fill_by_hand(report)
    code, lines = clerk.run("board check")
    assert code == 0, lines
    assert lines[-1].startswith("检查通过：16个项目，5个月，")
    said = "\n".join(lines)
    assert (
        "content/reports/2020-10.yaml:13:3: 警告：projects.nanqu-changfang: 最新一期报告2020-10中"
        "nanqu-changfang（南区标准化厂房建设项目（一期））写明未报送（reported: false）"
        "（公示上显示为“未报送”，并沿用最后一次报送的数据）"
    ) in lines
    assert "最新一期报告2020-10中没有zhijiao-shixun（县职教中心实训楼及学生公寓建设项目）" in said
    assert (
        "警告：累计完成投资（projects.henantuan-daolu.invested）: "
        "累计完成投资未填（上一期2020-09为5300万元）"
    ) in said
    # beiqu-wushui is 10 points behind and says why: no warning for it
    assert "beiqu-wushui" not in said.replace("王建国（常务副县长）分包了3个项目（beiqu-wushui", "")
    # September is published: its warnings in one line, nothing of them above it
    assert "已发布的2020-09有2个警告，加--verbose查看" in lines
    assert "2020-09.yaml" not in said

    code, verbose = clerk.run("board check --verbose")
    september = [line for line in verbose if "reports/2020-09.yaml" in line]
    assert code == 0 and len(september) == 2
    for line in september:
        assert line.endswith(
            "（2020-09已发布，改动会作为更正重新发布；只在数字确有错误时修改，做法见使用手册“更正已发布的月份”）"
        )
        assert "请报送本月新拍的照片" not in line  # advice that would publish a 更正
    code, strict = clerk.run("board check --strict")
    assert code == 1 and not any("2020-09.yaml" in line and "警告" not in line for line in strict)

    code, lines = clerk.run("board diff")
    assert code == 0
    assert (
        lines[2]
        == f"全县1-10月完成投资7.83亿元，累计完成投资10.51亿元 → 10.20亿元（本年完成投资、累计完成投资为{COVERS}）"
    )
    gone = lines.index("本月未报送 (2)")
    assert lines[gone + 1].startswith(
        "  南区标准化厂房建设项目（一期） (张立新（县委副书记）, 工信局): 46% (2020-09)"
    )
    assert lines[gone + 2].startswith(
        "  县职教中心实训楼及学生公寓建设项目 (王建国（常务副县长）, 教育局): 78%"
    )
    fell = lines.index("累计完成投资下降或未填（万元） (1)")
    assert lines[fell + 1] == "  河南疃镇至骆庄园区快速通道改建工程: 5300 → 未填"

    code, lines = clerk.run("board diff --format docx --out 审阅-2020-10.docx")
    assert code == 0 and (office / "审阅-2020-10.docx").is_file()
    sheet = docx_text(office / "审阅-2020-10.docx")
    assert f"累计完成投资10.51亿元 → 10.20亿元（本年完成投资、累计完成投资为{COVERS}）" in sheet
    assert "累计完成投资5300万元 → 未填" in sheet

    code, lines = clerk.run("board build --out output")
    assert code == 0, lines
    assert lines[-1].startswith("已生成2020-10：16个项目，5个月，")
    code, lines = clerk.run("board export --out 公示表-2020-10.xlsx")
    assert code == 0, lines

    # -- the county totals of 2020-10: the sum of each project's figure, carried or reported --
    invested, year = expected_totals(content)
    board = json.loads((office / "output/site/data/board.json").read_text(encoding="utf-8"))
    assert board["month"] == "2020-10"
    totals = board["totals"]
    assert (totals["invested"], totals["invested_year"]) == (invested, year) == (102030.0, 78330.0)
    assert totals["coverage"]["invested"] == {"counted": 15, "missing": 1, "carried": 2}
    assert totals["coverage"]["invested_year"] == {"counted": 15, "missing": 1, "carried": 2}
    assert totals["coverage"]["investment"] == {"counted": 16, "missing": 0, "carried": 0}
    rows = {p["id"]: p for p in board["projects"]}
    assert round(sum(p["invested"] or 0 for p in rows.values()), 4) == invested
    # the 未报送 rows: both ways of saying it, with their last figures
    for pid in NOT_REPORTED:
        assert rows[pid]["status"] == "no_report", pid
    changfang = rows["nanqu-changfang"]
    assert (changfang["reported"], changfang["report_month"]) == (False, "2020-09")
    assert (changfang["percent"], changfang["invested"]) == (46, 13000)
    # the threshold as written: 10 points behind with thresholds.behind 10 is 进度滞后
    assert (rows["beiqu-wushui"]["variance"], rows["beiqu-wushui"]["status"]) == (-10.0, "behind")
    # completed in October, two months after its deadline (2020-08-31): 逾期完成
    assert rows["disituan-lengku"]["status"] == "completed_late"

    # -- the same words wherever a total is shown --
    bulletin = pdf_text(office / "output/print/bulletin-2020-10.pdf")
    assert f"1-10月完成投资7.83亿元，占年度计划的70.8%{NOTE}。" in bulletin
    assert f"占年度计划的70.8%{NOTE}。" in docx_text(office / "output/print/bulletin-2020-10.docx")
    panel = pdf_text(office / "output/print/panel-2020-10.pdf")
    assert f"1-10月完成投资7.83亿元（70.8%）{NOTE}" in panel
    site = (office / "output/site/index.html").read_text(encoding="utf-8")
    assert site.count(f'<small class="covers">{COVERS}</small>') == 2  # 本年 and 累计
    assert "<dd>10.20亿元" in site
    ws = openpyxl.load_workbook(io.BytesIO((office / "公示表-2020-10.xlsx").read_bytes()))["公示表"]
    names = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert f"全县投资完成情况（本年完成投资、累计完成投资为{COVERS}）" in names

    # every line the tool printed, in Chinese
    yaml_text = " ".join(p.read_text("utf-8") for p in content.rglob("*.yaml"))
    assert_all_chinese(clerk.lines, " ".join([yaml_text, str(office), *clerk.typed]))
