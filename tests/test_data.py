"""The open data: every board JSON matches its documented schema and says what the board says."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from board.build import BuildResult

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "board.schema.json").read_text(encoding="utf-8")
)


def board_files(result: BuildResult) -> dict[str, dict]:
    return {
        name: json.loads(data)
        for name, data in result.files.items()
        if name.startswith("site/data/board") and name.endswith(".json")
    }


def test_every_board_json_matches_the_schema(example_build: BuildResult) -> None:
    files = board_files(example_build)
    assert sorted(files) == [
        "site/data/board-2020-06.json",
        "site/data/board-2020-07.json",
        "site/data/board-2020-08.json",
        "site/data/board-2020-09.json",
        "site/data/board.json",
    ]
    for name, data in files.items():
        jsonschema.validate(data, SCHEMA)  # raises with the path of the first mismatch
        assert (example_build.out_dir / name).read_bytes() == example_build.files[name]


def test_board_json_is_the_latest_month(example_build: BuildResult) -> None:
    files = board_files(example_build)
    assert files["site/data/board.json"] == files["site/data/board-2020-09.json"]
    data = files["site/data/board.json"]
    assert (data["month"], data["as_of"], data["previous_month"]) == (
        "2020-09",
        "2020-09-30",
        "2020-08",
    )


def test_the_example_county_has_the_mix_the_issue_asks_for(example_build: BuildResult) -> None:
    data = board_files(example_build)["site/data/board.json"]
    assert len(data["projects"]) == 16
    counts = data["counts"]
    assert counts["completed"] == 3
    assert counts["overdue"] == 1
    assert counts["no_report"] == 1
    assert counts["behind"] >= 3
    assert sum(counts.values()) == 16
    behind = [p for p in data["projects"] if p["status"] == "behind"]
    assert sum(1 for p in behind if p["reason"] and p["catch_up_by"]) == len(behind) - 1
    missed = [pr for p in data["projects"] for pr in p["promises"] if pr["state"] == "missed"]
    met = [pr for p in data["projects"] for pr in p["promises"] if pr["state"] == "met"]
    assert missed and met
    text = json.dumps(data, ensure_ascii=False)
    for place in ("南区", "北区", "骆庄园区", "第四疃镇", "河南疃镇"):
        assert place in text


def test_ranking_lists_every_project_once_in_rank_order(example_build: BuildResult) -> None:
    data = board_files(example_build)["site/data/board.json"]
    ranks = {p["id"]: p["rank"] for p in data["projects"]}
    assert sorted(ranks.values()) == list(range(1, 17))
    assert data["ranking"] == sorted(ranks, key=ranks.get)
    # completed projects first, never shown as moving; the others move among the unfinished
    by_rank = sorted(data["projects"], key=lambda p: p["rank"])
    done = [p["status"] == "completed" for p in by_rank]
    assert done == sorted(done, reverse=True) and any(done)
    for project in data["projects"]:
        if project["status"] == "completed":
            assert (project["movement"], project["movement_kind"]) == (None, "completed")
        elif project["previous_rank"] is None:
            assert (project["movement"], project["movement_kind"]) == (None, "new")
        else:
            assert project["movement_kind"] in ("up", "down", "same")


@pytest.mark.parametrize("month", ["2020-06", "2020-09"])
def test_status_labels_are_the_speech_words(example_build: BuildResult, month: str) -> None:
    data = board_files(example_build)[f"site/data/board-{month}.json"]
    labels = {p["status"]: p["status_label"] for p in data["projects"]}
    allowed = {
        "completed": "已完成",
        "overdue": "已超期",
        "no_report": "未报送",
        "behind": "进度滞后",
        "on_track": "正常推进",
    }
    assert all(allowed[k] == v for k, v in labels.items())
