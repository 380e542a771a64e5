"""Backup and proof of the record: `board archive verify | export | restore` (issue 19).

verify checks every stored file against its SHA-256 (exit 1 on any problem, the file named);
export writes the record with a manifest of sums that `sha256sum -c` accepts; restore brings a
lost record back, checked, and refuses a zip with a path outside itself, a link, a wrong sum,
another register's record or one that would take anything from the record there. Every refusal
leaves the record as it was, hashed before and after.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from board.build import build
from board.cli import main
from board.published import archive_dir
from tests.conftest import NO_PDF
from tests.test_output_safety import tree
from tests.test_record import correct_august


@pytest.fixture
def record(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """August and September published, August corrected: the record beside tmp_path/output."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1604188800")
    monkeypatch.chdir(tmp_path)
    build(scratch, tmp_path / "output", stages=NO_PDF)
    correct_august(scratch)
    build(scratch, tmp_path / "output", stages=NO_PDF)
    return archive_dir(tmp_path / "output")


def archive(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["archive", *args, "--content", "content", "--out", "output"])
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_says_what_the_record_holds(record: Path, capsys) -> None:
    code, out, err = archive(capsys, "verify")
    assert (code, err) == (0, "")
    assert out == (
        f"the record {record} is whole: 2 months, 3 versions, 6 files, each matching its SHA-256\n"
    )
    assert main(["--lang", "zh-CN", "archive", "verify"]) == 0
    assert capsys.readouterr().out == (
        f"公示记录{record}完好：2个月，3个版本，6个文件，全部与SHA-256相符\n"
    )


def test_verify_names_every_problem_and_exits_1(record: Path, capsys) -> None:
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    files = data["months"]["2020-08"]["versions"][0]["files"]
    changed, missing = (
        files["site/data/board-2020-08.json"],
        files["site/data/projects-2020-08.csv"],
    )
    (record / changed).write_bytes(b"{}")
    (record / missing).unlink()
    (record / "stray").symlink_to("/etc/passwd")
    before = tree(record)
    code, out, err = archive(capsys, "verify")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{record / 'stray'} in the record is a symbolic link, not a file board stored; board "
        "never reads, replaces or deletes it: move it out of the record folder and run board "
        "build again (a missing file is restored from the output after it is checked)",
        *sorted(
            [
                f"site/data/board-2020-08.json of 2020-08 version 1 (stored as {record / changed}) "
                "does not match its SHA-256 (it was changed)",
                f"site/data/projects-2020-08.csv of 2020-08 version 1 (stored as "
                f"{record / missing}) is missing",
            ],
            key=lambda line: line.split("stored as ")[1],
        ),
        "failed: problems found in the record: 3",
    ]
    assert tree(record) == before  # verify writes nothing


