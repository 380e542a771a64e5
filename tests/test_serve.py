"""`board serve`: it serves a preview on localhost, rebuilds it after a change (site and screen
first, the PDFs after), and after a bad change shows the problems while it keeps serving the
last good preview. What it never does (publish, touch the record) is tests/test_preview.py."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import watchfiles

from board.cli import main
from board.serve import BoardServer, inject
from tests.conftest import BOARD_YAML, project_yaml, shoot, write_files

WAIT = 20.0  # seconds: the longest any test waits for a rebuild


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def status(server: BoardServer) -> dict[str, Any]:
    return json.loads(fetch(server.url + "__board__/status")[2])


def wait_for(condition: Callable[[], bool], what: str, wait: float = WAIT) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {wait:g} s for {what}")


@pytest.fixture(scope="module")
def server_and_lines(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[BoardServer, list[str]]]:
    """One server for the module (every build renders PDFs, which takes seconds): each test
    leaves the register as it found it, valid, and compares build numbers, not absolute ones."""
    root = tmp_path_factory.mktemp("serve")
    content = write_files(
        root / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-08.yaml": "month: 2020-08\nprojects:\n"
            "  a: {percent: 60, progress: 主体施工}\n  b: {percent: 50, progress: 基础施工}\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n"
            "  a: {percent: 70, progress: 主体封顶}\n  b: {percent: 60, progress: 主体施工}\n",
        },
    )
    lines: list[str] = []
    server = BoardServer(
        content,
        root / "output",
        port=0,
        echo=lines.append,
        watch=(content,),
        preview_dir=root / "preview" / "output",
    )
    server.start()
    try:
        yield server, lines
    finally:
        server.stop()


def settled(server: BoardServer, changes: int = 0, wait: float = 4 * WAIT) -> dict[str, Any]:
    """The status once the server has taken in `changes` changes and built all it had to (the
    PDFs too: a busy machine takes its time)."""
    found: dict[str, Any] = {}

    def done() -> bool:
        found.update(status(server))
        return found["changes"] >= changes and not found["busy"]

    wait_for(done, f"the preview after {changes} changes", wait)
    return found


@pytest.fixture
def served(server_and_lines: tuple[BoardServer, list[str]]) -> tuple[BoardServer, list[str]]:
    server, _ = server_and_lines
    state = settled(server)
    assert state["ok"] and state["complete"], "a test before this one left the register broken"
    return server_and_lines


@contextmanager
def edited(path: Path, old: str, new: str) -> Iterator[None]:
    """Change a content file for the test, and put it back (and wait for that build) after."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(text, encoding="utf-8")


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
    # site and screen first, then everything with the PDFs
    assert lines[0].startswith("built 2020-09: 2 projects, 2 months")
    first = lines.index("site and screen updated; the PDFs follow")
    assert lines[first + 1].startswith(
        f"previewing (nothing published) at {server.url}, built in {server.out}; "
    )
    assert any(line.startswith("built 2020-09") for line in lines[first + 2 :])
    assert (server.out / "print" / "panel-2020-09.pdf").is_file()
    state = status(server)
    assert (state["ok"], state["errors"]) == (True, [])
    assert state["title"] == "内容有错误，未能重新生成；仍显示上一次成功生成的版本"
    code, headers, body = fetch(server.url + "site/data/board.json")
    assert code == 200 and headers["Cache-Control"] == "no-store"
    assert body == (server.out / "site" / "data" / "board.json").read_bytes()  # not injected
    assert fetch(server.url + "__board__/reload.js")[2].startswith(b"(function () {")
    assert fetch(server.url + "__board__/status.js")[0] == 404  # no JSONP (issue 12)


def test_html_is_injected_when_served_never_on_disk(
    served: tuple[BoardServer, list[str]],
) -> None:
    server, _ = served
    pages = sorted(server.out.rglob("*.html"))
    assert pages, "the build has HTML pages (the lobby screen at least)"
    for page in pages[:3]:
        on_disk = page.read_bytes()
        code, headers, body = fetch(server.url + page.relative_to(server.out).as_posix())
        assert code == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert body.count(b'<script src="/__board__/reload.js"></script>') == 1
        served_copy = body.replace(b'<script src="/__board__/reload.js"></script>', b"")
        # the served copy's policy lets the script fetch the status (issue 12)
        assert served_copy.replace(b"; connect-src 'self'", b"", 1) == on_disk
        assert b"__board__" not in on_disk


def test_rebuilds_after_a_change(served: tuple[BoardServer, list[str]]) -> None:
    server, lines = served
    assert percent_of(board_json(server), "a") == 70
    before = status(server)
    with edited(server.content / "reports" / "2020-09.yaml", "percent: 70", "percent: 85"):
        state = settled(server, before["changes"] + 1)
        assert state["build"] >= before["build"] + 2 and state["complete"]  # site, then PDFs
        assert percent_of(board_json(server), "a") == 85
        assert any(line.startswith("changed: 2020-09.yaml") for line in lines)
    settled(server, before["changes"] + 2)
    assert percent_of(board_json(server), "a") == 70


def test_keeps_serving_the_last_good_build_after_a_bad_change(
    served: tuple[BoardServer, list[str]],
) -> None:
    server, lines = served
    before = status(server)
    good = fetch(server.url + "site/data/board.json")[2]
    with edited(server.content / "projects" / "b.yaml", "2020-12-31", "2020-02-30"):
        state = settled(server, before["changes"] + 1)
        assert not state["ok"]
        assert state["build"] == before["build"]
        assert state["errors"][0].endswith(
            "projects/b.yaml:6:11: deadline (完成时限): expected a date YYYY-MM-DD, "
            "got 2020-02-30 (February has 29 days in 2020)"
        )
        assert state["errors"][-1] == "failed: 1 error, 0 warnings; nothing was written"
        assert fetch(server.url + "site/data/board.json")[2] == good
        assert any(line.endswith("(February has 29 days in 2020)") for line in lines)
        assert lines[-1] == f"still serving the last good build from {server.out}"
    # repaired: the next build is published and the error is gone
    state = settled(server, before["changes"] + 2)
    assert state["ok"] and state["errors"] == [] and state["build"] > before["build"]


