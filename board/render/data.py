"""Open data: the computed board as JSON, `site/data/board.json` and `board-YYYY-MM.json`.

The shape is documented by `docs/board.schema.json`; a test validates every file against it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..commitments import major_reason
from ..compute import BoardMonth, Row
from ..geo import bbox, geojson_geometry
from ..model import Change, Decision, Project, Thresholds
from ..photos import photo_data
from . import BuildContext
from .disclosure import project_data, summary_data

SCHEMA_VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# -- issue 22: commitments, their baseline and their changes --------------------------------

BASELINE_KEYS = ("name", "leader", "unit", "deadline", "investment")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def change_data(change: Change, thresholds: Thresholds) -> dict[str, Any]:
    """One change of a commitment, as the open data gives it."""
    return {
        "date": change.date.isoformat(),
        "field": change.key,
        "from": _plain(change.before),
        "to": _plain(change.after),
        "reason": change.reason,
        "approved_by": change.approved_by or None,
        "major": major_reason(change, thresholds) is not None,
    }


def decision_data(project: Project, decision: Decision) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "date": decision.date.isoformat(),
        "reason": decision.reason or None,
        "approved_by": decision.approved_by or None,
    }


def adjust_data(row: Row, thresholds: Thresholds) -> dict[str, Any]:
    """A row's commitments as first promised, its changes in force, 新增, overdue when moved."""
    return {
        "baseline": {key: _plain(row.baseline(key)) for key in BASELINE_KEYS},
        "changes": [change_data(c, thresholds) for c in row.changes],
        "new": row.new,
        "overdue_when_moved": [
            {
                "month": str(move.month),
                "deadline": _plain(move.old),
                "decided": move.change.date.isoformat(),
            }
            for move in row.overdue_moves
        ],
    }


def row_data(row: Row, t: Any, thresholds: Thresholds | None = None) -> dict[str, Any]:
    p = row.project
    e = row.entry
    as_of = row.entry_month.last_day if row.entry_month else p.start
    return {
        "id": p.id,
        "code": p.code or None,  # 项目统一代码 (issue 24)
        "name": p.name,
        "leader": p.leader,
        "unit": p.unit,
        "owner": p.owner or None,
        "location": p.location or None,
        "category": p.category or None,
        "start": p.start.isoformat(),
        "deadline": p.deadline.isoformat(),
        "investment": p.investment,
        "status": row.status,
        "status_label": t(f"status.{row.status}"),
        "reported": row.reported,
        "report_month": str(row.entry_month) if row.entry_month else None,
        "percent": row.actual,
        "planned": row.planned,
        "variance": row.variance,
        "gain": row.gain,
        "rank": row.rank,
        "previous_rank": row.previous_rank,
        "movement": row.movement,
        "movement_kind": row.movement_kind,
        "progress": e.progress if e else None,
        "invested": e.invested if e else None,
        "annual_investment": row.annual_investment,
        "invested_year": row.invested_year,
        "invested_year_derived": row.invested_year_derived,
        "investment_rate": row.investment_rate,
        "problems": (e.problems or None) if e else None,
        "measures": (e.measures or None) if e else None,
        "reason": row.reason or None,
        "catch_up_by": _day(row.catch_up_by),
        "promises": [
            {
                "by": pr.by.isoformat(),
                "promised_in": str(pr.promised_in),
                "state": pr.state,
                "checked_in": str(pr.checked_in) if pr.checked_in else None,
            }
            for pr in row.promises
        ],
        "promise_state": row.promise_state,
        "photos": [photo_data(photo, row.entry_month) for photo in row.photos]
        if row.entry_month
        else [],
        "milestones": [milestone_data(m, as_of) for m in p.milestones],
        **adjust_data(row, thresholds or Thresholds()),
    }


def milestone_data(m: Any, as_of: date) -> dict[str, Any]:
    """A milestone as of a month: done (its day, or true) only when done by `as_of`, so that a
    month's data never shows what was done after it (and marking a milestone done later is not
    a correction of the months before: board.published)."""
    state = m.state(as_of)
    done = (_day(m.done_on) if m.done_on else m.done is True) if state == "done" else False
    return {
        "task": m.task,
        "owner": m.owner,
        "due": m.due.isoformat(),
        "done": done,
        "state": state,
    }


