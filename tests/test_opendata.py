"""Open data in the field's standards, judged by each standard's own validator: the OC4IDS package
by libcoveoc4ids (the 0.9.5 schema and codelists served from the snapshot on 127.0.0.1), the
Data Package by frictionless, the schema.org JSON-LD parsed from the page (and in Chromium),
the SQLite file opened and counted against the register; and all of it deterministic."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from board.audit import MonthAudit, audit_month
from board.build import BuildResult, build, render_all
from board.errors import ContentError
from board.generate import generate_register
from board.i18n import MESSAGES, STATUS_ORDER
from board.model import Register
from board.validate import check
from tests.conftest import (
    BOARD_YAML,
    CONTENT,
    NO_PDF,
    ROOT,
    axe_violations,
    project_yaml,
    shoot,
    write_files,
)

# the standard's own schema, package schema and codelists at its 0.9.5 release, with its licence
# (tests/standards/oc4ids-0.9.5/README): libcoveoc4ids would fetch them from the web at run time
SNAPSHOT = ROOT / "tests" / "standards" / "oc4ids-0.9.5"
STAGES = ("data", "assets", "photos", "site", "opendata")
PREFIX = "oc4ids-bd25x7-"
NEW_FILES = re.compile(
    r"site/data/(oc4ids\.json|oc4ids/.+\.json|tables/.+\.csv|board\.sqlite|metadata\.json"
    r"|datapackage\.json|index\.html)\Z"
)


# --- fixtures ------------------------------------------------------------------------------------


class Snapshot:
    """The OC4IDS 0.9.5 snapshot over http on 127.0.0.1 (port 0), recording what was asked for."""

    def __init__(self) -> None:
        if not (SNAPSHOT / "project-schema.json").is_file():
            pytest.fail(f"the OC4IDS snapshot is missing: {SNAPSHOT}")
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                requests.append(self.path)

        handler = functools.partial(Handler, directory=str(SNAPSHOT))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.host = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def review(self, data: dict) -> dict:
        """libcoveoc4ids' whole review of a package (schema, codelists, additional checks)."""
        from libcove.lib.common import load_core_codelists
        from libcoveoc4ids.api import oc4ids_json_output
        from libcoveoc4ids.config import LibCoveOC4IDSConfig

        config = LibCoveOC4IDSConfig(
            {
                "schema_host": self.host,
                "schema_version_choices": {"0.9.5": ("0.9.5", self.host)},
                "schema_codelists": {"0.9": self.host + "codelists/"},
            }
        )
        load_core_codelists.cache_clear()  # a failed fetch is cached as "no codelists"
        with tempfile.TemporaryDirectory() as folder:
            return oc4ids_json_output(folder, json_data=data, lib_cove_oc4ids_config=config)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def snapshot() -> Iterator[Snapshot]:
    served = Snapshot()
    yield served
    served.close()


