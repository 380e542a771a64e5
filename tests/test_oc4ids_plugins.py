"""What issues 22 (commitments and their change log) and 24 (项目统一代码 and the disclosure of
国办发〔2017〕94号) added to the register, as the open data in the field's standards carries it:
OC4IDS (the moved deadline with its reason, the code among the identifiers, the disclosure items
as documents, parties and contracting processes, judged by libcoveoc4ids) and the CSV's `code`
column in the Data Package. What a journalist would check, read back from the example's build."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from board.build import BuildResult, render_all
from tests.conftest import BOARD_YAML, project_yaml, write_files
from tests.test_opendata import Snapshot, data_of


@pytest.fixture(scope="module")
def snapshot() -> Iterator[Snapshot]:
    served = Snapshot()
    yield served
    served.close()


def project_of(result: BuildResult, pid: str) -> dict:
    (project,) = data_of(result, f"oc4ids/{pid}.json")["projects"]
    return project


def board_project(result: BuildResult, pid: str) -> dict:
    board = json.loads(result.files["site/data/board.json"])
    (project,) = [p for p in board["projects"] if p["id"] == pid]
    return project


# --- issue 22: why 完成时限 moved -------------------------------------------------------------


def test_a_moved_deadline_says_when_why_and_on_whose_decision(example_build: BuildResult) -> None:
    project = project_of(example_build, "nanqu-changfang")
    (deadline,) = [m for m in project["milestones"] if m["id"] == "completion"]
    assert deadline["dueDate"] == "2021-06-30T00:00:00+08:00"
    text = deadline["description"]
    # the same change the board's JSON lists: its baseline, date, new date, reason and basis
    (change,) = [
        c
        for c in board_project(example_build, "nanqu-changfang")["changes"]
        if c["field"] == "deadline"
    ]
    assert change["from"] == "2021-03-31" and change["to"] == "2021-06-30"
    assert text.startswith("完成时限原定2021年3月31日，2020年9月18日调整为2021年6月30日（延期91天")
    assert change["reason"] in text and change["approved_by"] in text
    # the task moved with it says so too; a task never moved says only who does it
    tasks = {m["title"]: m for m in project["milestones"]}
    assert "原因：随完成时限顺延" in tasks["竣工验收，首批企业入驻"]["description"]
    assert tasks["1至6号厂房主体封顶"]["description"] == "责任单位：县城市建设投资集团有限公司"
    # a project whose commitments never moved carries no such words
    other = project_of(example_build, "beiqu-wushui")
    (still,) = [m for m in other["milestones"] if m["id"] == "completion"]
    assert "description" not in still and "description" not in other["budget"]


def test_at_completion_the_details_say_why_the_deadline_and_the_budget_moved(
    tmp_path: Path, snapshot: Snapshot
) -> None:
    root = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1, investment=1200)
            + """\
changes:
  - date: 2020-06-10
    field: deadline
    from: 2020-10-31
    to: 2020-12-31
    reason: 雨季停工两个月
    approved_by: 县政府常务会议纪要〔2020〕7号
  - date: 2020-06-10
    field: investment
    from: 1000
    to: 1200
    reason: 钢材价格上涨
    approved_by: 县发改审批〔2020〕30号
""",
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 100, progress: 已竣工, invested: 1180}
                  b: {percent: 50, progress: 基础施工}
                """,
        },
    )
    files, _, _ = render_all(root, stages=("site", "opendata"))
    package = json.loads(files["site/data/oc4ids.json"])
    a, b = package["projects"]
    completion = a["completion"]
    assert completion["endDate"] == "2020-08-31T00:00:00+08:00"
    assert completion["endDateDetails"].startswith(
        "完成时限原定2020年10月31日，2020年6月10日调整为"
    )
    assert "雨季停工两个月" in completion["endDateDetails"]
    assert "县政府常务会议纪要〔2020〕7号" in completion["endDateDetails"]
    assert completion["finalValue"] == {"amount": 11800000, "currency": "CNY"}
    assert "钢材价格上涨" in completion["finalValueDetails"]
    assert "县发改审批〔2020〕30号" in completion["finalValueDetails"]
    assert a["budget"]["amount"] == {"amount": 12000000, "currency": "CNY"}
    assert "completion" not in b
    review = snapshot.review(package)
    assert review["validation_errors"] == []
    assert review["additional_checks"] == []