@contextmanager
def broken_server(scratch: Path, tmp_path: Path) -> Iterator[tuple[BoardServer, list[str]]]:
    """A server of its own on the scratch register made invalid: its first build fails at once
    (board.yaml without an issuer). Yields it with the lines it printed; stopped after."""
    (scratch / "board.yaml").write_text("title: x\n", encoding="utf-8")
    lines: list[str] = []
    server = BoardServer(
        scratch,
        tmp_path / "never",
        port=0,
        echo=lines.append,
        watch=(scratch,),
        preview_dir=tmp_path / "preview",
    )
    server.start()
    try:
        yield server, lines
    finally:
        server.stop()


def test_first_build_failing_shows_an_error_page(scratch: Path, tmp_path: Path) -> None:
    with broken_server(scratch, tmp_path) as (server, lines):
        code, _, body = fetch(server.url)
        assert code == 503
        page = body.decode()
        assert "issuer (发布单位): required field is missing" in page
        assert '<script src="/__board__/reload.js"></script>' in page
        assert "nothing built yet: the page shows these problems until they are fixed" in lines


def test_a_change_saved_the_moment_serve_has_started_is_seen(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """start() returns once the register is watched: a change saved the moment it returns is
    never missed, even when the watcher is slow to start (a busy machine; here a second late)."""
    real = watchfiles.watch

    def slow(*paths: Any, **options: Any) -> Iterator[set[Any]]:
        time.sleep(1.0)
        yield from real(*paths, **options)

    monkeypatch.setattr(watchfiles, "watch", slow)
    with broken_server(scratch, tmp_path) as (server, lines):
        (scratch / "board.yaml").write_text("title: y\n", encoding="utf-8")
        state = settled(server, 1, wait=WAIT)
        assert state["changes"] == 1 and not state["ok"]
        assert "changed: board.yaml; rebuilding" in lines


def _page_reloaded(page: Any) -> bool:
    try:
        return page.evaluate("window.__before_reload === undefined")
    except Exception:  # the old page is gone while the new one loads
        return False


@pytest.mark.browser
def test_the_open_page_shows_the_error_and_reloads_when_fixed(
    browser: Any, served: tuple[BoardServer, list[str]], artifacts: Path
) -> None:
    server, _ = served
    before = status(server)
    pages = ["site/index.html", "screen/index.html"]
    path = next((p for p in pages if (server.out / p).exists()), "probe.html")
    if path == "probe.html":  # a page with as strict a policy as the public site's
        (server.out / path).write_text(
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'self'; script-src 'self'\"><title>预览</title>"
            "<body><h1>全县重点项目建设进度公示</h1></body></html>",
            encoding="utf-8",
        )
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    report = server.content / "reports" / "2020-09.yaml"
    try:
        page.goto(server.url + path)
        page.evaluate("window.__before_reload = 1")
        with edited(report, "percent: 70", "percent: 170"):
            banner = page.locator("#board-serve-error")
            banner.wait_for(state="visible", timeout=WAIT * 1000)
            assert "内容有错误" in banner.inner_text()
            assert "expected a whole percent 0-100, got 170" in banner.inner_text()
            shoot(page, artifacts / "serve-error-banner.png")
        wait_for(lambda: _page_reloaded(page), "the page to reload with the repaired build")
        assert settled(server, before["changes"] + 2)["build"] > before["build"]
        assert page.locator("#board-serve-error").count() == 0
        assert refused == []
    finally:
        page.close()


def test_the_root_leads_to_a_page(served: tuple[BoardServer, list[str]]) -> None:
    server, _ = served
    home = next(h for h in ("site", "screen") if (server.out / h / "index.html").exists())
    with urllib.request.urlopen(server.url, timeout=5) as response:
        assert response.url == server.url + home + "/"
        assert b'<script src="/__board__/reload.js"></script>' in response.read()


def test_a_port_in_use_is_refused_before_building(
    capsys: pytest.CaptureFixture[str], served: tuple[BoardServer, list[str]], tmp_path: Path
) -> None:
    server, _ = served
    code = main(
        ["serve", str(server.content), "--out", str(tmp_path / "o"), "--port", str(server.port)]
    )
    assert code == 1
    assert capsys.readouterr().err.startswith(f"failed: cannot serve on 127.0.0.1:{server.port}: ")
    assert not (tmp_path / "o").exists()


def test_serve_verbose_lists_every_warning_in_its_builds(
    scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`board serve --verbose` (or `board --verbose serve`) runs its preview builds with
    `--verbose`, so the warnings of published months are listed one by one, as `board build
    --verbose` lists them; without it the builds summarise them in one line."""
    import board.serve

    asked: list[bool] = []
    monkeypatch.setattr(board.serve, "serve", lambda *a, **k: asked.append(k["verbose"]))
    for args in (["serve", "--verbose"], ["--verbose", "serve"], ["serve"]):
        assert main([*args, "--content", str(scratch), "--out", str(tmp_path / "o")]) == 0
    assert asked == [True, True, False]
    verbose = BoardServer(scratch, tmp_path / "o", verbose=True).command(None)
    quiet = BoardServer(scratch, tmp_path / "o").command(None)
    assert "--verbose" in verbose and "--verbose" not in quiet
    assert verbose.index("--verbose") > verbose.index("build")  # an option of the build
