"""The benchmark: registers of 16, 200 and 1000 projects with 12 months of reports.

    python bench/run.py [--sizes 16,200,1000] [--runs 16:3,200:3,1000:1] [--out bench/results.md]
    python bench/run.py --photos [--photo-projects 200] [--photo-runs 3]
    python bench/run.py --scenarios [--scenario-runs 3] [--big 200] [--big-months 3]
    python bench/run.py --reference

For each size it builds cold, again with nothing changed, and again after one report changed,
each in a fresh process, and prints a table per stage (load+validate, compute, each output)
with the median wall time and the peak memory; it also times plain WeasyPrint rendering the
same documents naively (one `HTML(...).write_pdf()` per document, no cache, no parallelism), so
the table shows our ratio to it, and headless Chromium (through Playwright, when installed)
printing the same sheets, the issue's yardstick. The table is written to bench/results.md with
the machine.

`--photos` measures what site photos cost instead: the same register built with and without 4
photos per project in the latest month, cold and then warm (one report changed, the build cache
in place), and writes the comparison into the "Photos" section of bench/results.md. The target:
warm, no more than 20% slower with photos.

`--scenarios` measures what a clerk waits for (issue 21's targets), each build a `python -m
board` process of its own as the clerk runs it: the example register (content/) built cold (a new
output, no record, no cache), a new month published (the month before published first, then the
latest report added), one figure changed, nothing changed, and the preview of a save (`board
serve`'s child build of the site and screen, then of the PDFs); and a new month at `--big`
projects. Each row gives the wall time and the CPU seconds of the build process and its children
(user + sys), with the machine's load average, and the commit measured; the section "Build speed
(issue 21)" of bench/results.md is replaced. The section also gives the machine's reference
(below), taken before and after the scenarios, and each scenario's CPU in references.

`--reference` measures that reference alone: one fixed piece of board's work (the example's
first sheets part, 8 sheets, laid out and written by WeasyPrint in one process, as a PDF worker
does it), the least CPU seconds of 4 repeats. Machines, and one machine from hour to hour, differ
by up to two times in speed for the same code (bench/results.md); figures divided by the
reference compare across them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from board.build import Reporter, build

    content, out, mode = sys.argv[1:4]
    peaks = {}

    class Measuring(Reporter):
        def stage(self, name):
            parent = super().stage(name)

            class Wrap:
                def __enter__(self_inner):
                    return parent.__enter__()

                def __exit__(self_inner, *exc):
                    result = parent.__exit__(*exc)
                    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                    peaks[name] = max(own, kids) / 1024
                    return result

            return Wrap()

    reporter = Measuring()
    started = time.perf_counter()
    result = build(content, out, reporter=reporter, force=(mode == "force"))
    total = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "total": total, "stages": result.timings, "peaks_mb": peaks,
        "peak_mb": max(own, kids) / 1024, "up_to_date": result.up_to_date,
        "hits": result.cache_hits, "misses": result.cache_misses,
    }))
    """
)

NAIVE = textwrap.dedent(
    """
    import json, resource, sys, time
    from weasyprint import HTML
    from board.build import render_all
    from board.render import fonts, pdf

    # the very HTML our print stage lays out (the panel at its first size tried)
    _, ctx, _ = render_all(sys.argv[1], stages=())
    printer = pdf.Printer(ctx, fonts.resolve(ctx.config.font))
    documents = {
        "panel": pdf.panel_unit(ctx, printer)[1]["html"],
        "sheets": printer.sheets_html(),
        "bulletin": printer.bulletin_unit()[1]["html"],
    }
    timings = {}
    for name, html in documents.items():
        started = time.perf_counter()
        HTML(string=html, base_url=printer.base_url).write_pdf()
        timings[name] = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"stages": timings, "peak_mb": peak}))
    """
)