# --- issue 24: 项目统一代码 and the disclosure items -----------------------------------------


def test_the_project_code_is_an_identifier_with_its_scheme(example_build: BuildResult) -> None:
    project = project_of(example_build, "nanqu-changfang")
    assert project["identifiers"] == [
        {"id": "nanqu-changfang", "scheme": "本县重点项目编号"},
        {
            "id": "2019-130499-47-01-001988",
            "scheme": "全国投资项目在线审批监管平台项目代码（项目统一代码）",
        },
    ]
    # every project's code, as board.json gives it
    board = json.loads(example_build.files["site/data/board.json"])
    package = data_of(example_build, "oc4ids.json")
    codes = {
        p["identifiers"][0]["id"]: [i["id"] for i in p["identifiers"][1:]]
        for p in package["projects"]
    }
    assert codes == {p["id"]: [p["code"]] if p["code"] else [] for p in board["projects"]}


def test_a_bidding_result_is_a_document_and_a_contracting_process(
    example_build: BuildResult,
) -> None:
    project = project_of(example_build, "beiqu-wushui")
    documents = {d["url"]: d for d in project["documents"]}
    award = documents["https://ggzy.example.gov.cn/jyxx/2019/0317-jg.html"]
    assert award["documentType"] == "awardNotice"
    assert award["title"] == "施工中标结果公示"
    assert award["datePublished"] == "2019-10-15T00:00:00+08:00"
    tender = documents["https://ggzy.example.gov.cn/jyxx/2019/0317-gg.html"]
    assert tender["documentType"] == "tenderNotice"
    assert documents["https://ggzy.example.gov.cn/htgs/2019/0317.html"]["documentType"] == (
        "contractNotice"
    )
    (process,) = project["contractingProcesses"]
    summary = process["summary"]
    assert summary["title"] == "施工中标结果公示"
    assert summary["externalReference"] == "QXZB-2019-0317"
    assert summary["nature"] == ["construction"]  # the winner is the 施工单位 of 施工有关信息
    assert summary["contractValue"] == {"amount": 98600000, "currency": "CNY"}  # 9860 万元
    (supplier,) = summary["suppliers"]
    assert supplier["name"] == "北辰示范建设集团有限公司"
    # the notices of the same 招标编号 are the process's documents
    assert [d["url"] for d in summary["documents"]] == [
        "https://ggzy.example.gov.cn/jyxx/2019/0317-gg.html",
        "https://ggzy.example.gov.cn/jyxx/2019/0317-jg.html",
    ]
    # the supplier is a party of the project, as the standard asks
    parties = {p["id"]: p for p in project["parties"]}
    assert parties[supplier["id"]]["name"] == supplier["name"]
    assert {"supplier", "tenderer"} <= set(parties[supplier["id"]]["roles"])


def test_only_disclosure_items_with_a_link_are_documents(example_build: BuildResult) -> None:
    board = json.loads(example_build.files["site/data/board.json"])
    for entry in board["projects"]:
        project = project_of(example_build, entry["id"])
        urls = [d["url"] for d in project.get("documents", []) if d["id"].startswith("disclosure")]
        items = [
            item
            for category in (entry["disclosure"] or {"categories": []})["categories"]
            for item in category["items"]
        ]
        assert urls == [item["link"] for item in items if item["link"] and item["published"]]
        assert all(url.startswith(("https://", "http://")) for url in urls)
    assert any(entry["disclosure"] for entry in board["projects"])


