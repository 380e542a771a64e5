"""`board serve`: it serves the build on localhost, rebuilds after a change, and after a bad
change shows the problems while it keeps serving the last good build."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from board.serve import BoardServer, inject

WAIT = 20.0  # seconds: the longest any test waits for a rebuild


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def status(server: BoardServer) -> dict[str, Any]:
    return json.loads(fetch(server.url + "__board__/status")[2])


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {WAIT:g} s for {what}")


@pytest.fixture
def served(scratch: Path, tmp_path: Path) -> Iterator[tuple[BoardServer, list[str]]]:
    lines: list[str] = []
    server = BoardServer(scratch, tmp_path / "output", port=0, echo=lines.append, watch=(scratch,))
    server.start()
    try:
        yield server, lines
    finally:
        server.stop()


def board_json(server: BoardServer) -> dict[str, Any]:
    code, _, body = fetch(server.url + "site/data/board.json")
    assert code == 200
    return json.loads(body)


def percent_of(data: dict[str, Any], pid: str) -> int:
    return next(p["percent"] for p in data["projects"] if p["id"] == pid)


def test_inject_puts_the_script_before_the_end_of_body() -> None:
    page = b"<html><body><p>x</p></BODY></html>"
    assert inject(page) == (
        b'<html><body><p>x</p><script src="/__board__/reload.js"></script></BODY></html>'
    )
    assert inject(b"<p>fragment</p>").endswith(b'<script src="/__board__/reload.js"></script>')


def test_serves_the_build_on_localhost(served: tuple[BoardServer, list[str]]) -> None:
    server, lines = served
    assert server.url.startswith("http://127.0.0.1:")
    assert lines[0].startswith("built 2020-09: 2 projects, 2 months")
    assert any(line.startswith("serving ") for line in lines)
    assert status(server) == {
        "build": 1,
        "ok": True,
        "errors": [],
        "title": "内容有错误，未能重新生成；仍显示上一次成功生成的版本",
    }
    code, headers, body = fetch(server.url + "site/data/board.json")
    assert code == 200 and headers["Cache-Control"] == "no-store"
    assert body == (server.out / "site" / "data" / "board.json").read_bytes()  # not injected
    assert fetch(server.url + "__board__/reload.js")[2].startswith(b"(function () {")


def test_html_is_injected_when_served_never_on_disk(
    served: tuple[BoardServer, list[str]],
) -> None:
    server, _ = served
    pages = sorted(server.out.rglob("*.html"))
    if not pages:  # before the site and screen stages exist, any page in the output will do
        pages = [server.out / "probe.html"]
        pages[0].write_bytes(b"<!doctype html><title>p</title><body><h1>p</h1></body>")
    page = pages[0]
    on_disk = page.read_bytes()
    code, headers, body = fetch(server.url + page.relative_to(server.out).as_posix())
    assert code == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script src="/__board__/reload.js"></script>' in body
    assert body.replace(b'<script src="/__board__/reload.js"></script>', b"") == on_disk
    assert b"__board__" not in page.read_bytes()


def test_rebuilds_after_a_change(served: tuple[BoardServer, list[str]], scratch: Path) -> None:
    server, lines = served
    assert percent_of(board_json(server), "a") == 70
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("70", "85"), encoding="utf-8")
    wait_for(lambda: status(server)["build"] == 2, "the rebuild")
    assert percent_of(board_json(server), "a") == 85
    assert any(line.startswith("changed: 2020-09.yaml") for line in lines)


def test_keeps_serving_the_last_good_build_after_a_bad_change(
    served: tuple[BoardServer, list[str]], scratch: Path
) -> None:
    server, lines = served
    good = fetch(server.url + "site/data/board.json")[2]
    project = scratch / "projects" / "b.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("2020-12-31", "2020-02-30"), encoding="utf-8")
    wait_for(lambda: not status(server)["ok"], "the failed rebuild")
    state = status(server)
    assert state["build"] == 1
    assert state["errors"][0].endswith(
        "projects/b.yaml:6:11: deadline (完成时限): expected a date YYYY-MM-DD, got 2020-02-30 "
        "(February has 29 days in 2020)"
    )
    assert state["errors"][-1] == "failed: 1 error(s) in the register"
    assert fetch(server.url + "site/data/board.json")[2] == good
    assert any("2020-02-30" in line for line in lines)  # the terminal shows it too
    assert lines[-1].startswith("still serving the last good build from ")
    # fixed: the next build is published and the error is gone
    project.write_text(text, encoding="utf-8")
    wait_for(lambda: status(server)["ok"], "the repaired build")
    assert status(server)["build"] == 2


def test_first_build_failing_shows_an_error_page(scratch: Path, tmp_path: Path) -> None:
    (scratch / "board.yaml").write_text("title: x\n", encoding="utf-8")
    server = BoardServer(scratch, tmp_path / "never", port=0, echo=lambda _: None, watch=(scratch,))
    server.start()
    try:
        code, _, body = fetch(server.url)
        assert code == 503
        page = body.decode()
        assert "issuer (发布单位): required field is missing" in page
        assert '<script src="/__board__/reload.js"></script>' in page
    finally:
        server.stop()


@pytest.mark.browser
def test_the_open_page_shows_the_error_and_reloads_when_fixed(
    browser: Any, served: tuple[BoardServer, list[str]], scratch: Path, artifacts: Path
) -> None:
    server, _ = served
    index = server.out / "site" / "index.html"
    path = "site/index.html" if index.exists() else "probe.html"
    if not index.exists():
        (server.out / path).write_text(
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>预览</title>'
            "<body><h1>全县重点项目建设进度公示</h1></body></html>",
            encoding="utf-8",
        )
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(server.url + path)
        page.evaluate("window.__before_reload = 1")
        report = scratch / "reports" / "2020-09.yaml"
        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace("percent: 70", "percent: 170"), encoding="utf-8")
        banner = page.locator("#board-serve-error")
        banner.wait_for(state="visible", timeout=WAIT * 1000)
        assert "内容有错误" in banner.inner_text()
        assert "expected a whole percent 0-100, got 170" in banner.inner_text()
        page.screenshot(path=str(artifacts / "serve-error-banner.png"))
        report.write_text(text.replace("percent: 70", "percent: 75"), encoding="utf-8")
        page.wait_for_function("window.__before_reload === undefined", timeout=WAIT * 1000)
        assert status(server)["build"] == 2
    finally:
        page.close()


def test_the_root_leads_to_the_public_site(served: tuple[BoardServer, list[str]]) -> None:
    server, _ = served
    index = server.out / "site" / "index.html"
    if not index.exists():  # before the site stage exists
        index.write_bytes(b"<!doctype html><title>site</title><body>site</body>")
    with urllib.request.urlopen(server.url, timeout=5) as response:
        assert response.url == server.url + "site/"
        assert b'<script src="/__board__/reload.js"></script>' in response.read()
