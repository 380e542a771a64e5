"""One truth in every output: the same facts for every project wherever a reader looks.

For every project of the example, of the example with a project completed after its deadline
(逾期完成) and of a generated register of 40 projects, the status word, the actual and planned
percent, the rank and the state of the catch-up promise are read back from the screen HTML, the
site's project page, the panel PDF, the sheets PDF, the bulletin PDF and its Word copy, the
exported workbook, the CSV and the JSON, and must be the same. The PDFs are read as text, by the project's name,
so the bulletin's layout may change (issue 16); an output that does not show a fact (the panel
has no rank; the screen and the bulletin show the promise of the projects behind schedule) is
not asked for it, and the test checks that each output does show the facts it is meant to.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from conftest import CONTENT, copy_content
from docx import Document
from pypdf import PdfReader

from board.build import BuildResult, build
from board.compute import STATUSES
from board.i18n import translator
from board.xlsx.export import export_workbook

T = translator("zh-CN")
STATUS_WORDS = {T(f"status.{s}"): s for s in STATUSES}
LATE = "henantuan-guangfu"  # reaches 100% in 2020-09; its deadline moved to 2020-08-31
PROMISE_WORDS = {T(f"catch_up.{s}"): s for s in ("met", "missed", "pending")}
STATUS = "(" + "|".join(STATUS_WORDS) + ")"
PROMISE = "(" + "|".join(PROMISE_WORDS) + ")"
FACTS = ("status", "actual", "planned", "rank", "promise")

Facts = dict[str, dict[str, str | None]]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def strip_tags(html: str) -> str:
    return squash(unescape(re.sub(r"<[^>]+>", " ", html)))


def pct(value: float) -> str:
    return f"{value:g}"


def pdf_text(data: bytes) -> str:
    return "".join(squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


# -- the readers, one per output -----------------------------------------------------------------


def from_json(files: dict[str, bytes]) -> tuple[Facts, dict[str, str]]:
    data = json.loads(files["site/data/board.json"])
    facts = {
        p["id"]: {
            "status": p["status"],
            "actual": str(p["percent"]),
            "planned": pct(p["planned"]),
            "rank": str(p["rank"]),
            "promise": p["promise_state"],
        }
        for p in data["projects"]
    }
    return facts, {p["id"]: p["name"] for p in data["projects"]}


def from_csv(files: dict[str, bytes]) -> Facts:
    reader = csv.DictReader(io.StringIO(files["site/data/projects.csv"].decode("utf-8-sig")))
    return {
        row["id"]: {
            "status": row["status"],
            "actual": row["percent"],
            "planned": pct(float(row["planned"])),
            "rank": row["rank"],
            "promise": row["promise_state"] or None,
        }
        for row in reader
    }


def from_site(files: dict[str, bytes], ids: list[str]) -> Facts:
    facts = {}
    for pid in ids:
        html = files[f"site/projects/{pid}/index.html"].decode("utf-8")
        lead = strip_tags(re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1))
        found = re.search(
            STATUS
            + r"·"
            + T("actual")
            + r"(\d+)%·"
            + T("planned")
            + r"([\d.]+)%·"
            + T("rank")
            + r"(\d+)/",
            lead,
        )
        assert found, lead
        promise = strip_tags(re.search(r'<dd class="promise-now">(.*?)</dd>', html, re.S).group(1))
        state = re.search(PROMISE, promise)
        facts[pid] = {
            "status": STATUS_WORDS[found.group(1)],
            "actual": found.group(2),
            "planned": found.group(3),
            "rank": found.group(4),
            "promise": PROMISE_WORDS[state.group(1)] if state else None,
        }
    return facts


def from_screen(files: dict[str, bytes], ids: list[str]) -> Facts:
    html = files["screen/index.html"].decode("utf-8")
    blocks: dict[str, list[tuple[str, str]]] = {}
    for kind, pid, inner in re.findall(
        r'<div class="(row grid(?: rank-row)?|card|detail)" data-id="([^"]+)"[^>]*>(.*?)</div>',
        html,
        re.S,
    ):
        blocks.setdefault(pid, []).append((kind, inner))
    facts = {}
    for pid in ids:
        fact: dict[str, str | None] = {}
        for kind, inner in blocks[pid]:
            status = re.search(r'<span class="status s-\w+">.*?</span>(.*?)</span>', inner, re.S)
            if status:
                fact.setdefault("status", STATUS_WORDS[strip_tags(status.group(1))])
            bar = re.search(r'aria-label="实际进度(\d+)%，计划进度([\d.]+)%"', inner)
            if bar:
                fact.setdefault("actual", bar.group(1))
                fact.setdefault("planned", bar.group(2))
            if "rank-row" in kind:
                fact["rank"] = re.search(r'<span class="cell num">(\d+)</span>', inner).group(1)
            promise = re.search(r'class="promise-line promise-(\w+)"', inner)
            if promise:
                fact["promise"] = promise.group(1)
        assert {"status", "actual", "planned", "rank"} <= set(fact), (pid, fact)
        facts[pid] = fact
    return facts


def _after(text: str, name: str, start: int = 0) -> tuple[int, str]:
    at = text.find(name, start)
    assert at >= 0, name
    return at, text[at + len(name) :]


def from_panel(data: bytes, names: dict[str, str]) -> Facts:
    text = pdf_text(data)
    facts = {}
    for pid, name in names.items():
        _, rest = _after(text, squash(name))
        found = re.match(r"(.*?)(\d+)%/([\d.]+)%[^\w]?" + STATUS, rest)
        assert found, (name, rest[:200])
        promise = re.search(T("promise") + r"：[^\d]?\d{4}年\d+月\d+日" + PROMISE, found.group(1))
        facts[pid] = {
            "status": STATUS_WORDS[found.group(4)],
            "actual": found.group(2),
            "planned": found.group(3),
            "promise": PROMISE_WORDS[promise.group(1)] if promise else None,
        }
    return facts


def from_sheets(data: bytes, names: dict[str, str], number: dict[str, int]) -> Facts:
    pages = [squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]
    total = len(names)
    firsts = {}
    for pid in names:
        key = f"{T('print.sheet')}{number[pid]}/{total}"
        firsts[pid] = next(i for i, page in enumerate(pages) if key in page)
    order = sorted(firsts, key=firsts.get)
    facts = {}
    for i, pid in enumerate(order):
        end = firsts[order[i + 1]] if i + 1 < len(order) else len(pages)
        sheet = "".join(pages[firsts[pid] : end])
        assert squash(names[pid]) in sheet
        status = re.search(T("status") + r"[^\w]?" + STATUS + T("rank") + r"(\d+)/", sheet)
        percent = re.search(T("actual") + r"(\d+)%" + T("planned") + r"([\d.]+)%", sheet)
        promise = re.search(
            T("promise") + r"(?:[^\d—]?\d{4}年\d+月\d+日)?(" + PROMISE[1:-1] + "|—)", sheet
        )
        assert status and percent and promise, (pid, sheet[:400])
        facts[pid] = {
            "status": STATUS_WORDS[status.group(1)],
            "actual": percent.group(1),
            "planned": percent.group(2),
            "rank": status.group(2),
            "promise": PROMISE_WORDS.get(promise.group(1)),
        }
    return facts


MOVEMENT = r"(?:▲上升\d+位|▼下降\d+位|持平|新上榜|—)"


def from_bulletin(data: bytes, names: dict[str, str], behind: set[str]) -> Facts:
    text = pdf_text(data)
    facts = {}
    for pid, name in names.items():
        at, rest = _after(text, squash(name))
        rank = re.search(r"(\d+)" + MOVEMENT + r"$", text[:at])
        found = re.match(r".*?(\d+)%([\d.]+)%[+-]?[\d.]+[^\w]?" + STATUS, rest)
        assert rank and found, (name, text[max(0, at - 40) : at], rest[:200])
        fact: dict[str, str | None] = {
            "status": STATUS_WORDS[found.group(3)],
            "actual": found.group(1),
            "planned": found.group(2),
            "rank": rank.group(1),
        }
        if pid in behind:  # its paragraph among the projects behind: the promise's state
            _, item = _after(text, squash(name), at + len(squash(name)))
            # 限期赶上：2020年10月15日（尚未到期）[；此前承诺2020年8月31日赶上，逾期未赶上]。
            item = item[item.find(T("catch_up_by") + "：") :]
            item = item[: item.find("。")]
            earlier = re.search(r"此前承诺\d{4}年\d+月\d+日赶上，" + PROMISE, item)
            promise = earlier or re.search(r"\d{4}年\d+月\d+日（" + PROMISE + "）", item)
            fact["promise"] = PROMISE_WORDS[promise.group(1)] if promise else None
        facts[pid] = fact
    return facts


def from_docx(data: bytes, names: dict[str, str]) -> Facts:
    """The Word copy's ranking table: rank, actual, planned and the status (symbol and word)."""
    table = Document(io.BytesIO(data)).tables[0]
    by_name = {squash(n): pid for pid, n in names.items()}
    facts = {}
    for row in table.rows[1:]:
        cells = [squash(c.text) for c in row.cells]
        status = re.search(STATUS + "$", cells[8])
        assert status, cells
        facts[by_name[cells[2]]] = {
            "rank": cells[0],
            "actual": cells[5].rstrip("%"),
            "planned": cells[6].rstrip("%"),
            "status": STATUS_WORDS[status.group(1)],
        }
    return facts