def test_an_item_not_yet_published_as_of_the_board_is_no_document_of_it(tmp_path: Path) -> None:
    """September's board (audit date 2020-09-30): an item published in October and one with a
    link but no 公开日期 are 未公开 on the board, so the OC4IDS package dated September lists
    neither as a document (none dated after the package); the one published in September is."""
    items = """\
disclosure:
  approval_result:
    - item: 可行性研究报告批复
      formed: 2020-09-01
      published: 2020-09-15
      link: https://www.example.gov.cn/xmsp/1.html
    - item: 初步设计批复
      formed: 2020-09-10
      published: 2020-10-12
      link: https://www.example.gov.cn/xmsp/2.html
    - item: 环境影响评价批复
      formed: 2020-09-12
      link: https://www.example.gov.cn/xmsp/3.html
"""
    root = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1) + items,
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 60, progress: 主体施工}
                  b: {percent: 50, progress: 基础施工}
                """,
        },
    )
    files, _, _ = render_all(root, stages=("data", "site", "opendata"))
    package = json.loads(files["site/data/oc4ids.json"])
    documents = [d for d in package["projects"][0]["documents"] if d["id"].startswith("disc")]
    assert [d["url"] for d in documents] == ["https://www.example.gov.cn/xmsp/1.html"]
    assert all(d["datePublished"][:10] <= package["publishedDate"][:10] for d in documents)
    board = json.loads(files["site/data/board.json"])
    categories = board["projects"][0]["disclosure"]["categories"]
    (category,) = [c for c in categories if c["key"] == "approval_result"]
    states = {i["item"]: (i["published"], i["state"]) for i in category["items"]}
    assert states["可行性研究报告批复"] == ("2020-09-15", "on_time")
    assert states["初步设计批复"][0] is None and states["环境影响评价批复"][0] is None


def test_the_construction_parties_with_their_heads(example_build: BuildResult) -> None:
    parties = {p["name"]: p for p in project_of(example_build, "beiqu-wushui")["parties"]}
    assert parties["县清源水务有限公司"]["roles"] == ["projectOwner"]  # 项目法人 = 项目业主
    assert parties["县清源水务有限公司"]["people"] == [
        {"id": "legal_person-head", "name": "赵立新", "jobTitle": "项目法人单位负责人"}
    ]
    design = parties["清源环境工程设计院有限公司"]
    assert design["roles"] == ["supplier"]
    assert {"name": "周海涛", "jobTitle": "设计单位项目负责人"}.items() <= design["people"][
        1
    ].items()
    assert parties["正衡工程监理咨询有限公司"]["roles"] == ["supplier"]
    assert parties["住建局"]["roles"] == ["publicAuthority"]


def test_the_whole_example_package_passes_libcoveoc4ids(
    example_build: BuildResult, snapshot: Snapshot
) -> None:
    package = data_of(example_build, "oc4ids.json")
    review = snapshot.review(package)
    assert review["validation_errors"] == []
    assert review["additional_checks"] == []
    assert review["additional_closed_codelist_values"] == {}
    # every documentType and party role comes from the standard's codelists (projectOwner, the
    # one added code, is explained in docs/open-data.md)
    added = {k: v["values"] for k, v in review["additional_open_codelist_values"].items()}
    assert added == {"projects/parties/roles": ["projectOwner"]}
    types = {
        d.get("documentType")
        for p in package["projects"]
        for d in p.get("documents", [])
        if d["id"].startswith("disclosure")
    }
    assert {"awardNotice", "tenderNotice", "environmentalImpact", "completionCertificate"} <= types


# --- the CSV and its Table Schema ----------------------------------------------------------------


def test_the_csv_code_column_agrees_with_board_json(example_build: BuildResult) -> None:
    text = example_build.files["site/data/projects.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    board = json.loads(example_build.files["site/data/board.json"])
    assert {r["id"]: r["code"] for r in rows} == {
        p["id"]: p["code"] or "" for p in board["projects"]
    }
    assert rows[0]["code"]
    package = json.loads(example_build.files["site/data/datapackage.json"])
    (table,) = [r for r in package["resources"] if r["name"] == "board-table"]
    (field,) = [f for f in table["schema"]["fields"] if f["name"] == "code"]
    assert field["type"] == "string" and field["title"]
    assert field["description"] != "od.col.code"
