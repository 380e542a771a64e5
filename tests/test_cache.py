"""The build cache: an unchanged rebuild renders nothing, and a cached build equals a cold one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from board.build import STAGES, build
from board.cache import MANIFEST
from board.cli import main
from board.generate import generate_register
from tests.conftest import NO_PDF


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_nothing_changed_renders_nothing(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(scratch, out, stages=NO_PDF)
    before = digest(out)
    second = build(scratch, out, stages=NO_PDF)
    assert second.up_to_date and second.files == {}
    assert second.summary().startswith(
        "up to date 2020-09: 2 projects, 2 months, 1 warning; nothing changed"
    )
    # the first build warned that there was no record of published months yet (issue 22); it
    # made one, so the second says only what still holds
    assert [str(w) for w in second.warnings] == [
        str(w) for w in first.warnings if "record of published months" not in str(w)
    ]
    assert len(first.warnings) == 2
    assert digest(out) == before


def test_a_damaged_output_is_rebuilt(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    before = digest(out)
    (out / "site" / "data" / "board.json").unlink()
    result = build(scratch, out, stages=NO_PDF)
    assert not result.up_to_date
    assert digest(out) == before


def test_a_changed_report_rebuilds_and_equals_a_cold_build(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out)
    report = scratch / "reports" / "2020-09.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("主体封顶", "主体封顶，内部装修"),
        encoding="utf-8",
    )
    warm = build(scratch, out)
    assert not warm.up_to_date
    cold = build(scratch, tmp_path / "cold", force=True)
    assert digest(out) == digest(tmp_path / "cold")
    assert warm.files == cold.files


def test_changed_templates_invalidate_the_build(scratch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    (scratch / "templates").mkdir()
    (scratch / "templates" / "unused.txt").write_text("x", encoding="utf-8")
    assert not build(scratch, out, stages=NO_PDF).up_to_date


def test_the_manifest_lists_every_published_file(scratch: Path, tmp_path: Path) -> None:
    import json

    out = tmp_path / "out"
    build(scratch, out, stages=NO_PDF)
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    published = digest(out)
    del published[MANIFEST]
    assert listed == published


def test_force_renders_again(capsys, monkeypatch, scratch: Path, tmp_path: Path) -> None:
    monkeypatch.setattr("board.build.STAGES", tuple(s for s in STAGES if s[0] in NO_PDF))
    out = tmp_path / "out"
    assert main(["build", str(scratch), "--out", str(out)]) == 0
    assert main(["build", str(scratch), "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("up to date 2020-09")
    assert main(["build", str(scratch), "--out", str(out), "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("built 2020-09")


def test_missing_font_subsetter_is_a_loud_warning(monkeypatch, caplog) -> None:
    from weasyprint.text import ffi

    from board.build import font_subsetting_problem

    assert font_subsetting_problem() is None  # the set-up installs libharfbuzz-subset0
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    problem = font_subsetting_problem()
    assert problem is not None
    assert str(problem) == (
        "weasyprint: warning: WeasyPrint did not find HarfBuzz's font subsetter: every PDF takes about"
        " 8 s longer (install it: apt-get install libharfbuzz-subset0 (./setup.sh does))"
    )
    assert "libharfbuzz-subset0" in caplog.text


def test_one_changed_report_lays_out_again_only_the_sheets_part_it_is_in(tmp_path: Path) -> None:
    content = generate_register(tmp_path / "content", projects=24, months=2)
    out = tmp_path / "out"
    first = build(content, out)
    # 24 sheets in 3 parts of 8; the panel, the bulletin, the parts and the joined sheets, for
    # each of the two months (a new output publishes the past month's PDFs too, issue 12)
    assert (first.cache_hits, first.cache_misses) == (0, 12)
    report = content / "reports" / "2020-07.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('progress: "', 'progress: "（已核实）', 1), encoding="utf-8")
    warm = build(content, out)
    # the progress text is on the panel and on one sheet; the bulletin and two parts are reused
    assert (warm.cache_hits, warm.cache_misses) == (3, 3)
    build(content, tmp_path / "cold", force=True)
    assert digest(out) == digest(tmp_path / "cold")