def test_verify_without_a_record_yet(scratch: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = archive(capsys, "verify")
    assert code == 0
    assert out == (
        f"no record yet: {tmp_path / '.output.published'} does not exist (a first board build "
        "makes it)\n"
    )


def test_export_is_the_record_with_sums_sha256sum_accepts(
    record: Path, tmp_path: Path, capsys
) -> None:
    code, out, _ = archive(capsys, "export", "公示记录.zip")
    assert code == 0
    assert out == (
        "exported the record to 公示记录.zip: 2 months, 6 files, with SHA256SUMS; keep it "
        "elsewhere (another disk)\n"
    )
    with zipfile.ZipFile(tmp_path / "公示记录.zip") as zf:
        names = sorted(zf.namelist())
        zf.extractall(tmp_path / "unpacked")
    stored = sorted(n for n in tree(record) if n != "record.json")
    assert names == sorted(["SHA256SUMS", "record.json", *(f"files/{n}" for n in stored)])
    done = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "unpacked", capture_output=True
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout.decode().count(": OK") == 7
    # never over a file already there, unless asked
    assert archive(capsys, "export", "公示记录.zip")[0] == 1
    assert archive(capsys, "export", "公示记录.zip", "--force")[0] == 0


def test_export_refuses_a_record_that_does_not_verify(record: Path, tmp_path: Path, capsys) -> None:
    digest = next(n for n in tree(record) if n != "record.json")
    (record / digest).write_bytes(b"changed")
    code, _, err = archive(capsys, "export", "x.zip")
    assert code == 1
    assert "does not match its SHA-256 (it was changed)" in err
    assert not (tmp_path / "x.zip").exists()


def test_restore_brings_back_a_lost_record_and_the_output_with_it(
    record: Path, scratch: Path, tmp_path: Path, capsys
) -> None:
    output = tmp_path / "output"
    before = tree(record)
    months = {n: h for n, h in tree(output).items() if n.startswith(("print/", "site/data/"))}
    assert archive(capsys, "export", "backup.zip")[0] == 0
    shutil.rmtree(record)
    shutil.rmtree(output)  # both lost: the build would refuse; the backup brings them back
    code, out, err = archive(capsys, "restore", "backup.zip")
    assert (code, err) == (0, "")
    assert out == (
        f"restored the record {record} from backup.zip: 2 months, 7 files written, each checked\n"
    )
    assert tree(record) == before
    assert main(["build", "content", "--out", "output", "--stages", ",".join(NO_PDF)]) == 0
    capsys.readouterr()
    after = {n: h for n, h in tree(output).items() if n.startswith(("print/", "site/data/"))}
    assert after == months  # every version, the -r2 files too, byte for byte
    # restoring again changes nothing
    code, out, _ = archive(capsys, "restore", "backup.zip")
    assert code == 0
    assert out == f"the record {record} already holds everything in backup.zip; nothing changed\n"


def test_restore_mends_a_damaged_stored_file(record: Path, capsys) -> None:
    before = tree(record)
    assert archive(capsys, "export", "backup.zip")[0] == 0
    digest = next(n for n in before if n != "record.json")
    (record / digest).write_bytes(b"changed")
    assert archive(capsys, "restore", "backup.zip")[0] == 0
    after = tree(record)
    assert after.pop(f"{digest}.damaged") != before[digest]  # the changed bytes kept aside
    assert after == before


def hostile(base: Path, target: Path, change: str) -> None:
    """A copy of the exported zip `base` with one thing wrong."""
    with zipfile.ZipFile(base) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    infos: list[tuple[zipfile.ZipInfo, bytes]] = []
    for name, data in members.items():
        infos.append((zipfile.ZipInfo(name), data))
    stored = next(n for n in members if n.startswith("files/"))
    if change == "outside":
        infos.append((zipfile.ZipInfo("../../evil.txt"), b"x"))
    elif change == "absolute":
        infos.append((zipfile.ZipInfo("/tmp/evil.txt"), b"x"))
    elif change == "link":
        link = zipfile.ZipInfo("files/" + "0" * 64)
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        infos.append((link, b"/etc/passwd"))
    elif change == "wrong-sum":
        infos = [(i, b"changed" if i.filename == stored else d) for i, d in infos]
    elif change == "stray":
        infos.append((zipfile.ZipInfo("notes.txt"), b"x"))
    elif change == "no-sums":
        infos = [(i, d) for i, d in infos if i.filename != "SHA256SUMS"]
    elif change == "not-zip":
        target.write_bytes(b"PK\x03\x04 not really a zip")
        return
    with zipfile.ZipFile(target, "w") as zf:
        for info, data in infos:
            zf.writestr(info, data)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("outside", "../../evil.txt in {zip} points outside the archive; nothing was restored"),
        ("absolute", "/tmp/evil.txt in {zip} points outside the archive; nothing was restored"),
        ("link", "files/{zeros} in {zip} is a symbolic link; nothing was restored"),
        ("wrong-sum", "{stored} in {zip} does not match SHA256SUMS; nothing was restored"),
        ("stray", "notes.txt in {zip} is not a file of a record; nothing was restored"),
        ("no-sums", "{zip} is not a file made by board archive export (record.json or "
         "SHA256SUMS is missing); nothing was restored"),
        ("not-zip", "{zip} is not a usable zip file: "),
    ],
)  # fmt: skip
def test_restore_refuses_a_zip_it_cannot_trust(
    record: Path, tmp_path: Path, capsys, change: str, said: str
) -> None:
    assert archive(capsys, "export", "backup.zip")[0] == 0
    shutil.rmtree(record)
    record.mkdir()
    hostile(tmp_path / "backup.zip", tmp_path / "bad.zip", change)
    with zipfile.ZipFile(tmp_path / "backup.zip") as zf:
        stored = next(n for n in zf.namelist() if n.startswith("files/"))
    code, out, err = archive(capsys, "restore", "bad.zip")
    assert code == 1 and out == ""
    expected = said.format(zip="bad.zip", zeros="0" * 64, stored=stored)
    assert err.startswith(f"failed: {expected}"), err
    assert len(err.splitlines()) == 1
    assert list(record.iterdir()) == []  # nothing written
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_restore_refuses_another_registers_record(
    record: Path, scratch: Path, tmp_path: Path, capsys
) -> None:
    assert archive(capsys, "export", "backup.zip")[0] == 0
    board = scratch / "board.yaml"
    board.write_text("id: 22222222-bbbb\n" + board.read_text(encoding="utf-8"), encoding="utf-8")
    before = tree(record)
    code, _, err = archive(capsys, "restore", "backup.zip")
    assert code == 1
    assert err.startswith("failed: the record backup.zip belongs to another register, ")
    assert tree(record) == before


def test_restore_never_takes_anything_from_the_record(record: Path, scratch: Path, capsys) -> None:
    """An older backup (before August's correction) over the record: refused."""
    assert archive(capsys, "export", "new.zip")[0] == 0
    data = json.loads((record / "record.json").read_text(encoding="utf-8"))
    older = dict(data)
    older["months"] = {**data["months"]}
    older["months"]["2020-08"] = {"versions": data["months"]["2020-08"]["versions"][:1]}
    buf = io.BytesIO()
    with zipfile.ZipFile("new.zip") as zf, zipfile.ZipFile(buf, "w") as out:
        record_bytes = json.dumps(older).encode()
        import hashlib

        sums = []
        for name in zf.namelist():
            if name == "SHA256SUMS":
                continue
            content = record_bytes if name == "record.json" else zf.read(name)
            out.writestr(name, content)
            sums.append(f"{hashlib.sha256(content).hexdigest()}  {name}\n")
        out.writestr("SHA256SUMS", "".join(sums))
    Path("old.zip").write_bytes(buf.getvalue())
    before = tree(record)
    code, _, err = archive(capsys, "restore", "old.zip")
    assert code == 1
    assert err == (
        f"failed: the record in old.zip differs from the record {record} (2020-08); nothing was "
        "restored. A record that verifies (board archive verify) needs no restoring\n"
    )
    assert tree(record) == before


def test_the_archive_commands_read_in_chinese(record: Path, capsys) -> None:
    assert main(["--lang", "zh-CN", "archive", "export", "备份.zip"]) == 0
    assert capsys.readouterr().out.startswith("已把公示记录导出到备份.zip：2个月，6个文件，")
    assert main(["--lang", "zh-CN", "archive", "restore", "备份.zip"]) == 0
    assert capsys.readouterr().out == f"公示记录{record}已含有备份.zip中的全部内容，未作改动\n"
