"""`board serve`: a preview that publishes nothing, served on localhost, rebuilt on change.

The preview is built into a private folder (under the user's cache folder,
`$XDG_CACHE_HOME/board/preview/`, never `output/` and never the record of published months), by
a child process running `python -m board build --preview-of OUTPUT` (board.build with
`preview_of`): it reads the real output's record to show the 更正 a build would publish, writes
nothing there, and every page and PDF it makes says 预览（未发布）. Its lock is its own, so
`board build` can publish while the preview runs; nothing is forked from this process's threads.
Each change is built in two steps, the site and the screen first, then everything with the PDFs;
a newer change stops the step running and starts again.

The server is Python's ThreadingHTTPServer bound to 127.0.0.1; a watchfiles thread watches the
register and the templates. A failed build prints its problems in the terminal and shows them
in a banner over the open page, while the last good preview keeps being served.

The reload script is injected into HTML responses only, never into the built files: it polls
`/__board__/status` (JSON, fetched from the same origin; no JSONP that another page could read)
and reloads the page when a new build is published. Requests whose Host is not localhost or
127.0.0.1 are refused (a DNS-rebinding page cannot read the preview), and a malformed URL is
answered 400. The language is the one the command runs in; the banners' is the register's
(its board.yaml's `language:`, read without validating the register).
"""

from __future__ import annotations

import contextvars
import hashlib
import html
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import watchfiles

from .i18n import LANGUAGES, Msg, current_language, translator
from .load import board_settings
from .render import default_templates
from .write import safe_output

log = logging.getLogger(__name__)

# the first step of every preview build: what a clerk looks at first (no PDFs)
FIRST_STAGES = ("data", "assets", "photos", "screen", "site")
WATCH_STEP_MS = 100  # the watcher's quiet wait: how soon it says the folders are watched
WATCH_READY_S = 10.0  # how long start() waits for that at most (a watcher that fails)
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
    changes: int = 0  # changes to the register seen (each starts a build)
    busy: bool = False  # a build is running or waiting
    complete: bool = False  # the last good build has the PDFs too
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self, title: str) -> dict[str, Any]:
        with self.lock:
            return {
                "build": self.build,
                "ok": self.ok,
                "errors": list(self.errors),
                "title": title,
                "changes": self.changes,
                "busy": self.busy,
                "complete": self.complete,
            }


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


def preview_folder(content_dir: Path | str, out_dir: Path | str) -> Path:
    """The private folder a register's preview is built into: under the user's cache folder,
    one per register and output (so the preview's build cache lasts between sessions)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = f"{os.path.realpath(content_dir)}\0{os.path.realpath(out_dir)}"
    return base / "board" / "preview" / hashlib.sha256(key.encode()).hexdigest()[:16] / "output"


def register_language(content_dir: Path | str) -> str:
    """The register's `language:` from board.yaml alone (no validation), else zh-CN."""
    language = board_settings(Path(content_dir)).get("language", "")
    return language if language in LANGUAGES else "zh-CN"


