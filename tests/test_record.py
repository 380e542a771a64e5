"""What was published stays true (issue 19): the record of published months is verified on every
build, restored from the output where it is lost, and refused where it cannot be trusted.

Each row of the issue's table is done the way it was found: August and September of the scratch
register are published, August is corrected (`-r2`, 更正), then the record or the output is
damaged and `board build` runs. The output and the record are hashed before and after: each case
is now refused (one line, exit 1, nothing changed), restored (a warning line, every file as it
was) or marked (重新生成, with the date, on the page, in the PDF's text and in the feed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.published import archive_dir
from tests.conftest import NO_PDF, scratch_register
from tests.test_output_safety import tree

EPOCH = "1604188800"  # 2020-11-01: the day of the correction, and of a history rebuilt


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`board build ARGS` as the office types it, without the PDFs (as the fixture built)."""
    code = main(["build", *args, "--stages", ",".join(NO_PDF)])
    out, err = capsys.readouterr()
    return code, out, err


def correct_august(content: Path) -> None:
    report = content / "reports" / "2020-08.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("主体施工}", "主体施工，二层完工}", 1), encoding="utf-8")


@pytest.fixture
def published(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """August and September published, then August corrected: the output in tmp_path/output,
    with `-r2` files, the 更正 notice and the record beside it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "output"
    build(scratch, out, stages=NO_PDF)
    correct_august(scratch)
    build(scratch, out, stages=NO_PDF)
    assert (out / "site" / "data" / "board-2020-08-r2.json").is_file()
    return out


def month_files(root: Path) -> dict[str, str]:
    return {n: h for n, h in tree(root).items() if n.startswith(("print/", "site/data/"))}


def restored(
    capsys: pytest.CaptureFixture[str], content: Path, out: Path, warning: str
) -> tuple[str, str]:
    code, stdout, err = run(capsys, str(content), "--out", str(out))
    assert code == 0, err
    lines = [line for line in err.splitlines() if "警告" in line or "warning: " in line]
    said = [line for line in lines if warning in line]
    assert len(said) == 1, err
    assert "Traceback" not in err
    return said[0], stdout


def test_the_record_gone_is_restored_from_the_output(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    before = tree(record), tree(published)
    shutil.rmtree(record)
    line, _ = restored(capsys, scratch, published, "is gone; restored from the output")
    assert line == (
        f"{record}: warning: the record {record} is gone; restored from the output {published} "
        "after checking 6 files against .board-build.json (2 months); back the record up "
        "(board archive export)"
    )
    assert (tree(record), tree(published)) == before  # every file, -r2 and 更正 as they were
    page = (published / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="correction-title">更正</h2>' in page


def test_a_moved_output_brings_its_record_with_it(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mv out www`: the record stays beside the old name; the moved output restores its own."""
    www = published.parent / "www"
    old = month_files(published)
    published.rename(www)
    restored(capsys, scratch, www, "is gone; restored from the output")
    assert month_files(www) == old
    assert tree(archive_dir(www)) == tree(archive_dir(published))
    page = (www / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    assert "更正（第2版）" in page


def test_a_truncated_record_is_restored_and_kept_aside(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    before = tree(record), month_files(published)
    whole = (record / "record.json").read_bytes()
    with open(record / "record.json", "r+b") as handle:
        handle.truncate(200)
    line, _ = restored(capsys, scratch, published, "is damaged")
    assert line.startswith(
        f"{record}: warning: the record {record} is damaged (not whole JSON (line "
    )
    assert (record / "record.json.damaged").read_bytes() == whole[:200]  # kept, never deleted
    after = tree(record)
    del after["record.json.damaged"]
    assert (after, month_files(published)) == before


def test_a_deleted_stored_file_is_restored(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    before = tree(record), month_files(published)
    digest = json.loads((published / ".board-build.json").read_text())["files"][
        "site/data/board-2020-08.json"
    ]
    (record / digest).unlink()
    line, _ = restored(capsys, scratch, published, "were missing or changed")
    assert line == (
        f"{record}: warning: files of the record {record} were missing or changed (1 file, "
        "such as site/data/board-2020-08.json); restored from the output after checking each "
        "against its listed hash; find out who changed the record, and back it up (board "
        "archive export)"
    )
    assert (tree(record), month_files(published)) == before


def test_an_edited_stored_file_is_never_published(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    before = tree(record), month_files(published)
    digest = json.loads((published / ".board-build.json").read_text())["files"][
        "site/data/projects-2020-08.csv"
    ]
    edited = (record / digest).read_bytes().replace("主体施工".encode(), "全部完工".encode())
    (record / digest).write_bytes(edited)
    shutil.rmtree(published / "site" / "2020-09")  # something for the build to publish
    restored(capsys, scratch, published, "were missing or changed")
    assert (record / f"{digest}.damaged").read_bytes() == edited  # kept beside, not published
    after = tree(record)
    del after[f"{digest}.damaged"]
    assert (after, month_files(published)) == before
    assert "全部完工" not in (published / "site/data/projects-2020-08.csv").read_text("utf-8")


def refused(
    capsys: pytest.CaptureFixture[str], content: Path, out: Path, *watch: Path, args: tuple = ()
) -> str:
    before = [tree(w) for w in watch]
    code, _, err = run(capsys, str(content), "--out", str(out), *args)
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert [tree(w) for w in watch] == before
    return lines[0]


def test_a_stored_file_replaced_by_a_link_is_refused(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    digest = json.loads((published / ".board-build.json").read_text())["files"][
        "site/data/projects-2020-08.csv"
    ]
    (record / digest).unlink()
    (record / digest).symlink_to("/etc/passwd")
    line = refused(capsys, scratch, published, published, record, args=("--force",))
    assert line == (
        f"failed: {record / digest} in the record is a symbolic link, not a file board stored; "
        "board never reads, replaces or deletes it: move it out of the record folder and run "
        "board build again (a missing file is restored from the output after it is checked)"
    )
    passwd = Path("/etc/passwd").read_bytes()
    assert all(p.read_bytes() != passwd for p in published.rglob("*") if p.is_file())
    # moved away as the message says: the next build restores the file from the output
    (record / digest).unlink()
    restored(capsys, scratch, published, "were missing or changed")


def test_a_record_folder_that_is_a_link_is_refused_and_the_shared_folder_untouched(
    published: Path, scratch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    shared = tmp_path / "shared"
    shutil.copytree(record, shared)
    (shared / "minutes.docx").write_bytes(b"the office's own")
    (shared / "photos").mkdir()
    (shared / "photos" / "site.jpg").write_bytes(b"\xff\xd8")
    shutil.rmtree(record)
    record.symlink_to(shared)
    line = refused(capsys, scratch, published, shared, published, args=("--force",))
    assert line.startswith(f"failed: the record folder {record} is a symbolic link; ")
    assert (shared / "minutes.docx").read_bytes() == b"the office's own"
    assert record.is_symlink()


def test_both_lost_is_refused_and_names_the_way_on(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = archive_dir(published)
    shutil.rmtree(record)
    shutil.rmtree(published)
    code, _, err = run(capsys, str(scratch), "--out", str(published))
    assert code == 1
    assert err == (
        f"failed: the record of published months {record} is gone, and the output {published} "
        "holds no copy that can be checked: the months as first published cannot be brought "
        "back. Restore a backup (board archive restore BACKUP.zip); without one, run board "
        "build --rebuild-history to render past months again from the register, each marked as "
        "rebuilt, with the date, on its pages, its PDFs and in the feed\n"
    )
    assert not published.exists() and not record.exists()


def test_both_lost_reads_in_chinese(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(archive_dir(published))
    shutil.rmtree(published)
    code = main(["--lang", "zh-CN", "build", str(scratch), "--out", str(published)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"失败：以往发布的公示记录{archive_dir(published)}不存在，")
    assert "board build --rebuild-history根据登记材料重新生成以往各月" in err


def test_a_damaged_record_without_the_output_is_refused(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-edited record.json (well-formed JSON, not as board writes it), the output gone:
    one line, exit 1, no traceback, the record as it was."""
    record = archive_dir(published)
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    data["months"]["2020-08"]["versions"][0]["files"] = ["print/panel-2020-08.pdf"]
    (record / "record.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.rmtree(published)
    line = refused(capsys, scratch, published, record)
    assert line.startswith(
        f"failed: the record of published months {record} is damaged (months.2020-08."
        "versions[1].files is not as board writes it), and the output"
    )
    assert not published.exists()


def test_a_hand_edited_record_that_differs_from_the_output_is_refused(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A correction's date rewritten by hand: the record and the output's copy disagree."""
    record = archive_dir(published)
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    data["months"]["2020-08"]["versions"][1]["date"] = "2020-10-01"
    (record / "record.json").write_text(json.dumps(data), encoding="utf-8")
    line = refused(capsys, scratch, published, record, published, args=("--force",))
    assert line == (
        f"failed: version 2 of 2020-08 in the record {record} differs from the one the output "
        f"{published} lists: one of them was changed by hand; restore the record from a backup "
        "(board archive restore BACKUP.zip)"
    )


@pytest.mark.parametrize(
    "text",
    ["", "{", "[" * 100000, '{"months": {"2020-08": {"versions": "x"}}}', "\udcff"],
    ids=["empty", "cut", "deep", "wrong-type", "not-utf8"],
)
def test_a_broken_record_json_is_one_line_never_a_traceback(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    record = archive_dir(published)
    (record / "record.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    shutil.rmtree(published)
    line = refused(capsys, scratch, published, record)
    assert line.startswith(f"failed: the record of published months {record} is damaged (")


def test_rebuild_history_marks_every_month_rendered_again(
    scratch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """Both lost; --rebuild-history renders August again from the register, marked on its page,
    its PDFs and in the feed, with the date; September (the month built) is not marked."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = scratch
    (content / "board.yaml").write_text(
        (content / "board.yaml").read_text(encoding="utf-8")
        + "site_url: https://example.gov.cn/zdxm/\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    build(content, out, stages=("data", "site"))
    shutil.rmtree(archive_dir(out))
    shutil.rmtree(out)
    code = main(["--lang", "zh-CN", "build", str(content), "--out", str(out), "--rebuild-history"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"{archive_dir(out)}: 警告：以往各月的原件已丢失：2020-08已根据登记材料重新生成" in err
    page = (out / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="rebuilt-title">重新生成</h2>' in page
    assert "本页和本月的PDF、数据于2020年11月1日根据登记材料重新生成，不是当时发布的原件。" in page
    assert "rebuilt-title" not in (out / "site" / "2020-09" / "index.html").read_text("utf-8")
    archive = (out / "site" / "archive" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../2020-08/index.html">2020年8月</a>（重新生成）</th>' in archive
    assert '<a href="../2020-09/index.html">2020年9月</a></th>' in archive
    feed = (out / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>2020年8月（2020年11月1日重新生成） 全县重点项目建设进度公示</title>" in feed
    assert "<title>2020年9月 全县重点项目建设进度公示</title>" in feed
    for pdf in ("panel", "sheets", "bulletin"):
        text = pdftotext(out / "print" / f"{pdf}-2020-08.pdf")
        assert "2020年11月1日重新生成，非原件" in text, pdf
        assert "重新生成" not in pdftotext(out / "print" / f"{pdf}-2020-09.pdf"), pdf
    from docx import Document  # the bulletin's Word copy says it on every page's head

    header = Document(str(out / "print" / "bulletin-2020-08.docx")).sections[0].header
    assert header.paragraphs[0].text == "2020年11月1日重新生成，非原件"
    header = Document(str(out / "print" / "bulletin-2020-09.docx")).sections[0].header
    assert header.paragraphs[0].text == ""
    # the mark stays: the next build carries the month as rebuilt, without the flag
    assert run(capsys, str(content), "--out", str(out), "--force")[0] == 0
    page = (out / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="rebuilt-title">重新生成</h2>' in page


def pdftotext(path: Path) -> str:
    """The text of every page, as poppler reads it (the marks are in the page margins)."""
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_state_folder_tells_both_lost_from_a_first_build(scratch: Path, tmp_path: Path) -> None:
    """A first build of a register with past months publishes them as first versions,
    unmarked; the same folder lost after a publication is refused (the user's state folder
    remembers it)."""
    out = tmp_path / "output"
    build(scratch, out, stages=NO_PDF)
    assert "rebuilt-title" not in (out / "site" / "2020-08" / "index.html").read_text("utf-8")
    state = Path(os.environ["XDG_STATE_HOME"]) / "board" / "records"
    assert any(
        json.loads(p.read_text())["record"] == str(archive_dir(out)) for p in state.iterdir()
    )
    shutil.rmtree(out)
    shutil.rmtree(archive_dir(out))
    with pytest.raises(Exception, match="--rebuild-history"):
        build(scratch, out, stages=NO_PDF)


def test_a_record_and_an_output_written_before_issue_19_are_read(
    scratch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record of the format before (no register, no snapshots: each month's report entries)
    and an output whose manifest has no copy of it: the next build carries every month as it
    was, and a change is compared with the month's own published open data."""
    out = tmp_path / "output"
    build(scratch, out, stages=NO_PDF)
    record = archive_dir(out)
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    old = {"months": {}}
    for month, item in data["months"].items():
        versions = []
        for v in item["versions"]:
            v = {k: x for k, x in v.items() if k != "snapshot"}
            versions.append({**v, "entries": {"a": {"percent": 60, "progress": "主体施工"}}})
        old["months"][month] = {"versions": versions}
    (record / "record.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((out / ".board-build.json").read_text(encoding="utf-8"))
    del manifest["register"], manifest["record"]
    (out / ".board-build.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = month_files(out)
    code, _, err = run(capsys, str(scratch), "--out", str(out), "--force")
    assert code == 0 and f"{record}:" not in err, err  # nothing restored, nothing refused
    assert month_files(out) == before
    correct_august(scratch)
    code, _, err = run(capsys, str(scratch), "--out", str(out))
    assert code == 0, err
    page = (out / "site" / "2020-08" / "index.html").read_text(encoding="utf-8")
    assert "更正（第2版）：项目a：具体进度</p>" in page


def state_file_of(record: Path) -> Path:
    """The user's memory of the record folder `record` (written by every publishing build)."""
    state = Path(os.environ["XDG_STATE_HOME"]) / "board" / "records"
    (path,) = [p for p in state.iterdir() if json.loads(p.read_text())["record"] == str(record)]
    return path


def test_a_fresh_clone_at_the_same_path_builds_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder of a checkout deleted whole (register, output, record) and cloned again at
    the same path, as CI and the IT person do: the register's files are all newer than the last
    publication remembered there, so it is a new copy, not the register that published. The
    build publishes (a first build, unmarked) and says what the memory held and how to restore
    if this is the same county's board."""
    root = tmp_path / "checkout"
    content, out = root / "content", root / "output"
    scratch_register(content)
    assert run(capsys, str(content), "--out", str(out))[0] == 0
    memory = state_file_of(archive_dir(out))
    hour_ago = memory.stat().st_mtime_ns - 3600 * 10**9  # that build was an hour before the clone
    os.utime(memory, ns=(hour_ago, hour_ago))
    shutil.rmtree(root)
    scratch_register(content)
    code, _, err = run(capsys, str(content), "--out", str(out))
    assert code == 0, err
    assert (
        f"2 months were published from the record {archive_dir(out)} before, but the record and "
        f"the output are gone and every file of the register {content} is newer than that "
        "publication (a new copy): built as a first publication. If this is the same county's "
        "board, do not publish this output; restore the record from a backup" in err
    )
    assert "rebuilt-title" not in (out / "site" / "2020-08" / "index.html").read_text("utf-8")


def test_a_register_copied_back_with_its_times_kept_builds_with_the_warning_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checkout copied whole with its files' times kept (rsync -a, cp -a, a zip; how a CI
    machine may fill its folder) is a new copy as a clone is: a copy cannot keep the files'
    change times. It builds as a first publication, with the warning."""
    root = tmp_path / "checkout"
    content, out = root / "content", root / "output"
    scratch_register(content)
    kept = shutil.copytree(content, tmp_path / "kept")  # copy2: the modification times kept
    assert run(capsys, str(content), "--out", str(out))[0] == 0
    memory = state_file_of(archive_dir(out))
    hour_ago = memory.stat().st_mtime_ns - 3600 * 10**9
    os.utime(memory, ns=(hour_ago, hour_ago))
    for path in kept.rglob("*"):  # written long before that publication, as a checkout's are
        os.utime(path, ns=(hour_ago - 3600 * 10**9,) * 2)
    shutil.rmtree(root)
    shutil.copytree(kept, content)
    assert (content / "board.yaml").stat().st_mtime_ns < hour_ago  # older than the memory
    code, _, err = run(capsys, str(content), "--out", str(out))
    assert code == 0, err
    assert "newer than that publication (a new copy)" in err


def test_a_register_edited_since_is_still_refused_when_both_are_lost(
    published: Path, scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output and the record deleted beside the register that published, one report
    edited since: the files written before the last build are still there, so it is the same
    register, and the build refuses."""
    correct_august(scratch)  # written after the publication
    shutil.rmtree(archive_dir(published))
    shutil.rmtree(published)
    code, _, err = run(capsys, str(scratch), "--out", str(published))
    assert code == 1
    assert "--rebuild-history" in err and "a new copy" not in err
    assert not published.exists()
