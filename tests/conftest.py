"""Shared fixtures: expensive things (the example build, the browser) are built once a session.

Artefacts a person should look at (screenshots, PDF pages as PNG) go to `artifacts/` at the top
of the checkout, which git ignores.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest

from board.build import BuildResult, build
from board.generate import generate_register

# The tests written before the catalog assert the English wording of messages; they read the
# tool in English. Tests of the Chinese wording ask for zh-CN themselves (BOARD_LANG, --lang).
os.environ["BOARD_LANG"] = "en"

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
ARTIFACTS = ROOT / "artifacts"
# Tests about publishing, caching and the CLI's behaviour need real outputs but not the PDFs,
# which cost about two seconds a build; they build these stages. PDF tests use every stage.
NO_PDF = ("data", "assets", "photos", "screen", "site")
CHROMIUM = os.environ.get("BOARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The modules that take longest (`pytest --durations`, bench/results.md), longest first. With
# pytest-xdist each worker takes one module at a time in collection order; these go first, so
# that the run does not end with one core on a long module while the other has nothing left.
# (xdist's own order, by number of tests, put the three determinism tests last.)
LONGEST_FIRST = (
    "test_pagination.py",
    "test_print.py",
    "test_cache.py",
    "test_determinism.py",
    "test_month_zh.py",
    "test_map.py",
    "test_screen.py",
    "test_site.py",
    "test_publish.py",
    "test_hostile_output.py",
    "test_consistency.py",
    "test_preview.py",
    "test_photos.py",
)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False  # keep the order below (--dist loadscope)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a module's order


@pytest.fixture(scope="session", autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """board keeps three things in the user's folders: which record folders it wrote (the state
    folder, board.published), board serve's previews (board.serve) and the rendered units shared
    by every output (board.cache; both in the cache folder). The tests' go to the run's
    temporary folder, and child processes inherit them."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    # the cache folder is the run's, shared by the xdist workers: a unit one test rendered is
    # found by the others (board.cache.shared_cache_dir); tests of cold builds turn it off
    cache = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        cache = cache.parent
    os.environ["XDG_CACHE_HOME"] = str(cache / "user-cache")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def renders_asked() -> bool:
    """Whether to take the browser's screenshots for a person to look at: `BOARD_ARTIFACTS=1
    ./test.sh` (or pytest). No check reads them, and they were a fifth of the browser tests'
    time; the PDF pages rendered to PNG are cheap and always written."""
    return os.environ.get("BOARD_ARTIFACTS", "") not in ("", "0")


def shoot(page: Any, path: Path | str, **options: Any) -> None:
    """A screenshot of a Playwright page into artifacts/, when renders are asked for."""
    if renders_asked():
        page.screenshot(path=str(path), **options)


def once_for_all_workers(
    factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]
) -> T:
    """What `make(folder)` returns, made once for the whole run: with pytest-xdist, the first
    worker to ask makes it in a folder all workers share (the run's temporary folder) while
    the others wait for it, then read it back; the expensive builds are not done once a worker.
    What it made must be read only (as a session fixture's result always was)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(factory.mktemp(name))
    folder = factory.getbasetemp().parent / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    with open(folder.parent / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        made = folder / "made.pickle"
        if made.exists():
            return cast(T, pickle.loads(made.read_bytes()))
        result = make(folder)
        made.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example county built once into a temporary output folder."""
    return once_for_all_workers(
        tmp_path_factory, "example", lambda folder: build(CONTENT, folder / "output")
    )


@pytest.fixture(scope="session")
def big_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register of 40 projects with very long names and texts."""
    return once_for_all_workers(
        tmp_path_factory,
        "big",
        lambda folder: generate_register(
            folder / "content", projects=40, months=4, long_texts=True
        ),
    )


@pytest.fixture(scope="session")
def big_content(big_register: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `big_build` publishes: `big_register` with its last two monthly reports only (the
    outputs read back are the latest month's; a cold build renders every earlier month's PDFs
    too). The checks that need all four months use `big_register` itself."""

    def last_two(folder: Path) -> Path:
        shutil.copytree(big_register, folder / "content")
        return keep_last_reports(folder / "content", 2)

    return once_for_all_workers(tmp_path_factory, "big-content", last_two)


@pytest.fixture(scope="session")
def big_build(big_content: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return once_for_all_workers(
        tmp_path_factory, "big-build", lambda _: build(big_content, big_content.parent / "output")
    )


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
_AXE_RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
    return r.violations.map(v => ({id: v.id, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """What axe-core (node_modules, from `npm ci`) finds against WCAG 2.1 A and AA and its best
    practices in the page open in the Playwright `tab` (made with bypass_csp: the pages' CSP
    forbids the injected script, as it should): each violation's id, help and first nodes."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --no-audit --no-fund` in the checkout")
    tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return cast(list[dict[str, Any]], tab.evaluate(_AXE_RUN))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (never Playwright's own browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run the set-up command in the README")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a scratch register: {relative path: YAML text (dedented)}."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


BOARD_YAML = """\
title: 全县重点项目建设进度公示
issuer: 县重点项目建设办公室
hotline: 0310-7212345
"""


def project_yaml(pid: str, **fields: object) -> str:
    """A valid project file, with `fields` replacing or adding lines (None removes a field)."""
    values: dict[str, object] = {
        "id": pid,
        "name": f"项目{pid}",
        "leader": f"领导{pid}",
        "unit": "住建局",
        "start": "2020-01-01",
        "deadline": "2020-12-31",
    }
    values.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in values.items() if v is not None)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A tiny valid register (two projects, two months) in tmp_path/content."""
    return scratch_register(tmp_path / "content")


def scratch_register(root: Path, a_extra: str = "", b_extra: str = "") -> Path:
    """The `scratch` register in `root`, with lines added to project a's and b's files."""
    write_files(
        root,
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1) + a_extra,
            "projects/b.yaml": project_yaml("b", order=2) + b_extra,
            "reports/2020-08.yaml": """\
                month: 2020-08
                projects:
                  a: {percent: 60, progress: 主体施工}
                  b: {percent: 50, progress: 基础施工}
                """,
            "reports/2020-09.yaml": """\
                month: 2020-09
                projects:
                  a: {percent: 70, progress: 主体封顶}
                  b: {percent: 60, progress: 主体施工}
                """,
        },
    )
    return root


def copy_content(dest: Path, months: int | None = None) -> Path:
    """A copy of the example county; with `months`, of its last `months` monthly reports only
    (a test of the latest month's outputs then renders fewer past months' PDFs)."""
    shutil.copytree(CONTENT, dest)
    return dest if months is None else keep_last_reports(dest, months)


def keep_last_reports(root: Path, months: int) -> Path:
    """The register `root` with its last `months` monthly reports only (the others deleted)."""
    for report in sorted((root / "reports").glob("*.yaml"))[:-months]:
        report.unlink()
    return root