def from_export(data: bytes, names: dict[str, str]) -> Facts:
    """The exported workbook's first sheet (the board): actual, planned and status by name."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    heads = [c.value for c in sheet[4]]
    at = {key: heads.index(T(key)) for key in ("name", "actual", "planned", "status")}
    by_name = {n: pid for pid, n in names.items()}
    facts = {}
    for values in sheet.iter_rows(min_row=5, values_only=True):
        name = values[at["name"]]
        if name not in by_name:
            continue  # the county's totals under the projects
        status = re.search(STATUS + "$", values[at["status"]])
        assert status, values
        facts[by_name[name]] = {
            "actual": str(values[at["actual"]]),
            "planned": pct(float(values[at["planned"]])),
            "status": STATUS_WORDS[status.group(1)],
        }
    return facts


def check_outputs(result: BuildResult, content: Path | None = None) -> dict[str, Facts]:
    files = result.files
    month = result.month
    truth, names = from_json(files)
    ids = list(truth)
    number = {pid: i for i, pid in enumerate(ids, 1)}
    behind = {pid for pid, f in truth.items() if f["status"] in ("behind", "overdue")}
    more = {}
    if content is not None:
        more["export"] = from_export(export_workbook(content, month), names)
    return {
        **more,
        "docx": from_docx(files[f"print/bulletin-{month}.docx"], names),
        "json": truth,
        "csv": from_csv(files),
        "site": from_site(files, ids),
        "screen": from_screen(files, ids),
        "panel": from_panel(files[f"print/panel-{month}.pdf"], names),
        "sheets": from_sheets(files[f"print/sheets-{month}.pdf"], names, number),
        "bulletin": from_bulletin(files[f"print/bulletin-{month}.pdf"], names, behind),
    }


def disagreements(outputs: dict[str, Facts]) -> list[str]:
    truth = outputs["json"]
    found = []
    for output, facts in outputs.items():
        assert set(facts) == set(truth), output
        for pid, fact in facts.items():
            for key, value in fact.items():
                if value != truth[pid][key]:
                    found.append(
                        f"{output} {pid} {key}: {value!r}, the data says {truth[pid][key]!r}"
                    )
    return found


@pytest.fixture(scope="module")
def late_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The example with one project completed after its deadline (逾期完成): its deadline moved
    to 2020-08-31, the month before the report that says 100%; its September alone (the
    outputs compared are September's)."""
    content = copy_content(tmp_path_factory.mktemp("late") / "content", months=1)
    path = content / "projects" / f"{LATE}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "deadline: 2020-09-30" in text
    path.write_text(text.replace("deadline: 2020-09-30", "deadline: 2020-08-31"), "utf-8")
    return build(content, content.parent / "output"), content