def totals_data(board: BoardMonth) -> dict[str, Any]:
    """The county's investment totals (全县合计), 万元; the rate in percent."""
    totals = board.totals
    return {
        "projects": totals.projects,
        "investment": totals.investment,
        "annual_investment": totals.annual_investment,
        "invested_year": totals.invested_year,
        "investment_rate": totals.investment_rate,
        "invested": totals.invested,
        # what each sum covers: projects counted, without the figure, and counted at the last
        # figure of a project that did not report this month
        "coverage": {
            name: {"counted": c.counted, "missing": c.missing, "carried": c.carried}
            for name, c in totals.coverage.items()
        },
    }


def board_data(board: BoardMonth, t: Any) -> dict[str, Any]:
    config = board.register.config
    return {
        "schema_version": SCHEMA_VERSION,
        "title": config.title,
        "issuer": config.issuer,
        "hotline": config.hotline,
        "email": config.email or None,
        "site_url": config.site_url or None,
        "language": config.language,
        "month": str(board.month),
        "as_of": board.as_of.isoformat(),
        "previous_month": str(board.previous_month) if board.previous_month else None,
        "threshold_behind": config.thresholds.behind,
        "counts": board.counts,
        "totals": totals_data(board),
        "ranking": [r.project.id for r in board.ranking],
        "projects": [
            row_data(r, t, config.thresholds) | project_data(board, r.project, t)
            for r in board.rows
        ],
        # issue 22: the thresholds of a 重大调整, and every project taken off the board so far
        "thresholds": {
            "major_deadline_days": config.thresholds.major_deadline_days,
            "major_investment_percent": config.thresholds.major_investment_percent,
        },
        "withdrawn": [
            decision_data(p, p.withdrawn) for p in board.withdrawn_all if p.withdrawn is not None
        ],
        "disclosure": summary_data(board),  # issue 24: the month's disclosure audit
    }


def projects_geojson(board: BoardMonth, t: Any) -> dict[str, Any]:
    """`site/data/projects.geojson`: every located project as an RFC 7946 Feature (WGS84), with
    its status, rank and percent of the month (issue 26). The geometry is written by
    `geo.geojson_geometry`, as the OC4IDS `locations` are."""
    config = board.register.config
    # the project's page: absolute with site_url, else relative to this file (site/data/)
    base = config.site_url.rstrip("/") + "/" if config.site_url else "../"
    features = []
    located = [r for r in board.ranking if r.project.geometry is not None]
    for row in located:
        p = row.project
        assert p.geometry is not None
        features.append(
            {
                "type": "Feature",
                "id": p.id,
                "geometry": geojson_geometry(p.geometry),
                "properties": {
                    "id": p.id,
                    "name": p.name,
                    "location": p.location or None,
                    "leader": p.leader,
                    "unit": p.unit,
                    "deadline": p.deadline.isoformat(),
                    "month": str(board.month),
                    "status": row.status,
                    "status_label": t(f"status.{row.status}"),
                    "rank": row.rank,
                    "percent": row.actual,
                    "planned": row.planned,
                    "page": f"{base}projects/{p.id}/index.html",
                },
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    positions = [
        pos for r in located if r.project.geometry for pos in r.project.geometry.positions()
    ]
    if positions:
        collection["bbox"] = [round(v, 6) for v in bbox(positions)]
    collection["features"] = features
    return collection


def dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(ctx: BuildContext) -> dict[str, bytes]:
    """`site/data/board.json` for the month built, and for every month its snapshot
    `board-YYYY-MM.json` and its table `projects-YYYY-MM.csv` (each month's page links its own;
    published months are carried forward as they were published, board.published)."""
    from .site import projects_csv  # site imports this module: imported when rendering

    files = {f"site/data/board-{b.month}.json": dumps(board_data(b, ctx.t)) for b in ctx.boards}
    files["site/data/board.json"] = files[f"site/data/board-{ctx.board.month}.json"]
    for b in ctx.boards:
        files[f"site/data/projects-{b.month}.csv"] = projects_csv(b, ctx.t)
    if any(p.geometry for p in ctx.register.projects):  # where the projects are (issue 26)
        files["site/data/projects.geojson"] = dumps(projects_geojson(ctx.board, ctx.t))
    return files