class BoardServer:
    """Preview, serve and watch; `start()` returns once the server listens, the register is
    watched (a change saved from then on is seen, even one saved while the first preview was
    building) and the site and screen of the first preview are built (the PDFs follow);
    `stop()` ends it all."""

    def __init__(
        self,
        content_dir: Path | str = "content",
        out_dir: Path | str = "output",
        port: int = 8000,
        host: str = "127.0.0.1",
        echo: Callable[[str], None] | None = None,
        debounce_ms: int = 400,
        watch: tuple[Path, ...] | None = None,
        preview_dir: Path | str | None = None,
        verbose: bool = False,
    ) -> None:
        self.content = Path(content_dir)
        self.verbose = verbose  # the child builds list every warning (board build --verbose)
        self.output = Path(out_dir)  # the published output: its record is read, never written
        self.out = Path(preview_dir) if preview_dir else preview_folder(content_dir, out_dir)
        self.host = host
        self.port = port
        self.echo = echo or (lambda message: log.info(message))
        self.debounce_ms = debounce_ms
        self.watch_paths = watch or (self.content, default_templates())
        self.state = State()
        self.language = current_language()
        self._stop = threading.Event()
        self._pending = threading.Event()
        self._watching = threading.Event()  # set once the watched folders are watched
        self._threads: list[threading.Thread] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._child: subprocess.Popen[str] | None = None
        self._child_lock = threading.Lock()
        self.banner = translator("zh-CN")("serve.error")

    # -- building: in a child process, never in this one --

    def command(self, stages: tuple[str, ...] | None) -> list[str]:
        """The child build: `python -m board build` of a preview of the output."""
        args = [
            sys.executable,
            "-m",
            "board",
            "--lang",
            self.language,
            "build",
            "--content",
            str(self.content),
            "--out",
            str(self.out),
            "--preview-of",
            str(self.output),
        ]
        if self.verbose:
            args.append("--verbose")
        return args + (["--stages", ",".join(stages)] if stages else [])

    def _run(self, stages: tuple[str, ...] | None) -> tuple[bool, list[str], str] | None:
        """One child build: (ok, problem lines, summary), or None when a newer change or
        stop() ended it first."""
        with self._child_lock:
            if self._stop.is_set():
                return None
            self._child = subprocess.Popen(
                self.command(stages),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,  # its PDF workers end with it (its process group)
            )
            child = self._child
        try:
            while True:
                try:
                    out, err = child.communicate(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    if self._pending.is_set() or self._stop.is_set():
                        self._end(child)
                        child.communicate()
                        return None
        finally:
            with self._child_lock:
                self._child = None
        lines = [line for line in err.splitlines() if line.strip()]
        summary = out.strip().splitlines()[-1] if out.strip() else ""
        if child.returncode == 0:
            return True, lines, summary
        if child.returncode != 1 or not lines:
            lines.append(Msg("msg.serve.child_failed", code=child.returncode).text())
        return False, lines, summary

    @staticmethod
    def _end(child: subprocess.Popen[str]) -> None:
        """End a child build this server started, and its PDF workers (its process group)."""
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            child.kill()

    def rebuild(self, stages: tuple[str, ...] | None = None) -> bool | None:
        """Build the preview once (the whole of it, or `stages`); record and print what came
        of it. None: stopped by a newer change."""
        done = self._run(stages)
        if done is None:
            return None
        ok, lines, summary = done
        with self.state.lock:
            self.state.ok = ok
            if ok:
                self.state.errors = []
                self.state.build += 1
                self.state.summary = summary
                self.state.complete = stages is None
            else:
                self.state.errors = lines
        if ok:
            self.echo(summary)
            for line in lines:
                self.echo(line)
        else:
            for line in lines:
                self.echo(line)
            if self.state.build or self.out.is_dir():
                self.echo(Msg("msg.serve.still_serving", out=self.out).text())
            else:
                self.echo(Msg("msg.serve.nothing_built").text())
        return ok

    def _round(self) -> None:
        """Site and screen first, then everything; a newer change starts the round again."""
        if self.rebuild(FIRST_STAGES) is not True or self._pending.is_set():
            return
        self.echo(Msg("msg.serve.pdfs_next").text())
        self.rebuild(None)

    def _builder(self, first_done: bool) -> None:
        if first_done and not self._pending.is_set():
            self.rebuild(None)  # the first preview's site and screen are there: the PDFs
        while not self._stop.is_set():
            with self.state.lock:
                self.state.busy = self._pending.is_set()
            self._pending.wait()
            if self._stop.is_set():
                break
            self._pending.clear()
            with self.state.lock:
                self.state.busy = True
            self._round()

    # -- serving --

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        server = self

        class Handler(_Handler):
            board = server

        # both folders must be board's own (write.safe_output) before anything else happens:
        # the output it previews (read only) and the preview folder
        out = safe_output(self.content, self.output)
        preview = safe_output(self.content, self.out, preview=True)
        if preview == out or out in preview.parents or preview in out.parents:
            from .errors import PublishError

            raise PublishError(Msg("msg.out.preview_is_output", out=self.out, output=self.output))
        # bind first: a port in use fails at once, before a build that may take seconds
        self._httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.banner = translator(register_language(self.content))("serve.error")
        with self.state.lock:
            self.state.busy = True
        self._start(self._watch, "board-serve-watch")
        try:
            first = self.rebuild(FIRST_STAGES) is True
        except BaseException:  # Ctrl-C during the first build: the watcher ends too
            self._stop.set()
            raise
        if first:
            self.echo(Msg("msg.serve.pdfs_next").text())
        # a change saved once start() has returned is never missed, however busy the machine
        self._watching.wait(timeout=WATCH_READY_S)
        self._start(self._httpd.serve_forever, "board-serve-http")
        self._start(lambda: self._builder(first), "board-serve-build")
        self.echo(
            Msg(
                "msg.serve.previewing",
                url=self.url,
                preview=self.out,
                out=self.output,
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
            self._watching.set()
            return
        # watchfiles watches the folders before it first waits; it yields an empty set after
        # each quiet `rust_timeout`, so the first yield says the folders are watched (a change
        # saved before it is one of the changes it yields then or next)
        for changes in watchfiles.watch(
            *paths,
            stop_event=self._stop,
            debounce=self.debounce_ms,
            step=50,
            raise_interrupt=False,
            rust_timeout=WATCH_STEP_MS,
            yield_on_timeout=True,
        ):
            self._watching.set()
            if self._stop.is_set():
                break
            if not changes:
                continue
            names = sorted({Path(p).name for _change, p in changes})
            self.echo(Msg("msg.serve.changed", names=", ".join(names)).text())
            with self.state.lock:
                self.state.changes += 1
                self.state.busy = True
            self._pending.set()

    def stop(self) -> None:
        self._stop.set()
        self._pending.set()
        with self._child_lock:
            if self._child is not None:
                self._end(self._child)
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
    preview_dir: Path | str | None = None,
    verbose: bool = False,
) -> None:
    """Run the preview until interrupted (Ctrl-C); `verbose`: every warning, those of published
    months too, as `board build --verbose` lists them."""
    server = BoardServer(
        content_dir, out_dir, port=port, echo=echo, preview_dir=preview_dir, verbose=verbose
    )
    server.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