@pytest.mark.parametrize("register", ["example", "late", "generated 40"])
def test_every_output_shows_the_same_facts_for_every_project(
    register: str,
    example_build: BuildResult,
    big_build: BuildResult,
    big_content: Path,
    request: pytest.FixtureRequest,
) -> None:
    if register == "late":
        result, content = request.getfixturevalue("late_build")
    else:
        result = example_build if register == "example" else big_build
        content = CONTENT if register == "example" else big_content
    outputs = check_outputs(result, content)
    assert disagreements(outputs) == []
    if register == "late":  # 逾期完成 in every output, and ranked as completed
        assert all(facts[LATE]["status"] == "completed_late" for facts in outputs.values())
        assert outputs["json"][LATE]["rank"] in ("1", "2", "3", "4")
        screen = result.files["screen/index.html"].decode("utf-8")
        assert T("status.completed_late") in screen  # the strip's count and the legend
    truth = outputs["json"]
    # each output shows what it is meant to show, for every project
    for output in ("csv", "site", "sheets"):
        assert all(set(f) == set(FACTS) for f in outputs[output].values()), output
    assert all("rank" in f for f in outputs["bulletin"].values())
    promised = {pid for pid, f in truth.items() if f["promise"]}
    behind = {pid for pid, f in truth.items() if f["status"] in ("behind", "overdue")}
    for pid in promised & behind:
        assert outputs["screen"][pid].get("promise") == truth[pid]["promise"], pid
        assert outputs["bulletin"][pid].get("promise") == truth[pid]["promise"], pid
    for pid in promised:
        assert outputs["panel"][pid]["promise"] == truth[pid]["promise"], pid
    if register == "example":
        assert promised and behind  # the example has both, so the checks above did run


def test_a_disagreement_is_found() -> None:
    """The comparison reports a fact that differs (so the test above can fail)."""
    truth = {
        "a": {"status": "behind", "actual": "40", "planned": "60", "rank": "2", "promise": None}
    }
    shown = {"a": {"status": "on_track", "actual": "40"}}
    assert disagreements({"json": truth, "panel": shown}) == [
        "panel a status: 'on_track', the data says 'behind'"
    ]
