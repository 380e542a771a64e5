"""A preview publishes nothing (issue 19, and issue 21's serve bullet).

August and September are published for real; then `board serve` previews the register while a
past report is edited and put back. The output and the record are hashed before and after the
whole session: unchanged. The preview itself is built in a private folder, by child processes,
shows the 更正 a build would publish, and says 预览（未发布） on every page and PDF. A real
`board build` runs while the preview is building.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.published import archive_dir
from board.serve import BoardServer, preview_folder, register_language
from board.write import output_lock
from tests.conftest import BOARD_YAML, NO_PDF, project_yaml, write_files
from tests.test_output_safety import tree
from tests.test_record import pdftotext
from tests.test_serve import edited, fetch, settled, status


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1604188800")
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1),
            "reports/2020-08.yaml": "month: 2020-08\nprojects:\n  a: {percent: 60, progress: 主体施工}\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n",
        },
    )
    out = tmp_path / "output"
    build(content, out, stages=NO_PDF)
    return content, out


@pytest.fixture
def server(published: tuple[Path, Path], tmp_path: Path) -> Iterator[BoardServer]:
    content, out = published
    lines: list[str] = []
    board = BoardServer(
        content, out, port=0, echo=lines.append, watch=(content,), preview_dir=tmp_path / "preview"
    )
    board.start()
    try:
        yield board
    finally:
        board.stop()


def test_a_preview_session_with_edits_changes_neither_the_output_nor_the_record(
    published: tuple[Path, Path], server: BoardServer
) -> None:
    content, out = published
    before = tree(out), tree(archive_dir(out))
    state = settled(server)
    assert state["ok"] and state["complete"]
    august = content / "reports" / "2020-08.yaml"
    with edited(august, "主体施工", "主体施工，二层完工"):
        state = settled(server, 1)
        assert state["ok"] and state["complete"]
        # the preview shows the correction a build would publish: read the record, never write
        code, _, page = fetch(server.url + "site/2020-08/index.html")
        assert code == 200
        text = page.decode("utf-8")
        assert "2020年11月1日更正（第2版）：项目a：具体进度" in text
        assert (server.out / "site" / "data" / "board-2020-08-r2.json").is_file()
        assert (server.out / "print" / "panel-2020-08-r2.pdf").is_file()
        assert (tree(out), tree(archive_dir(out))) == before
    settled(server, 2)
    assert not (server.out / "site" / "data" / "board-2020-08-r2.json").exists()
    server.stop()
    assert (tree(out), tree(archive_dir(out))) == before  # not a byte, after the session
    # the preview is never in the published places
    assert not any(p.name.startswith(".output.new") for p in out.parent.iterdir())
    assert server.out == out.parent / "preview"


def test_every_preview_page_and_pdf_says_it_is_a_preview(server: BoardServer) -> None:
    assert settled(server)["complete"]
    for page in ("site/index.html", "site/2020-08/index.html", "site/archive/index.html"):
        body = (server.out / page).read_text(encoding="utf-8")
        assert (
            '<p class="preview-banner" role="note">预览（未发布）：这是board serve生成的预览，'
            "不是公示的内容</p>"
        ) in body, page
    screen = (server.out / "screen" / "index.html").read_text(encoding="utf-8")
    assert '<div class="preview-banner" role="note">预览（未发布）</div>' in screen
    for pdf in ("panel", "sheets", "bulletin"):
        assert "预览（未发布）" in pdftotext(server.out / "print" / f"{pdf}-2020-09.pdf"), pdf
    # a published build has none of it
    assert "preview-banner" not in (server.output / "site" / "index.html").read_text("utf-8")


def test_a_build_runs_while_the_preview_builds(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    """No lock is shared: the preview holds its own folder's lock, the build the output's."""
    content, out = published
    preview = tmp_path / "preview"
    with output_lock(preview):  # as a preview build holds it
        result = build(content, out, stages=NO_PDF, force=True)
    assert not result.up_to_date


def test_a_build_runs_while_serve_is_running(
    published: tuple[Path, Path], server: BoardServer
) -> None:
    content, out = published
    with edited(content / "reports" / "2020-09.yaml", "主体封顶", "主体封顶，开始装修"):
        # right after the change: the preview's child builds run while this one publishes
        done = subprocess.run(
            [sys.executable, "-m", "board", "build", str(content), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "开始装修" in (out / "site" / "data" / "board.json").read_text(encoding="utf-8")
        settled(server, 1)
    settled(server, 2)


def test_the_preview_folder_is_private_and_its_own(published: tuple[Path, Path]) -> None:
    content, out = published
    folder = preview_folder(content, out)
    cache = Path(__import__("os").environ["XDG_CACHE_HOME"])
    assert cache in folder.parents
    assert out not in folder.parents and archive_dir(out) not in folder.parents


def test_a_preview_is_never_published_into_and_never_built_over_an_output(
    published: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, out = published
    preview = tmp_path / "preview"
    build(content, preview, stages=("data", "site"), preview_of=out)
    code = main(["build", str(content), "--out", str(preview)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"failed: {preview} is a preview folder of board serve, which never publishes; give "
        "another --out\n"
    )
    before = tree(out)
    code = main(["build", str(content), "--out", str(out), "--preview-of", str(out)])
    assert code == 1
    assert "is a published output folder; a preview is never built there" in capsys.readouterr().err
    assert tree(out) == before


def test_serve_takes_its_language_from_board_yaml_alone(tmp_path: Path) -> None:
    """A register that does not validate still says which language its banner is in."""
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML + "language: en\n",
            "projects/a.yaml": "id: a\nname: [broken\n",
        },
    )
    assert register_language(content) == "en"
    board = BoardServer(
        content, tmp_path / "output", port=0, echo=lambda _: None, preview_dir=tmp_path / "p"
    )
    board.start()
    try:
        state = status(board)
        assert not state["ok"]
        assert state["title"] == (
            "The content has errors and was not rebuilt; showing the last good build"
        )
    finally:
        board.stop()


def test_serve_help_says_it_previews_and_build_publishes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--lang", "zh-CN", "serve", "--help"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "在本机预览，不发布" in said and "发布请用board build" in said
    assert main(["--lang", "zh-CN", "build", "--help"]) == 0
    assert "本地预览请用board serve" in " ".join(capsys.readouterr().out.split())