# The yardstick for the sheets: headless Chromium printing the same HTML to PDF.
CHROMIUM = textwrap.dedent(
    """
    import json, os, sys, tempfile, time
    from pathlib import Path
    from playwright.sync_api import sync_playwright
    from board.build import render_all
    from board.render import fonts, pdf

    _, ctx, _ = render_all(sys.argv[1], stages=())
    html = pdf.Printer(ctx, fonts.resolve(ctx.config.font)).sheets_html()
    executable = os.environ.get("BOARD_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "sheets.html"
        page_file.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(page_file.as_uri(), wait_until="load")
        data = page.pdf(prefer_css_page_size=True, print_background=True)
        seconds = time.perf_counter() - started
        browser.close()
    print(json.dumps({"sheets": seconds, "bytes": len(data)}))
    """
)


REFERENCE_CHILD = textwrap.dedent(
    """
    import gc, json, sys, time
    from pathlib import Path
    from board.compute import compute_all
    from board.parallel import GC_THRESHOLD
    from board.render import BuildContext, environment, pdf
    from board.render import fonts as fontcheck
    from board.validate import check

    register, _ = check(Path(sys.argv[1]))
    boards = compute_all(register)
    ctx = BuildContext(register, boards, boards[-1], environment(register))
    printer = pdf.Printer(ctx, fontcheck.resolve(ctx.config.font))
    html = printer.sheets_units()[0][1]["html"]
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    seconds = []
    for _ in range(int(sys.argv[2])):
        started = time.process_time()
        printer.write(printer.layout(html, "reference"), "reference")
        seconds.append(time.process_time() - started)
        gc.collect()
    print(json.dumps({"seconds": seconds}))
    """
)


def reference(repeats: int = 4) -> float:
    """The machine's reference: the least CPU seconds of `repeats` layouts and writings of the
    example's first sheets part (8 sheets) in one process (REFERENCE_CHILD)."""
    return min(run_child(REFERENCE_CHILD, str(ROOT / "content"), str(repeats))["seconds"])


def run_child(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def change_one_report(content: Path) -> None:
    reports = sorted((content / "reports").glob("*.yaml"))
    path = reports[-1]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('progress: "', 'progress: "（已核实）', 1), encoding="utf-8")


def median_of(results: list[dict], key: str, stage: str | None = None) -> float:
    if stage is None:
        return statistics.median(r[key] for r in results)
    return statistics.median(r[key].get(stage, 0.0) for r in results)


def bench_size(size: int, runs: int, work: Path) -> dict:
    from board.generate import generate_register

    rows: dict[str, list[dict]] = {"cold": [], "unchanged": [], "one report": []}
    for i in range(runs):
        content = work / f"c{size}-{i}"
        out = work / f"o{size}-{i}"
        shutil.rmtree(content, ignore_errors=True)
        generate_register(content, projects=size, months=12, first_month="2020-01")
        rows["cold"].append(run_child(CHILD, str(content), str(out), "force"))
        rows["unchanged"].append(run_child(CHILD, str(content), str(out), "normal"))
        change_one_report(content)
        rows["one report"].append(run_child(CHILD, str(content), str(out), "normal"))
    naive = None
    try:
        naive = run_child(NAIVE, str(work / f"c{size}-0"))
    except SystemExit as exc:  # pragma: no cover - reported in the table
        print(exc, file=sys.stderr)
    chromium = None
    try:
        chromium = run_child(CHROMIUM, str(work / f"c{size}-0"))
    except SystemExit as exc:  # pragma: no cover - no browser here: the table says so
        print(exc, file=sys.stderr)
    return {"rows": rows, "naive": naive, "chromium": chromium}