@pytest.fixture(scope="module")
def big_open(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """40 projects with long texts, a registered prefix and a licence, built to disk."""
    root = generate_register(
        tmp_path_factory.mktemp("big-open") / "content", projects=40, months=4, long_texts=True
    )
    with (root / "board.yaml").open("a", encoding="utf-8") as file:
        file.write(f"open_data:\n  oc4ids_prefix: {PREFIX}\n  license: CC0-1.0\n")
    return build(root, root.parent / "output", stages=STAGES)


def data_of(result: BuildResult, name: str) -> dict:
    return json.loads(result.files[f"site/data/{name}"])


def json_ld(result: BuildResult) -> dict:
    html = result.files["site/data/index.html"].decode("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def board_months(result: BuildResult) -> dict[str, dict]:
    """Each month's board.json as the build published it."""
    found = {}
    for name, data in result.files.items():
        m = re.fullmatch(r"site/data/board-(\d{4}-\d\d)\.json", name)
        if m:
            found[m.group(1)] = json.loads(data)
    return dict(sorted(found.items()))


def local_file(result: BuildResult, url: str) -> Path:
    """The built file a published address of the example's site_url points to."""
    path = urlsplit(url).path
    if path.startswith("/zdxm/"):
        return result.out_dir / "site" / path.removeprefix("/zdxm/")
    return result.out_dir / path.lstrip("/")


# --- OC4IDS, judged by libcoveoc4ids ----------------------------------------------------------


def test_the_example_package_passes_libcoveoc4ids(
    example_build: BuildResult, snapshot: Snapshot
) -> None:
    package = data_of(example_build, "oc4ids.json")
    review = snapshot.review(package)
    # the schema and the codelists came from the snapshot, not from anywhere else
    asked = set(snapshot.requests)
    assert {"/project-package-schema.json", "/project-schema.json"} <= asked
    assert "/codelists/partyRole.csv" in asked and "/codelists/documentType.csv" in asked
    assert review["validation_errors"] == []
    assert review["additional_closed_codelist_values"] == {}
    assert review["additional_checks"] == []  # no empty fields, every amount has its currency
    # explained in docs/open-data.md: the example county has no registered prefix yet ...
    (conformance,) = review["conformance_checks"]
    assert conformance["check_id"] == "invalid-project-ids"
    assert len(conformance["path_values"]) == 16
    # ... 项目业主 is a role added to the open partyRole codelist ...
    added = review["additional_open_codelist_values"]
    assert {k: v["values"] for k, v in added.items()} == {
        "projects/parties/roles": ["projectOwner"]
    }
    # ... and the ranking is the one extension field
    assert [list(item) for item in review["data_only"]] == [["/projects", "progressRanking", 16]]


def test_a_40_project_package_with_a_prefix_passes_every_check(
    big_open: BuildResult, snapshot: Snapshot
) -> None:
    package = data_of(big_open, "oc4ids.json")
    assert len(package["projects"]) == 40
    assert all(p["id"].startswith(PREFIX) for p in package["projects"])
    review = snapshot.review(package)
    assert review["validation_errors"] == []
    assert review["conformance_checks"] == []
    assert review["additional_checks"] == []
    assert review["additional_closed_codelist_values"] == {}
    assert package["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert not [w for w in big_open.warnings if w.field.startswith("open_data")]


def test_libcoveoc4ids_here_finds_what_is_wrong(
    example_build: BuildResult, snapshot: Snapshot
) -> None:
    """The validator as the tests run it can fail: a broken package gives errors."""
    package = data_of(example_build, "oc4ids/beiqu-wushui.json")
    del package["publisher"]
    package["projects"][0]["status"] = "underway"
    package["projects"][0]["metrics"][0]["observations"][0]["period"]["startDate"] = "2020-06"
    review = snapshot.review(package)
    messages = " ".join(json.dumps(error[0]) for error in review["validation_errors"])
    assert "'publisher' is missing" in messages and "date-time" in messages
    # a closed codelist's wrong value is reported apart from the schema's errors
    closed = review["additional_closed_codelist_values"]
    assert [v["values"] for v in closed.values()] == [["underway"]]


def test_each_project_has_its_own_package_at_a_stable_address(
    example_build: BuildResult, snapshot: Snapshot
) -> None:
    whole = data_of(example_build, "oc4ids.json")
    for project in whole["projects"]:
        name = f"oc4ids/{project['id']}.json"
        one = data_of(example_build, name)
        assert one["uri"] == f"https://www.example.gov.cn/zdxm/data/{name}"
        assert one["projects"] == [project]
    assert (
        snapshot.review(data_of(example_build, "oc4ids/disituan-lengku.json"))["validation_errors"]
        == []
    )


def test_the_package_says_what_the_board_says(example_build: BuildResult) -> None:
    package = data_of(example_build, "oc4ids.json")
    assert package["uri"] == "https://www.example.gov.cn/zdxm/data/oc4ids.json"
    assert package["publisher"]["name"] == "县重点项目建设办公室"
    assert package["publishedDate"] == "2020-09-30T00:00:00+08:00"
    months = board_months(example_build)
    projects = {p["id"]: p for p in package["projects"]}
    for month, board in months.items():
        for row in board["projects"]:
            project = projects[row["id"]]
            observations = {
                o["id"]: o
                for m in project["metrics"]
                if m["id"] == "physicalProgress"
                for o in m["observations"]
            }
            if row["reported"]:  # every month's report is an observation of its own
                assert observations[month]["measure"] == row["percent"]
                assert observations[month]["notes"].startswith(row["progress"])
            else:
                assert month not in observations
            forecast = {
                o["id"]: o["measure"]
                for m in project["forecasts"]
                if m["id"] == "physicalProgress"
                for o in m["observations"]
            }
            if month in forecast:  # the plan runs from the start's month to the deadline's
                assert forecast[month] == row["planned"]
            else:
                assert row["planned"] == (100 if month > row["deadline"] else 0)
            ranking = {r["month"]: r for r in project["progressRanking"]}
            assert (ranking[month]["rank"], ranking[month]["status"]) == (
                row["rank"],
                row["status"],
            )
            assert ranking[month]["statusLabel"] == row["status_label"]
    latest = {p["id"]: p for p in months["2020-09"]["projects"]}
    # 分包县领导: a person of the responsible unit, with the post as jobTitle
    gongshui = projects["beiqu-gongshui"]
    unit = gongshui["parties"][0]
    assert (unit["name"], unit["roles"]) == ("住建局", ["publicAuthority"])
    assert unit["people"] == [
        {"id": "leader", "name": "孙明远", "jobTitle": "分包县领导（副县长）"}
    ]
    assert gongshui["publicAuthority"] == {"id": unit["id"], "name": "住建局"}
    assert gongshui["budget"]["amount"] == {"amount": 34000000, "currency": "CNY"}
    # the responsibility list and 限期赶上 as milestones
    tasks = [m for m in gongshui["milestones"] if m["id"].startswith("task-")]
    assert [(m["title"], m["status"]) for m in tasks] == [
        (m["task"], {"done": "met", "due": "scheduled", "missed": "notMet"}[m["state"]])
        for m in latest["beiqu-gongshui"]["milestones"]
    ]
    lengku = projects["disituan-lengku"]
    promises = [m for m in lengku["milestones"] if m["id"].startswith("catch-up-")]
    assert [(m["dueDate"][:10], m["status"]) for m in promises] == [
        (p["by"], {"met": "met", "missed": "notMet", "pending": "scheduled"}[p["state"]])
        for p in latest["disituan-lengku"]["promises"]
    ]
    (deadline,) = [m for m in lengku["milestones"] if m["id"] == "completion"]
    assert deadline["status"] == "notMet"  # 已超期
    # a completed project: completion, and the month it was first shown completed
    done = [p for p in package["projects"] if p["status"] == "completion"]
    assert len(done) == latest_count(latest, "completed")
    for project in done:
        assert project["completion"]["endDate"].endswith("T00:00:00+08:00")


def latest_count(rows: dict[str, dict], status: str) -> int:
    return sum(r["status"] == status for r in rows.values())


def test_pdfs_and_photos_are_documents_at_their_published_addresses(
    example_build: BuildResult,
) -> None:
    package = data_of(example_build, "oc4ids.json")
    kinds: dict[str, int] = {}
    for project in package["projects"]:
        for document in project["documents"]:
            if document["id"].startswith("disclosure-"):  # 信息公开 items: test_oc4ids_plugins
                continue
            kinds[document["documentType"]] = kinds.get(document["documentType"], 0) + 1
            assert document["url"].startswith("https://www.example.gov.cn/")
            assert local_file(example_build, document["url"]).is_file(), document["url"]
    months = len(board_months(example_build))
    assert kinds["physicalProgressReport"] == 16 * months * 3  # panel, sheets, bulletin
    photos = sum(
        len(p["photos"])
        for board in board_months(example_build).values()
        for p in board["projects"]
    )
    assert kinds["illustration"] == photos > 0


# --- the Data Package, judged by frictionless --------------------------------------------------


def frictionless_report(package: Path) -> object:
    from frictionless import validate

    return validate(str(package))


@pytest.mark.parametrize("which", ["example", "big"])
def test_the_data_package_is_valid(
    which: str, example_build: BuildResult, big_open: BuildResult
) -> None:
    result = example_build if which == "example" else big_open
    report = frictionless_report(result.out_dir / "site/data/datapackage.json")
    assert report.valid, report.flatten(["type", "note"])  # type: ignore[attr-defined]
    tables = {t.name: t.stats.get("rows", 0) for t in report.tasks if t.type == "table"}  # type: ignore[attr-defined]
    projects = 16 if which == "example" else 40
    assert tables["projects"] == tables["board-table"] == projects
    assert tables["reports"] == projects * 4
    # the change log of the commitments: as board.json gives it, one row per change in force
    board = data_of(result, "board.json")
    assert tables["changes"] == sum(len(p["changes"]) for p in board["projects"])
    # the disclosure items as the month's audit judges them, as board.json gives them
    items = [
        (p["id"], c["key"], i["item"], i["state"])
        for p in board["projects"]
        if p["disclosure"]
        for c in p["disclosure"]["categories"]
        for i in c["items"]
    ]
    assert tables["disclosure"] == len(items) and (which == "big" or items)
    rows = csv.DictReader(
        io.StringIO(result.files["site/data/tables/disclosure.csv"].decode("utf-8-sig"))
    )
    assert [(r["project_id"], r["category"], r["item"], r["state"]) for r in rows] == items
    # every CSV and JSON of site/data/ is described, and nothing else
    package = data_of(result, "datapackage.json")
    described = {r["path"] for r in package["resources"]}
    published = {
        n.removeprefix("site/data/")
        for n in result.files
        if n.startswith("site/data/") and n.endswith((".csv", ".json", ".sqlite"))
    }
    assert described == published - {"datapackage.json"}


def test_frictionless_here_finds_a_wrong_status_and_a_broken_key(
    example_build: BuildResult, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(example_build.out_dir / "site/data", data)
    path = data / "tables/reports.csv"
    text = path.read_bytes().decode("utf-8-sig")
    text = text.replace(",正常推进,", ",良好,", 1).replace("\r\nbeiqu-wushui,", "\r\nno-such,", 1)
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    report = frictionless_report(data / "datapackage.json")
    assert not report.valid  # type: ignore[attr-defined]
    kinds = {e[0] for e in report.flatten(["type"])}  # type: ignore[attr-defined]
    assert {"constraint-error", "foreign-key"} <= kinds


def test_each_csv_has_its_table_schema(example_build: BuildResult) -> None:
    package = data_of(example_build, "datapackage.json")
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    resources = {r["name"]: r for r in package["resources"]}
    legend = [MESSAGES[f"status.{s}"][0] for s in STATUS_ORDER]
    for resource in package["resources"]:
        if resource["path"].endswith(".csv"):
            schema = resource["schema"]
            assert schema["missingValues"] == [""]
            fields = {f["name"]: f for f in schema["fields"]}
            assert all(f["title"] and f["description"] for f in fields.values())
            if "status_label" in fields:  # the one legend's words
                assert fields["status_label"]["constraints"]["enum"] == legend
                assert fields["status"]["constraints"]["enum"] == list(STATUS_ORDER)
    assert resources["reports"]["schema"]["primaryKey"] == ["project_id", "month"]
    assert resources["reports"]["schema"]["foreignKeys"] == [
        {"fields": ["project_id"], "reference": {"resource": "projects", "fields": ["id"]}},
        {"fields": ["month"], "reference": {"resource": "months", "fields": ["month"]}},
    ]
    assert resources["photos"]["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "reports",
        "fields": ["project_id", "month"],
    }
    # the CSV the site always published, now with its schema too
    assert resources["board-table"]["path"] == "projects.csv"
    assert {f"board-table-{m}" for m in board_months(example_build)} <= set(resources)


# --- schema.org Dataset ------------------------------------------------------------------------


def test_the_json_ld_parses_and_names_every_distribution(example_build: BuildResult) -> None:
    dataset = json_ld(example_build)
    package = data_of(example_build, "datapackage.json")
    assert (dataset["@context"], dataset["@type"]) == ("https://schema.org", "Dataset")
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["temporalCoverage"] == "2020-06-01/2020-09-30"
    assert dataset["dateModified"] == "2020-09-30"
    assert dataset["version"] == package["version"]
    assert {p["name"] for p in dataset["spatialCoverage"]["containsPlace"]} >= {"北区", "第四疃镇"}
    base = "https://www.example.gov.cn/zdxm/data/"
    urls = [d["contentUrl"] for d in dataset["distribution"]]
    assert sorted(urls) == sorted(
        [base + "datapackage.json"] + [base + r["path"] for r in package["resources"]]
    )
    for item in dataset["distribution"]:
        assert item["@type"] == "DataDownload" and item["name"] and item["encodingFormat"]
        assert local_file(example_build, item["contentUrl"]).is_file()
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert formats == {"application/json", "text/csv", "application/vnd.sqlite3"}


@pytest.mark.browser
def test_the_page_loads_under_its_csp_and_chromium_reads_the_json_ld(
    browser: object, example_build: BuildResult, artifacts: Path
) -> None:
    page_path = (example_build.out_dir / "site/data/index.html").resolve()
    problems: list[str] = []
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        tab = context.new_page()
        tab.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(page_path.as_uri())
        parsed = tab.evaluate(
            """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
                .map(s => JSON.parse(s.textContent))"""
        )
        shoot(tab, artifacts / f"opendata-page-{width}.png", full_page=True)
        context.close()
        assert problems == []  # no CSP violation, nothing failed to load
        assert parsed == [json_ld(example_build)]


@pytest.mark.browser
def test_axe_core_finds_no_violations_on_the_open_data_page(
    browser: object, example_build: BuildResult
) -> None:
    for width in (1280, 360):
        context = browser.new_context(  # type: ignore[attr-defined]
            bypass_csp=True, viewport={"width": width, "height": 900}
        )
        tab = context.new_page()
        tab.goto((example_build.out_dir / "site/data/index.html").resolve().as_uri())
        result = axe_violations(tab)
        context.close()
        assert result == [], width


def test_the_page_links_each_standard_with_what_it_is_for(example_build: BuildResult) -> None:
    html = example_build.files["site/data/index.html"].decode("utf-8")
    for target, words in (
        ("oc4ids.json", "基础设施数据标准"),
        ("datapackage.json", "Frictionless"),
        ("board.sqlite", "Datasette"),
        ("metadata.json", "Datasette"),
    ):
        assert f'href="{target}"' in html
        assert words in html
    assert "<script>" not in html  # nothing runs inline: the JSON-LD is a data block
    index = example_build.files["site/index.html"].decode("utf-8")
    assert 'href="data/index.html"' in index  # every page's navigation reaches it


def test_the_feed_lists_the_open_data(example_build: BuildResult) -> None:
    feed = example_build.files["site/feed.xml"].decode("utf-8")
    for path in (
        "data/index.html",
        "data/oc4ids.json",
        "data/datapackage.json",
        "data/board.sqlite",
    ):
        assert f'href="https://www.example.gov.cn/zdxm/{path}"' in feed


# --- SQLite ------------------------------------------------------------------------------------


def board_audit(register: Register) -> MonthAudit:
    """The disclosure audit of the register's latest month (board.audit)."""
    return audit_month(register, register.reports[-1].month)


@pytest.mark.parametrize("which", ["example", "big"])
def test_the_sqlite_file_opens_and_counts_what_the_register_holds(
    which: str, example_build: BuildResult, big_open: BuildResult, tmp_path: Path
) -> None:
    result = example_build if which == "example" else big_open
    path = tmp_path / "board.sqlite"
    path.write_bytes(result.files["site/data/board.sqlite"])
    content = CONTENT if which == "example" else big_open.out_dir.parent / "content"
    register, _ = check(content)
    db = sqlite3.connect(path)
    try:
        count = lambda table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert count("projects") == len(register.projects)
        assert count("months") == len(register.reports)
        assert count("reports") == len(register.projects) * len(register.reports)
        assert count("tasks") == sum(len(p.milestones) for p in register.projects)
        assert count("photos") == sum(
            len(e.photos) for r in register.reports for e in r.entries.values()
        )
        # every change of a commitment in force on the latest board (the example has them)
        latest = register.reports[-1].month
        assert count("changes") == sum(
            1 for p in register.projects for c in p.changes if c.date <= latest.last_day
        )
        assert which == "big" or count("changes") > 0
        assert count("disclosure") == sum(
            len(c.items)
            for audit in [board_audit(register)]
            for p in audit.projects
            for c in p.categories
        )
        reported = db.execute("SELECT count(*) FROM reports WHERE reported = 1").fetchone()[0]
        assert reported == sum(len(r.entries) for r in register.reports)
        # every table and column is described, inside the file and for Datasette beside it
        meta = data_of(result, "metadata.json")["databases"]["board"]["tables"]
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            described = {
                c
                for (c,) in db.execute(
                    "SELECT column_name FROM descriptions WHERE table_name = ?", (table,)
                )
            }
            if table != "descriptions":
                assert described == {"", *columns}, table
                assert set(meta[table]["columns"]) == set(columns)
            assert meta[table]["description"]
        # the same rows as the CSV of the same table
        rows = list(
            csv.reader(
                io.StringIO(result.files["site/data/tables/reports.csv"].decode("utf-8-sig"))
            )
        )
        assert len(rows) - 1 == count("reports")
    finally:
        db.close()


# --- settings, warnings and errors ------------------------------------------------------------


def scratch_register(root: Path, open_data: str = "") -> Path:
    return write_files(
        root,
        {
            "board.yaml": BOARD_YAML + open_data,
            "projects/a.yaml": project_yaml("a", order=1, leader="李四（副县长）"),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 60, progress: 主体施工}
                  b: {percent: 50, progress: 基础施工}
                """,
        },
    )


def test_without_a_prefix_the_build_warns_and_says_where_to_ask(tmp_path: Path) -> None:
    root = scratch_register(tmp_path / "content")
    _, _, warnings = render_all(root, stages=("site", "opendata"))
    (warning,) = [w for w in warnings if w.field == "open_data.oc4ids_prefix"]
    assert warning.pos.file.endswith("board.yaml")
    assert "data@open-contracting.org" in warning.text("en")
    zh = warning.text("zh-CN")
    assert "本县还没有 OC4IDS 项目编号前缀" in zh
    assert "发邮件到 OC4IDS 帮助台 data@open-contracting.org" in zh
    assert "oc4ids_prefix: oc4ids-qu8r7p" in zh


def test_the_prefix_goes_before_every_project_id(tmp_path: Path) -> None:
    root = scratch_register(tmp_path / "content", "open_data:\n  oc4ids_prefix: oc4ids-ab12cd\n")
    files, _, warnings = render_all(root, stages=("site", "opendata"))
    assert not [w for w in warnings if w.field.startswith("open_data")]
    package = json.loads(files["site/data/oc4ids.json"])
    assert [p["id"] for p in package["projects"]] == ["oc4ids-ab12cd-a", "oc4ids-ab12cd-b"]
    assert package["projects"][0]["identifiers"][0]["id"] == "a"
    tables = files["site/data/tables/projects.csv"].decode("utf-8-sig")
    assert "a,oc4ids-ab12cd-a," in tables


@pytest.mark.parametrize(
    ("setting", "english", "chinese"),
    [
        (
            "oc4ids_prefix: OC4IDS-12",
            "expected an OC4IDS prefix: oc4ids- and six lower-case letters or digits",
            "OC4IDS项目编号前缀应为 oc4ids- 加6个小写字母或数字",
        ),
        ("license: CC-BY", "unknown licence 'CC-BY'", "不认识的数据许可“CC-BY”"),
    ],
)
def test_a_wrong_setting_is_an_error_naming_the_line(
    tmp_path: Path, setting: str, english: str, chinese: str
) -> None:
    root = scratch_register(tmp_path / "content", f"open_data:\n  {setting}\n")
    with pytest.raises(ContentError) as caught:
        check(root)
    (problem,) = caught.value.problems
    assert problem.pos.file.endswith("board.yaml") and problem.pos.line == 5
    assert english in problem.text("en")
    assert chinese in problem.text("zh-CN")


def test_without_site_url_the_files_use_stable_names_and_relative_addresses(
    tmp_path: Path,
) -> None:
    root = scratch_register(tmp_path / "content")
    files, _, _ = render_all(root, stages=("data", "site", "opendata"))
    package = json.loads(files["site/data/oc4ids.json"])
    assert package["uri"].startswith("urn:uuid:")
    assert "documents" not in package["projects"][0]  # a document needs an absolute address
    html = files["site/data/index.html"].decode("utf-8")
    dataset = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    for item in dataset["distribution"]:
        assert f"site/data/{item['contentUrl']}" in files


def test_text_from_the_register_cannot_close_the_json_ld_block(tmp_path: Path) -> None:
    name = "</script><script>alert(1)</script>&<!--"
    root = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML + "open_data:\n  area: '</script>县'\n",
            "projects/a.yaml": project_yaml("a", name=f'"{name}"', location="北区"),
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 60, progress: 主体施工}
                """,
        },
    )
    files, _, _ = render_all(root, stages=("data", "site", "opendata"))
    html = files["site/data/index.html"].decode("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None and "<" not in block.group(1) and "&" not in block.group(1)
    dataset = json.loads(block.group(1))
    assert dataset["spatialCoverage"]["name"] == "</script>县"
    assert "<script>alert" not in html
    assert json.loads(files["site/data/oc4ids.json"])["projects"][0]["title"] == name


# --- carried forward, versions, determinism -----------------------------------------------------


def test_a_correction_keeps_the_first_figure_and_changes_the_version(tmp_path: Path) -> None:
    root = scratch_register(tmp_path / "content")
    out = tmp_path / "output"
    first = build(root, out, stages=STAGES)
    again = build(root, out, stages=STAGES, force=True)
    version = data_of(first, "datapackage.json")["version"]
    assert version.startswith("1.1.0+")
    assert data_of(again, "datapackage.json")["version"] == version  # nothing changed
    (root / "reports/2020-09.yaml").write_text(
        "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n"
        "  b: {percent: 60, progress: 主体施工}\n",
        encoding="utf-8",
    )
    second = build(root, out, stages=STAGES)
    assert data_of(second, "datapackage.json")["version"].startswith("1.2.0+")
    report = root / "reports/2020-08.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("60, progress", "55, progress"))
    corrected = build(root, out, stages=STAGES)
    package = data_of(corrected, "datapackage.json")
    assert package["version"].startswith("1.2.1+")
    paths = {r["path"] for r in package["resources"]}
    assert {"board-2020-08.json", "board-2020-08-r2.json", "projects-2020-08-r2.csv"} <= paths
    oc4ids = data_of(corrected, "oc4ids.json")
    (a,) = [p for p in oc4ids["projects"] if p["id"] == "a"]
    (august,) = [o for o in a["metrics"][0]["observations"] if o["id"] == "2020-08"]
    assert august["measure"] == 55
    assert "first published as 60%" in august["notes"] or "原报60%" in august["notes"]
    assert frictionless_report(out / "site/data/datapackage.json").valid  # type: ignore[attr-defined]


def new_files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and NEW_FILES.match(str(p.relative_to(folder)))
    }


@pytest.mark.slow
def test_two_builds_in_fresh_processes_give_the_same_bytes(tmp_path: Path) -> None:
    code = (
        "import sys; from board.build import build; "
        f"build(sys.argv[1], sys.argv[2], stages={STAGES!r}, force=True)"
    )
    for name, seed, zone in (("one", "1", "UTC"), ("two", "2", "Asia/Shanghai")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [sys.executable, "-c", code, str(CONTENT), str(tmp_path / name / "output")],
            check=True,
            env=env,
            cwd=tmp_path,
        )
    one = new_files(tmp_path / "one" / "output")
    two = new_files(tmp_path / "two" / "output")
    # the OC4IDS file of each project, the seven tables (projects … disclosure), and the OC4IDS
    # package, the SQLite file, Datasette's metadata, the Data Package and the data page
    assert len(one) == 16 + 7 + 5 and one.keys() == two.keys()
    assert [n for n in one if one[n] != two[n]] == []


def test_months_published_before_a_column_was_added_keep_the_package_valid(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """August and September published by a board without the columns `code` and `new` (as
    before issues 24 and 22 added them), October built now: each month's CSV stays as
    published, is described by the schema of its own header, and frictionless finds the
    package valid; no past month is corrected for a column it never had."""
    import board.render.site as site

    stages = (*NO_PDF, "opendata")
    out = tmp_path / "output"
    older = tuple(c for c in site.CSV_COLUMNS if c not in ("code", "new"))
    with monkeypatch.context() as before:
        before.setattr(site, "CSV_COLUMNS", older)
        build(scratch, out, stages=stages)
    (scratch / "reports" / "2020-10.yaml").write_text(
        "month: 2020-10\nprojects:\n  a: {percent: 80, progress: 主体完工}\n"
        "  b: {percent: 70, progress: 装饰装修}\n",
        encoding="utf-8",
    )
    build(scratch, out, stages=stages)
    data = out / "site" / "data"
    assert not (data / "projects-2020-08-r2.csv").exists()
    header = (data / "projects-2020-08.csv").read_text("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(older)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    fields = {
        r["path"]: [f["name"] for f in r["schema"]["fields"]]
        for r in package["resources"]
        if r["path"].startswith("projects-")
    }
    assert fields["projects-2020-08.csv"] == fields["projects-2020-09.csv"] == list(older)
    assert fields["projects-2020-10.csv"] == list(site.CSV_COLUMNS)
    report = frictionless_report(data / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])  # type: ignore[attr-defined]
