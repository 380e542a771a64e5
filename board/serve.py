"""`board serve`: build, serve `output/` on localhost, rebuild on change, reload the open page.

The server is Python's ThreadingHTTPServer bound to 127.0.0.1; a watchfiles thread watches the
register and the templates and rebuilds with board.build.build(). A failed rebuild prints its
problems in the terminal and shows them in a banner over the open page, while the last good
build keeps being served (build() publishes atomically and leaves the output alone on error).

The reload script is injected into HTML responses only, never into the built files: it polls
`/__board__/status` (JSON, fetched from the same origin; no JSONP that another page could read)
and reloads the page when a new build is published. Requests whose Host is not localhost or
127.0.0.1 are refused (a DNS-rebinding page cannot read the preview), and a malformed URL is
answered 400.
"""

from __future__ import annotations

import contextvars
import html
import json
import logging
import re
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import watchfiles

from .build import build
from .errors import BoardError
from .i18n import Msg, translator
from .render import default_templates
from .settled import split, summary
from .write import safe_output

log = logging.getLogger(__name__)

PREFIX = "/__board__/"
ALLOWED_HOSTS = ("localhost", "127.0.0.1")
MAX_URL = 4096  # bytes of the request target: no page of the output has a longer URL
PORTS = (1, 65535)
SCRIPT_TAG = b'<script src="/__board__/reload.js"></script>'
RELOAD_JS = """\
(function () {
  "use strict";
  // Polls /__board__/status with fetch(): plain JSON from this origin, no callback, so no other
  // page in the browser can read it (the preview adds connect-src 'self' to the page's policy).
  var build = null, box = null;
  function show(s) {
    if (!s.ok) {
      if (!box) {
        box = document.createElement("div");
        box.id = "board-serve-error";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
          "max-height:70vh;overflow:auto;background:#8b0000;color:#fff;" +
          "font:16px/1.5 monospace;padding:12px 16px;white-space:pre-wrap;" +
          "box-shadow:0 4px 12px rgba(0,0,0,.4)";
        document.body.appendChild(box);
      }
      var title = document.createElement("strong");
      title.style.cssText = "display:block;font:bold 20px/1.4 sans-serif;margin-bottom:8px";
      title.textContent = s.title;
      box.replaceChildren(title, document.createTextNode(s.errors.join("\\n")));
    } else if (box) {
      box.remove();
      box = null;
    }
  }
  function seen(s) {
    if (build === null) { build = s.build; }
    else if (s.build !== build) { location.reload(); return; }
    show(s);
  }
  function poll() {
    fetch("/__board__/status", {cache: "no-store", credentials: "omit"})
      .then(function (r) { return r.json(); })
      .then(seen, function () {})
      .then(function () { setTimeout(poll, 500); });
  }
  poll();
})();
"""


@dataclass
class State:
    """What the page and the terminal learn about the builds."""

    build: int = 0  # number of successful builds; the page reloads when it changes
    ok: bool = False
    errors: list[str] = field(default_factory=list)
    summary: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self, title: str) -> dict[str, Any]:
        with self.lock:
            return {"build": self.build, "ok": self.ok, "errors": list(self.errors), "title": title}


_CSP_META = re.compile(
    rb'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE
)


def _allow_status(match: re.Match[bytes]) -> bytes:
    policy = match.group(2)
    if b"connect-src" not in policy:
        policy += b"; connect-src 'self'"
    return match.group(1) + policy + match.group(3)


def inject(page: bytes) -> bytes:
    """An HTML page with the reload script before its closing </body> (or at the end).

    The page's own Content-Security-Policy gains `connect-src 'self'` (in the served copy
    only), so that the script may fetch the status from the preview itself and nothing else.
    """
    page = _CSP_META.sub(_allow_status, page, count=1)
    lower = page.lower()
    at = lower.rfind(b"</body>")
    if at < 0:
        return page + SCRIPT_TAG
    return page[:at] + SCRIPT_TAG + page[at:]