def table(size: int, data: dict) -> str:
    rows = data["rows"]
    stages: list[str] = []
    for result in rows["cold"]:
        for name in result["stages"]:
            if name not in stages:
                stages.append(name)
    lines = [
        f"### {size} projects, 12 months",
        "",
        "| stage | cold (s) | peak MB | unchanged (s) | one report changed (s) | plain WeasyPrint (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    naive = (data["naive"] or {}).get("stages", {})
    for stage in stages:
        plain = sum(naive.values()) if stage == "print" and naive else naive.get(stage)
        lines.append(
            f"| {stage} | {median_of(rows['cold'], 'stages', stage):.2f}"
            f" | {statistics.median(r['peaks_mb'].get(stage, 0) for r in rows['cold']):.0f}"
            f" | {median_of(rows['unchanged'], 'stages', stage):.2f}"
            f" | {median_of(rows['one report'], 'stages', stage):.2f}"
            f" | {'' if plain is None else f'{plain:.2f}'} |"
        )
    for name in naive:
        lines.append(f"| · {name}.pdf, plain WeasyPrint alone | | | | | {naive[name]:.2f} |")
    lines.append(
        f"| **whole build** | **{median_of(rows['cold'], 'total'):.2f}**"
        f" | {median_of(rows['cold'], 'peak_mb'):.0f}"
        f" | **{median_of(rows['unchanged'], 'total'):.2f}**"
        f" | **{median_of(rows['one report'], 'total'):.2f}**"
        f" | {sum(naive.values()):.2f} |"
    )
    chromium = data.get("chromium")
    if chromium:
        lines.append(
            f"| · sheets.pdf, headless Chromium (page.pdf) | | | | | {chromium['sheets']:.2f} |"
        )
    one = rows["one report"][0]
    lines.append("")
    lines.append(
        f"After one report changed: {one['misses']} units rendered, {one['hits']} reused from the cache."
    )
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import weasyprint

    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
    )


PHOTOS_SECTION = "## Photos"


def add_photos(content: Path, per_project: int) -> int:
    """Give every project `per_project` photos in the latest report: drawn construction scenes
    (tools/make_example_photos.py), each file different, dated in the report's month."""
    import importlib.util
    import io

    from PIL import Image, ImageDraw

    spec = importlib.util.spec_from_file_location(
        "make_example_photos", ROOT / "tools" / "make_example_photos.py"
    )
    assert spec and spec.loader
    maker = importlib.util.module_from_spec(spec)
    sys.modules["make_example_photos"] = maker  # its dataclasses look themselves up there
    spec.loader.exec_module(maker)
    path = sorted((content / "reports").glob("*.yaml"))[-1]
    month = path.stem
    kinds = ("building", "plant", "steel", "road")
    bases = [maker.scene(maker.Shot("x", kinds[i % 4], 0.2 + 0.05 * i, "", i)) for i in range(12)]
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    made = 0
    for line in lines:
        out.append(line)
        if not line.startswith("    progress:"):
            continue
        pid = out[-3].strip().rstrip(":")
        out.append("    photos:")
        for k in range(per_project):
            image = bases[(made * 7 + k) % len(bases)].copy()
            ImageDraw.Draw(image).rectangle(
                [20, 20, 60 + made % 200, 40], fill=(made % 255, 90, 40)
            )
            exif = Image.Exif()
            exif.get_ifd(0x8769)[0x9003] = f"{month.replace('-', ':')}:1{k} 10:00:00"
            data = io.BytesIO()
            image.save(data, "JPEG", quality=80, exif=exif)
            name = f"photos/{month}/{pid}-{k + 1}.jpg"
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_bytes(data.getvalue())
            out.append(f"      - file: {name}")
            out.append(f"        caption: 施工现场第{k + 1}张")
            made += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return made


