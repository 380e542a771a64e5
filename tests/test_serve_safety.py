# ruff: noqa: F811 (the fixtures of test_serve, imported)
"""`board serve` answers localhost only, serves its status as plain JSON, and answers a bad URL
with 400, never a traceback (issue 12)."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest

from board.serve import BoardServer, inject
from tests.test_serve import WAIT, fetch, served, server_and_lines  # noqa: F401 (fixtures)


def raw(server: BoardServer, path: str, host: str | None) -> tuple[int, dict[str, str], bytes]:
    """A request with exactly this path and Host header, as a browser or an attacker sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost:1", "", None],
)
def test_a_foreign_host_header_is_refused(served, host: str | None) -> None:
    server, _ = served
    shown = host.format(port=server.port) if host is not None else None
    for path in ("/__board__/status", "/site/index.html", "/"):
        code, _, body = raw(server, path, shown)
        assert (code, body) == (403, b"board serve answers localhost only\n"), path


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST:{port}"])
def test_localhost_is_served(served, host: str) -> None:
    server, _ = served
    code, headers, body = raw(server, "/__board__/status", host.format(port=server.port))
    assert code == 200
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body)["ok"] is True


def test_the_status_is_json_without_a_callback(served) -> None:
    server, _ = served
    assert fetch(server.url + "__board__/status.js")[0] == 404
    assert fetch(server.url + "__board__/status?callback=steal")[2].startswith(b"{")
    script = fetch(server.url + "__board__/reload.js")[2].decode()
    assert 'fetch("/__board__/status"' in script and "status.js" not in script


@pytest.mark.parametrize("path", ["/%00", "/site/%00index.html", "/a%5c..%5c..%5cetc", "x"])
def test_bad_urls_are_answered_400_without_a_traceback(served, path: str, capsys) -> None:
    server, _ = served
    code, _, body = raw(server, path, f"127.0.0.1:{server.port}")
    assert (code, body) == (400, b"bad request\n")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert fetch(server.url + "__board__/status")[0] == 200  # still serving


def test_the_served_page_may_fetch_only_from_itself() -> None:
    page = (
        b'<html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        b"script-src 'self'\"><body>x</body></html>"
    )
    assert inject(page) == (
        b'<html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        b"script-src 'self'; connect-src 'self'\"><body>x"
        b'<script src="/__board__/reload.js"></script></body></html>'
    )


@pytest.mark.browser
def test_the_open_page_polls_with_fetch_and_the_policy_holds(browser: Any, served) -> None:
    server, _ = served
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    polled: list[str] = []
    page.on("request", lambda r: polled.append(r.resource_type) if "status" in r.url else None)
    try:
        page.goto(server.url + "site/index.html")
        page.wait_for_event(
            "requestfinished", lambda r: "__board__/status" in r.url, timeout=WAIT * 1000
        )
        assert "fetch" in polled
        assert refused == []
    finally:
        page.close()


@pytest.mark.parametrize(
    "path, code",
    [
        ("/" + "a" * 5000, 414),
        ("/site/?" + "q=1&" * 1200, 414),
        ("/site/" + "长" * 100 + ".html", 404),  # 300 bytes: longer than a file name may be
        ("/" + "a/" * 2000, 404),
    ],
)
def test_a_url_over_4_kb_or_a_name_too_long_is_answered_without_a_traceback(
    served, path: str, code: int, capsys
) -> None:
    server, _ = served
    from urllib.parse import quote

    found, _, _ = raw(server, quote(path, safe="/?&="), f"127.0.0.1:{server.port}")
    assert found == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert fetch(server.url + "__board__/status")[0] == 200  # still serving


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", "８０８０８"])
def test_a_port_out_of_range_is_a_usage_error_in_the_office_language(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys, port: str
) -> None:
    from board.cli import main

    monkeypatch.setenv("BOARD_LANG", "zh-CN")
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--port", port, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"端口应为1到65535之间的整数，现为{port}" in err
    assert "Traceback" not in err and "Invalid value" not in err
    assert not (tmp_path / "out").exists()


def test_a_fullwidth_port_is_read_as_the_office_types_it() -> None:
    import click

    from board.cli import _port

    assert _port(click.Context(click.Command("serve")), None, "８０８１") == 8081  # type: ignore[arg-type]