class BoardServer:
    """Build, serve and watch; `start()` returns once the server listens, `stop()` ends it."""

    def __init__(
        self,
        content_dir: Path | str = "content",
        out_dir: Path | str = "output",
        port: int = 8000,
        host: str = "127.0.0.1",
        echo: Callable[[str], None] | None = None,
        debounce_ms: int = 400,
        watch: tuple[Path, ...] | None = None,
    ) -> None:
        self.content = Path(content_dir)
        self.out = Path(out_dir)
        self.host = host
        self.port = port
        self.echo = echo or (lambda message: log.info(message))
        self.debounce_ms = debounce_ms
        self.watch_paths = watch or (self.content, default_templates())
        self.state = State()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._rebuild_lock = threading.Lock()
        self.banner = translator("zh-CN")("serve.error")

    # -- building --

    def rebuild(self) -> bool:
        """Build once; on failure record and print the problems, keep the last good output."""
        with self._rebuild_lock:
            try:
                result = build(self.content, self.out)
            except BoardError as exc:
                errors = [p.text() for p in getattr(exc, "problems", ())]
                errors.append(Msg("msg.cli.failed", reason=exc.message).text())
                ok = False
            except Exception as exc:  # a bug must not end the preview: show it, keep serving
                errors = [
                    *traceback.format_exception_only(type(exc), exc),
                    Msg("msg.serve.unexpected").text(),
                ]
                errors = [e.rstrip("\n") for e in errors]
                log.debug("build failed", exc_info=True)
                ok = False
            else:
                errors, ok = [], True
            with self.state.lock:
                self.state.ok = ok
                self.state.errors = errors
                if ok:
                    self.state.build += 1
                    self.state.summary = result.summary()
            if ok:
                self.echo(result.summary())
                shown, settled = split(result.warnings)  # published months' in one line
                for warning in shown:
                    self.echo(warning.text())
                line = summary(settled)
                if line is not None:
                    self.echo(line.text())
            else:
                for line in errors:
                    self.echo(line)
                if self.state.build or self.out.is_dir():
                    self.echo(Msg("msg.serve.still_serving", out=self.out).text())
                else:
                    self.echo(Msg("msg.serve.nothing_built").text())
            return ok

    # -- serving --

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        server = self

        class Handler(_Handler):
            board = server

        # the output must be board's own (write.safe_output) before anything else happens
        safe_output(self.content, self.out)
        # bind first: a port in use fails at once, before a build that may take seconds
        self._httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.banner = translator(_language(self.content))("serve.error")
        self.rebuild()
        self._start(self._httpd.serve_forever, "board-serve-http")
        self._start(self._watch, "board-serve-watch")
        self.echo(
            Msg(
                "msg.serve.serving",
                out=self.out,
                url=self.url,
                paths=", ".join(map(str, self.watch_paths)),
            ).text()
        )

    def _start(self, target: Callable[[], None], name: str) -> None:
        # the thread says its messages in the language of the command that started it
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(target,), name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        paths = [p for p in self.watch_paths if Path(p).exists()]
        if not paths:
            return
        for changes in watchfiles.watch(
            *paths,
            stop_event=self._stop,
            debounce=self.debounce_ms,
            step=50,
            raise_interrupt=False,
            rust_timeout=500,
        ):
            if self._stop.is_set():
                break
            names = sorted({Path(p).name for _change, p in changes})
            self.echo(Msg("msg.serve.changed", names=", ".join(names)).text())
            self.rebuild()

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def __enter__(self) -> BoardServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _language(content: Path) -> str:
    try:
        from .validate import check

        register, _ = check(content)
    except BoardError:
        return "zh-CN"
    return register.config.language


class _Handler(SimpleHTTPRequestHandler):
    board: BoardServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.board.out), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _host_allowed(self) -> bool:
        """Only localhost and 127.0.0.1 (with this server's port): no DNS rebinding."""
        host = (self.headers.get("Host") or "").strip().lower()
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
        if port and port != str(self.board.port):
            return False
        return name in ALLOWED_HOSTS

    def do_GET(self) -> None:
        if len(self.path) > MAX_URL:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, b"URL too long\n", "text/plain")
            return
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, b"board serve answers localhost only\n", "text/plain")
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith("/") or "\0" in unquote(path) or "\\" in unquote(path):
            self._send(HTTPStatus.BAD_REQUEST, b"bad request\n", "text/plain")
            return
        try:
            self._get(path)
        except (ValueError, UnicodeError):  # what translate_path and os make of a bad URL
            self._send(HTTPStatus.BAD_REQUEST, b"bad request\n", "text/plain")
        except OSError as exc:  # a name too long for the file system, a file gone meanwhile
            if isinstance(exc, ConnectionError):
                return  # the browser went away: nothing to answer
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _get(self, path: str) -> None:
        if path.startswith(PREFIX):
            self._board_endpoint(path[len(PREFIX) :])
            return
        target = Path(self.translate_path(self.path))
        if path == "/" and not (target / "index.html").exists():
            for home in ("site", "screen"):  # the public site, else the lobby screen
                if (target / home / "index.html").is_file():
                    self.send_response(HTTPStatus.FOUND)
                    self.send_header("Location", f"/{home}/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
        if target.is_dir():
            if not path.endswith("/"):
                super().do_GET()  # the redirect to the folder with a slash
                return
            target = target / "index.html"
        if target.suffix in (".html", ".htm") and target.is_file():
            try:
                page = target.read_bytes()
            except OSError:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self._send(HTTPStatus.OK, inject(page), "text/html; charset=utf-8")
            return
        if not target.exists() and not self.board.state.ok and path.endswith(("/", ".html")):
            self._error_page()
            return
        super().do_GET()

    def _board_endpoint(self, name: str) -> None:
        if name == "status":
            body = json.dumps(self.board.state.snapshot(self.board.banner), ensure_ascii=False)
            self._send(HTTPStatus.OK, body.encode(), "application/json; charset=utf-8")
        elif name == "reload.js":
            self._send(HTTPStatus.OK, RELOAD_JS.encode(), "text/javascript; charset=utf-8")
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _error_page(self) -> None:
        """No good build yet: a page with the problems, which reloads once the build works."""
        snapshot = self.board.state.snapshot(self.board.banner)
        items = "\n".join(f"<li>{html.escape(e)}</li>" for e in snapshot["errors"])
        page = (
            '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>board serve</title>'
            f"<body><h1>{html.escape(snapshot['title'])}</h1><ul>{items}</ul></body></html>"
        ).encode()
        self._send(HTTPStatus.SERVICE_UNAVAILABLE, inject(page), "text/html; charset=utf-8")


def serve(
    content_dir: Path | str = "content",
    out_dir: Path | str = "output",
    port: int = 8000,
    echo: Callable[[str], None] | None = None,
) -> None:
    """Run the preview until interrupted (Ctrl-C)."""
    server = BoardServer(content_dir, out_dir, port=port, echo=echo)
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