def bench_photos(size: int, runs: int, per_project: int, work: Path) -> str:
    from board.generate import generate_register

    results: dict[str, dict[str, list[dict]]] = {}
    made = 0
    for label, photos in (("without photos", 0), ("with photos", per_project)):
        results[label] = {"cold": [], "warm": []}
        for i in range(runs):
            content = work / f"p{size}-{photos}-{i}"
            out = work / f"po{size}-{photos}-{i}"
            shutil.rmtree(content, ignore_errors=True)
            generate_register(content, projects=size, months=12, first_month="2020-01")
            if photos:
                made = add_photos(content, photos)
            results[label]["cold"].append(run_child(CHILD, str(content), str(out), "force"))
            change_one_report(content)
            results[label]["warm"].append(run_child(CHILD, str(content), str(out), "normal"))
    plain, with_photos = results["without photos"], results["with photos"]
    stages = list(plain["cold"][0]["stages"])
    for stage in with_photos["cold"][0]["stages"]:
        if stage not in stages:
            stages.insert(stages.index("print") if "print" in stages else len(stages), stage)
    lines = [
        PHOTOS_SECTION,
        "",
        f"Measured with `python bench/run.py --photos --photo-projects {size} --photo-runs {runs}`"
        f" on {machine()}: a register of {size} projects and 12 months, built without photos and"
        f" with {per_project} photos per project in the latest month ({made} JPEG files,"
        " 1280x960, drawn by tools/make_example_photos.py). Cold: a first build (`force`); warm:"
        " the latest report changed, the build cache in place. Medians of the runs, seconds.",
        "",
        "| stage | cold without | cold with | warm without | warm with |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for stage in stages:
        lines.append(
            f"| {stage} | {median_of(plain['cold'], 'stages', stage):.2f} "
            f"| {median_of(with_photos['cold'], 'stages', stage):.2f} "
            f"| {median_of(plain['warm'], 'stages', stage):.2f} "
            f"| {median_of(with_photos['warm'], 'stages', stage):.2f} |"
        )
    cold_a, cold_b = median_of(plain["cold"], "total"), median_of(with_photos["cold"], "total")
    warm_a, warm_b = median_of(plain["warm"], "total"), median_of(with_photos["warm"], "total")
    lines.append(
        f"| **whole build** | **{cold_a:.2f}** | **{cold_b:.2f}** | **{warm_a:.2f}** | **{warm_b:.2f}** |"
    )
    ratio = warm_b / warm_a
    verdict = "within" if ratio <= 1.2 else "OVER"
    lines += [
        "",
        f"Warm with photos / warm without: **{ratio:.2f}** ({verdict} the target of 1.20). Cold,"
        f" the photos' derivatives are made once: {cold_b / cold_a:.2f}.",
    ]
    return "\n".join(lines)


SCENARIOS_SECTION = "## Build speed (issue 21)"
FIRST_STAGES = "data,assets,photos,screen,site"  # board/serve.py: what a preview shows first
TARGETS = {
    "cold": 10.0,
    "new month": 4.0,
    "one figure changed": 3.0,
    "nothing changed": 0.5,
    "preview of a save: site and screen": 2.0,
}


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def timed_board(args: list[str], env: dict[str, str]) -> dict:
    """One `python -m board …` process: its wall time, and the CPU seconds (user + sys) of it
    and of every process it waited for (its PDF workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = load_average()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "board", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"board {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    stages = {}
    for line in proc.stderr.splitlines():  # -v: "board.build: print: 1.23 s"
        found = re.match(r"board\.build: (.+): ([0-9.]+) s$", line)
        if found:
            stages[found.group(1)] = float(found.group(2))
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "load": load,
        "stages": stages,
        "summary": proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "",
    }


def change_one_figure(content: Path, step: int = 1) -> None:
    """One project's `percent:` in the latest report moved by `step` (another figure each time)."""
    path = sorted((content / "reports").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    found = re.search(r"(?m)^(\s+percent: )(\d+)", text)
    assert found, path
    value = int(found.group(2))
    value = value + step if value + step <= 100 else value - step
    path.write_text(text[: found.start(2)] + str(value) + text[found.end(2) :], encoding="utf-8")


def build_args(content: Path, out: Path, *more: str) -> list[str]:
    return ["-v", "build", "--content", str(content), "--out", str(out), *more]


def scenario_runs(source: Path | None, size: int, months: int, work: Path, full: bool) -> dict:
    """One run of every scenario on a copy of `source` (or a generated register)."""
    from board.generate import generate_register

    def fresh(name: str) -> tuple[Path, dict[str, str]]:
        content = work / name / "content"
        shutil.rmtree(work / name, ignore_errors=True)
        if source is not None:
            shutil.copytree(source, content)
        else:
            generate_register(content, projects=size, months=months, first_month="2020-01")
        state = work / name / "state"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "XDG_STATE_HOME": str(state),  # the user's memory of record folders: this run's
            "XDG_CACHE_HOME": str(work / name / "cache"),  # board serve's preview folder
        }
        return content, env

    rows: dict[str, dict] = {}
    if full:
        content, env = fresh("a")
        out = content.parent / "output"
        rows["cold"] = timed_board(build_args(content, out), env)
        rows["nothing changed"] = timed_board(build_args(content, out), env)
        change_one_figure(content, 1)
        rows["one figure changed"] = timed_board(build_args(content, out), env)
        # board serve: the preview of the output, built once; then a save, previewed as serve
        # does it: the site and screen first, then everything
        preview = content.parent / "preview"
        timed_board(build_args(content, preview, "--preview-of", str(out)), env)
        change_one_figure(content, 2)
        rows["preview of a save: site and screen"] = timed_board(
            build_args(content, preview, "--preview-of", str(out), "--stages", FIRST_STAGES), env
        )
        rows["preview of a save: then the PDFs"] = timed_board(
            build_args(content, preview, "--preview-of", str(out)), env
        )
    # a new month: the month before published, then the latest report added
    content, env = fresh("b")
    out = content.parent / "output"
    latest = sorted((content / "reports").glob("*.yaml"))[-1]
    aside = content.parent / latest.name
    latest.rename(aside)
    timed_board(build_args(content, out), env)
    aside.rename(latest)
    rows["new month"] = timed_board(build_args(content, out), env)
    return rows


def commit_measured() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def bench_scenarios(runs: int, big: int, big_months: int, big_runs: int, work: Path) -> str:
    # board's modules compiled, as setup.sh leaves them and a clerk's first build writes them
    # (where PYTHONDONTWRITEBYTECODE is set, every build would compile them again)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "board")], check=True)
    before = reference()
    example: list[dict] = []
    for _ in range(runs):
        example.append(scenario_runs(ROOT / "content", 16, 4, work, full=True))
    large: list[dict] = []
    for _ in range(big_runs if big else 0):
        large.append(scenario_runs(None, big, big_months, work, full=False))
    after = reference()
    unit = (before + after) / 2

    def cells(results: list[dict], name: str) -> str:
        walls = [r[name]["wall"] for r in results]
        cpus = [r[name]["cpu"] for r in results]
        loads = [r[name]["load"] for r in results]
        return (
            f"{statistics.median(walls):.2f} | {statistics.median(cpus):.2f}"
            f" | {statistics.median(cpus) / unit:.1f} | {min(loads):.1f}–{max(loads):.1f}"
        )

    lines = [
        SCENARIOS_SECTION,
        "",
        f"Measured with `python bench/run.py --scenarios --scenario-runs {runs} --big {big}"
        f" --big-months {big_months}` at commit {commit_measured()} on {machine()}. Each build is"
        " a `python -m board -v build` process of its own, as the clerk runs it (start-up and"
        " imports included). Wall: seconds, median of the runs. CPU: user + sys seconds of the"
        " build process and every process it waited for (its PDF workers), median. Load: the"
        " machine's 1-minute load average as each build started (2 cores: above 2 means other"
        " work was waiting for a core; wall times are then longer than on a quiet machine, CPU"
        " seconds much less so).",
        "",
        f"The machine's reference (`python bench/run.py --reference`: the example's first sheets"
        f" part, 8 sheets, laid out and written in one process, the least of 4): {before:.2f} s"
        f" before the runs, {after:.2f} s after. CPU (refs): the CPU seconds in references"
        f" ({unit:.2f} s, the mean of the two), a figure that compares across machines.",
        "",
        "| scenario | target (s) | wall (s) | CPU (s) | CPU (refs) | load |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name in example[0] if example else ():
        target = TARGETS.get(name)
        lines.append(
            f"| example (16 projects, 4 months): {name} | {'' if target is None else f'< {target:g}'}"
            f" | {cells(example, name)} |"
        )
    if large:
        lines.append(
            f"| {big} projects, {big_months} months: new month | | {cells(large, 'new month')} |"
        )
    names = list(example[0]) if example else []
    if names:
        lines += ["", "Stages of the example (`-v`, seconds, first run):", ""]
    stages: list[str] = []
    for name in names:
        for stage in example[0][name]["stages"]:
            if stage not in stages:
                stages.append(stage)
    if names:
        lines.append("| stage | " + " | ".join(names) + " |")
        lines.append("| --- |" + " ---: |" * len(names))
    for stage in stages:
        row = [example[0][n]["stages"].get(stage) for n in names]
        lines.append(
            f"| {stage} | " + " | ".join("" if v is None else f"{v:.2f}" for v in row) + " |"
        )
    if large:
        lines += ["", f"Stages of the new month at {big} projects:", ""]
        lines.append(", ".join(f"{k} {v:.2f}" for k, v in large[0]["new month"]["stages"].items()))
    return "\n".join(lines)


def write_section(path: Path, heading: str, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if heading in text:
        start = text.index(heading)
        after = text.find("\n## ", start + 1)
        text = text[:start] + section + "\n" + (text[after:] if after != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="16,200,1000")
    parser.add_argument(
        "--runs",
        default="16:3,200:3,1000:1",
        help="runs per size, SIZE:RUNS,...; the table shows medians",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--photos", action="store_true", help="measure what site photos cost")
    parser.add_argument("--photo-projects", type=int, default=200)
    parser.add_argument("--photo-runs", type=int, default=1)
    parser.add_argument("--photos-each", type=int, default=4)
    parser.add_argument(
        "--scenarios", action="store_true", help="measure what a clerk waits for (issue 21)"
    )
    parser.add_argument("--scenario-runs", type=int, default=3)
    parser.add_argument("--big", type=int, default=200, help="projects of the large new month")
    parser.add_argument("--big-months", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=1)
    parser.add_argument(
        "--reference", action="store_true", help="measure the machine's reference alone"
    )
    args = parser.parse_args()
    if args.reference:
        print(f"reference: {reference():.3f} s ({machine()}, commit {commit_measured()})")
        return
    if args.scenarios:
        with tempfile.TemporaryDirectory(prefix="board-bench-") as tmp:
            section = bench_scenarios(
                args.scenario_runs, args.big, args.big_months, args.big_runs, Path(tmp)
            )
        print(section)
        write_section(Path(args.out), SCENARIOS_SECTION, section)
        print(f"wrote {args.out}")
        return
    if args.photos:
        with tempfile.TemporaryDirectory(prefix="board-bench-") as tmp:
            section = bench_photos(
                args.photo_projects, args.photo_runs, args.photos_each, Path(tmp)
            )
        print(section)
        write_section(Path(args.out), PHOTOS_SECTION, section)
        print(f"wrote {args.out}")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = {int(k): int(v) for k, v in (item.split(":") for item in args.runs.split(","))}
    sections = []
    with tempfile.TemporaryDirectory(prefix="board-bench-") as tmp:
        for size in sizes:
            started = time.perf_counter()
            data = bench_size(size, runs.get(size, 1), Path(tmp))
            section = table(size, data)
            print(section, "\n", flush=True)
            print(f"({size} projects took {time.perf_counter() - started:.0f} s)", file=sys.stderr)
            sections.append(section)
    header = (
        "# Benchmark results\n\n"
        f"Measured with `python bench/run.py --sizes {args.sizes} --runs {args.runs}` on {machine()}.\n"
        "Times are medians of the runs, wall clock; peak memory is the largest resident set of the\n"
        "build process or its children after the stage. 'plain WeasyPrint' renders the same\n"
        "documents with one `HTML(...).write_pdf()` each, no cache and no parallel processes.\n\n"
    )
    Path(args.out).write_text(header + "\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
