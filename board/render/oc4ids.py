"""The register as an OC4IDS 0.9 project package (Open Contracting for Infrastructure Data
Standard): `site/data/oc4ids.json`, and one package per project, `site/data/oc4ids/<id>.json`.

The mapping, field by field, is docs/open-data.md; each part of a project is one function
below, so that a new section of the register (a change log with baselines, approval and
contract disclosures, coordinates) is filled in where its OC4IDS fields are:

- `completion()`: `completion.endDate`/`finalValue`, and the `*Details` of a recorded change;
- `documents()`: monthly PDFs and site photos, and disclosure documents;
- `contracting_processes()`: contracts, their `summary.modifications`;
- `locations()`: the location's name, and its geometry (GeoJSON, WGS84).

Every date of the register is a day in China; OC4IDS wants date-times, so a day is written as
its midnight in China Standard Time (`2020-09-30T00:00:00+08:00`). Amounts in the register are
万元; OC4IDS amounts are yuan (`CNY`), so they are multiplied by 10 000.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin

from ..compute import DONE, BoardMonth, Row, planned_percent
from ..geo import geojson_geometry
from ..markup import plain_text
from ..model import DISCLOSURE_ROLES, DisclosureItem, Month, Project
from ..photos import photo_data
from .adjust import Words

VERSION = "0.9"  # the OC4IDS schema version the packages follow (tested against 0.9.5)
PERCENT = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}  # UN/CEFACT Rec. 20: percent
CURRENCY = "CNY"
TIME_OF_DAY = "T00:00:00+08:00"  # a day of the register: midnight, China Standard Time
RANKING_FIELD = "progressRanking"  # the extension field of each project (docs/open-data.md)
OWNER_ROLE = "projectOwner"  # 项目业主: a code added to the open partyRole codelist
MILESTONE_STATUS = {"done": "met", "missed": "notMet", "due": "scheduled"}
PROMISE_STATUS = {"met": "met", "missed": "notMet", "pending": "scheduled"}
DOCUMENT_TYPE = "physicalProgressReport"  # the monthly panel, sheets and bulletin
# issue 24: the disclosure items (国办发〔2017〕94号) as OC4IDS documents, parties, contracts
# documentType of an item by its category (None: no code of the open codelist fits), then by
# words of the item's own name that say which document it is (docs/open-data.md)
CATEGORY_DOCUMENT: dict[str, str | None] = {
    "approval_service": None,  # 办事指南: OC4IDS has no code for an approval service's guide
    "approval_result": None,  # an approval without a closer code below
    "bidding": "tenderNotice",
    "land": "landAndSettlementImpact",
    "design_change": "designReport",
    "construction": "physicalProgressReport",
    "quality_safety": "technicalAuditReport",
    "completion": "completionCertificate",
}
ITEM_DOCUMENT: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "approval_result": (
        (("环境影响", "环评"), "environmentalImpact"),
        (("可行性研究", "可研"), "feasibilityStudy"),
        (("概算",), "budgetApproval"),
    ),
    "bidding": (
        (("中标", "成交"), "awardNotice"),
        (("合同",), "contractNotice"),
    ),
    "land": ((("补偿", "安置"), "resettlementPlan"),),
}
# the parties of 施工有关信息 by role: 项目法人 is the project's owner (项目业主); the units
# engaged for the works are suppliers; the role says what they were engaged for (contractNature)
ROLE_PARTY = {
    "legal_person": OWNER_ROLE,
    "design": "supplier",
    "construction": "supplier",
    "supervision": "supplier",
    "drawing_review": "supplier",
}
ROLE_NATURE = {"design": "design", "construction": "construction", "supervision": "supervision"}
LEADER_RE = re.compile(r"(?P<name>.+?)\s*[（(](?P<title>[^（()）]+)[)）]\s*\Z")


def document_type(item: DisclosureItem) -> str | None:
    """The OC4IDS documentType of a disclosure item: by words of its name, else its category's;
    a bidding item that names its 中标单位 is the award notice."""
    if item.category == "bidding" and item.winner:
        return "awardNotice"
    for words, kind in ITEM_DOCUMENT.get(item.category, ()):
        if any(word in item.item for word in words):
            return kind
    return CATEGORY_DOCUMENT.get(item.category)


def day_time(day: date) -> str:
    return day.isoformat() + TIME_OF_DAY


def cny(wan: float) -> dict[str, Any]:
    """An amount in 万元 as an OC4IDS Value in yuan."""
    yuan = round(wan * 10000, 2)
    return {"amount": int(yuan) if float(yuan).is_integer() else yuan, "currency": CURRENCY}


def project_id(prefix: str, local: str) -> str:
    """The OC4IDS id: the registered prefix and the register's id; the register's id alone
    until the county has a prefix (the build warns)."""
    return f"{prefix}{local}" if prefix else local


def org_id(name: str) -> str:
    """A party's id, the same for the same name in every project (parties are named, not
    numbered, in the register)."""
    return "org-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def month_period(month: Month) -> dict[str, str]:
    return {"startDate": day_time(month.first_day), "endDate": day_time(month.last_day)}


@dataclass
class Sources:
    """What the mapping reads besides the register: the words, the addresses, the record."""

    t: Callable[[str], str]
    prefix: str
    base: str  # the site's address ending in "/", or "" without site_url (no document URLs)
    month_text: Callable[[Month], str]
    # each month's published versions (board.published): files, date, changes; oldest first
    versions: Callable[[Month], list[dict[str, Any]]]
    # (label, href relative to site/) of the PDFs of a month's files, as the site links them
    file_links: Callable[[list[str]], list[tuple[str, str]]]
    # the month's PDFs when the month has no record (a render outside a build)
    pdf_links: Callable[[BoardMonth], list[tuple[str, str]]]
    date_text: Callable[[date], str]
    # changes of commitments in the words every output uses (render/adjust.py); None: no change
    # log is put into words (the mapping of a register without one)
    adjust: Words | None = None

    def url(self, href: str) -> str:
        return urljoin(self.base, href)


class ProjectMapper:
    """One project of the register, with its row in every month, as an OC4IDS project."""

    def __init__(self, project: Project, rows: list[tuple[BoardMonth, Row]], src: Sources) -> None:
        self.project = project
        self.rows = rows  # (board, row) of every month, oldest first
        self.src = src
        self.t = src.t
        self.board, self.row = rows[-1]

    def data(self) -> dict[str, Any]:
        p = self.project
        out: dict[str, Any] = {
            "id": project_id(self.src.prefix, p.id),
            "identifiers": self.identifiers(),
            "updated": day_time(self.board.as_of),
            "language": self.board.register.config.language,
            "title": p.name,
        }
        if p.summary.strip():
            description = plain_text(p.summary)
            if description:
                out["description"] = description
        out["status"] = self.status()
        out["period"] = {"startDate": day_time(p.start), "endDate": day_time(p.deadline)}
        budget = self.budget()
        if budget:
            out["budget"] = budget
        out["parties"] = self.parties()
        out["publicAuthority"] = {"id": org_id(p.unit), "name": p.unit}
        optional = {
            "locations": self.locations(),
            "milestones": self.milestones(),
            "metrics": self.metrics(),
            "forecasts": self.forecasts(),
            "completion": self.completion(),
            "documents": self.documents(),
            "contractingProcesses": self.contracting_processes(),
        }
        out.update({key: value for key, value in optional.items() if value})
        out[RANKING_FIELD] = self.ranking()
        return out

    # --- what the project is ---------------------------------------------------------------

    def identifiers(self) -> list[dict[str, str]]:
        """The register's id, and 项目统一代码 (issue 24) as the approval platform gives it."""
        p = self.project
        found = [{"id": p.id, "scheme": self.t("od.oc4ids.local_scheme")}]
        if p.code:
            found.append({"id": p.code, "scheme": self.t("od.oc4ids.code_scheme")})
        return found

    def changed(self, key: str) -> str:
        """Why the commitment `key` moved, in the board's words (empty: it never moved)."""
        words = self.src.adjust
        return words.key_text(self.row, key) if words is not None else ""

    def completed_in(self) -> Month | None:
        """The first month whose board shows the project completed (100%)."""
        for board, row in self.rows:
            if row.status in DONE:
                return board.month
        return None

    def status(self) -> str:
        if self.row.status in DONE:
            return "completion"
        if self.board.as_of < self.project.start:
            return "preparation"
        return "implementation"

    def budget(self) -> dict[str, Any]:
        p = self.project
        budget: dict[str, Any] = {}
        investment = self.changed("investment")
        if investment:  # why 总投资 moved (issue 22), while the project is under way
            budget["description"] = investment
        if p.investment is not None:
            budget["amount"] = cny(p.investment)
        if p.annual_investment:
            budget["budgetBreakdowns"] = [
                {
                    "id": "annual",
                    "budgetBreakdown": [
                        {
                            "id": str(year),
                            "description": self.t("od.oc4ids.annual").format(year=year),
                            "amount": cny(amount),
                            "period": {
                                "startDate": day_time(date(year, 1, 1)),
                                "endDate": day_time(date(year, 12, 31)),
                            },
                        }
                        for year, amount in p.annual_investment
                    ],
                }
            ]
        return budget

    def parties(self) -> list[dict[str, Any]]:
        """分包单位 (the public authority) with 分包县领导 among its people; 项目业主."""
        p = self.project
        found = LEADER_RE.match(p.leader)
        name, title = (found["name"], found["title"]) if found else (p.leader, "")
        job = self.t("od.oc4ids.leader_title").format(title=title) if title else self.t("leader")
        unit: dict[str, Any] = {
            "id": org_id(p.unit),
            "name": p.unit,
            "roles": ["publicAuthority"],
            "people": [{"id": "leader", "name": name, "jobTitle": job}],
        }
        parties = {unit["id"]: unit}
        if p.owner:
            self._party(parties, p.owner, OWNER_ROLE)
        # issue 24: 施工有关信息 (项目法人, 设计, 施工, 监理, 施工图审查) with their 负责人 and
        # 项目负责人, in the order a site signboard lists them; then each 中标单位
        items = self.disclosure_items("construction")
        order = {role: i for i, role in enumerate(DISCLOSURE_ROLES)}
        for item in sorted(items, key=lambda i: order.get(i.role, len(order))):
            if not (item.company and item.role in ROLE_PARTY):
                continue
            party = self._party(parties, item.company, ROLE_PARTY[item.role])
            role = self.t(f"disclosure.role.{item.role}")
            for key, name in (("head", item.head), ("manager", item.manager)):
                if not name:
                    continue
                job = self.t("od.oc4ids.person_title").format(
                    role=role, title=self.t(f"disclosure.{key}")
                )
                people = party.setdefault("people", [])
                if not any(x["name"] == name and x["jobTitle"] == job for x in people):
                    people.append({"id": f"{item.role}-{key}", "name": name, "jobTitle": job})
        for item in self.disclosure_items("bidding"):
            if item.winner:
                self._party(parties, item.winner, "supplier", "tenderer")
        return list(parties.values())

    @staticmethod
    def _party(parties: dict[str, dict[str, Any]], name: str, *roles: str) -> dict[str, Any]:
        """The party named `name` (one per name in a project), with `roles` added."""
        party = parties.setdefault(org_id(name), {"id": org_id(name), "name": name, "roles": []})
        for role in roles:
            if role not in party["roles"]:
                party["roles"].append(role)
        return party

    def disclosure_items(self, category: str) -> tuple[DisclosureItem, ...]:
        """The items of one category of the project's `disclosure:` (issue 24), in file order,
        formed by the board's audit date (as the audit, the site and board.json count them)."""
        found = self.project.disclosure.category(category) if self.project.disclosure else None
        as_of = self.board.disclosure.as_of
        return tuple(i for i in found.items if i.formed <= as_of) if found is not None else ()

    @functools.cached_property
    def published_items(self) -> frozenset[int]:
        """The items the board's audit counts as published (on or before its date), by id()."""
        audited = self.board.disclosure.of(self.project.id)
        if audited is None:
            return frozenset()
        return frozenset(id(a.item) for c in audited.categories for a in c.items if a.published)

    def locations(self) -> list[dict[str, Any]]:
        """建设地点 as a location with its name and address, and its geometry (GeoJSON, WGS84)
        when the register places the project (issue 26: coordinates or a GeoJSON file)."""
        p = self.project
        geometry = self.geometry()
        if not p.location and geometry is None:
            return []
        location: dict[str, Any] = {"id": "1"}
        if p.location:
            location["description"] = p.location
            address = {"locality": p.location, "countryName": self.t("od.oc4ids.country")}
            area = self.board.register.config.open_data.area
            if area:
                address["region"] = area
            location["address"] = address
        if geometry is not None:
            location["geometry"] = geometry
        return [location]

    def geometry(self) -> dict[str, Any] | None:
        """The project's place as a GeoJSON geometry in WGS84, the same as
        `data/projects.geojson` says it (board.geo.geojson_geometry); None when not placed."""
        if self.project.geometry is None:
            return None
        return geojson_geometry(self.project.geometry)

    # --- the schedule ----------------------------------------------------------------------

    def milestones(self) -> list[dict[str, Any]]:
        """完成时限, the responsibility list (责任清单) and each catch-up deadline (限期赶上)."""
        p = self.project
        as_of = self.board.as_of
        done = self.completed_in()
        deadline: dict[str, Any] = {
            "id": "completion",
            "title": self.t("deadline"),
            "type": "delivery",
            "code": "completion",
            "dueDate": day_time(p.deadline),
            "dateModified": day_time(as_of),
        }
        moved = self.changed("deadline")
        if moved:  # why 完成时限 moved (issue 22), before completion as after
            deadline["description"] = moved
        if done is not None:
            deadline["status"] = "met"
            deadline["dateMet"] = day_time(done.last_day)
        else:
            deadline["status"] = "notMet" if as_of > p.deadline else "scheduled"
        found = [deadline]
        # the tasks are judged on the day of the figures shown, as on the site and in board.json
        judged = self.row.entry_month.last_day if self.row.entry_month else p.start
        for i, m in enumerate(p.milestones, 1):
            about = [self.t("od.oc4ids.task_owner").format(owner=m.owner)] if m.owner else []
            moved = self.changed(f"milestones.{m.task}")
            if moved:
                about.append(moved)
            item: dict[str, Any] = {
                "id": f"task-{i}",
                "title": m.task,
                "type": "delivery",
                "dueDate": day_time(m.due),
                "status": MILESTONE_STATUS[m.state(judged)],
                "dateModified": day_time(judged),
            }
            if about:
                item["description"] = self.t("site.sep").join(about)
            if m.done_on:
                item["dateMet"] = day_time(m.done_on)
            found.append(item)
        history = dict(self.board.register.history.get(p.id, ()))
        for promise in self.row.promises:
            entry = history.get(promise.promised_in)
            item = {
                "id": f"catch-up-{promise.by.isoformat()}",
                "title": self.t("od.oc4ids.catch_up").format(
                    month=self.src.month_text(promise.promised_in)
                ),
                "type": "delivery",
                "dueDate": day_time(promise.by),
                "status": PROMISE_STATUS[promise.state],
                "dateModified": day_time(
                    promise.checked_in.last_day if promise.checked_in else as_of
                ),
            }
            if entry is not None and entry.reason:
                item["description"] = entry.reason
            if promise.state == "met" and promise.checked_in:
                item["dateMet"] = day_time(promise.checked_in.last_day)
            found.append(item)
        return found

    # --- progress: what was reported, what was planned ---------------------------------------

    def corrections(self, month: Month) -> list[str]:
        """What corrections said about this project's report of `month`: the earlier value
        stays beside the corrected one (observations are never overwritten)."""
        notes = []
        for version in self.src.versions(month)[1:]:
            for change in version.get("changes", []):
                if change.get("project") != self.project.id:
                    continue
                day = version.get("date") or ""
                if "percent" in change:
                    old = change["percent"][0]
                    notes.append(self.t("od.oc4ids.corrected_percent").format(date=day, old=old))
                else:
                    notes.append(self.t("od.oc4ids.corrected").format(date=day))
        return notes

    def metrics(self) -> list[dict[str, Any]]:
        """Every month's report: 实际进度 (physical) and 累计完成投资 (financial)."""
        physical: list[dict[str, Any]] = []
        financial: list[dict[str, Any]] = []
        for board, row in self.rows:
            if not row.reported or row.entry is None:
                continue
            month = board.month
            notes = [row.entry.progress, *self.corrections(month)]
            physical.append(
                {
                    "id": str(month),
                    "period": month_period(month),
                    "measure": row.actual,
                    "unit": PERCENT,
                    "notes": self.t("site.sep").join(n for n in notes if n),
                }
            )
            if row.entry.invested is not None:
                item: dict[str, Any] = {
                    "id": str(month),
                    "period": month_period(month),
                    "value": cny(row.entry.invested),
                }
                if self.project.investment:
                    share = round(row.entry.invested / self.project.investment * 100, 1)
                    item["measure"] = share
                    item["unit"] = PERCENT
                financial.append(item)
        metrics = []
        if physical:
            metrics.append(
                {
                    "id": "physicalProgress",
                    "title": self.t("actual"),
                    "observations": physical,
                }
            )
        if financial:
            metrics.append(
                {
                    "id": "financialProgress",
                    "title": self.t("od.oc4ids.invested"),
                    "observations": financial,
                }
            )
        return metrics

    def forecasts(self) -> list[dict[str, Any]]:
        """The plan: 计划进度 at the end of every month from start to deadline (as the board
        computes it), and 年度计划投资 of each year."""
        p = self.project
        month, last = Month.of(p.start), Month.of(p.deadline)
        planned = []
        while month <= last:
            planned.append(
                {
                    "id": str(month),
                    "period": month_period(month),
                    "measure": planned_percent(p, month.last_day),
                    "unit": PERCENT,
                }
            )
            month = month.next()
        forecasts = [
            {"id": "physicalProgress", "title": self.t("planned"), "observations": planned}
        ]
        if p.annual_investment:
            forecasts.append(
                {
                    "id": "financialProgress",
                    "title": self.t("od.oc4ids.annual_plan"),
                    "observations": [
                        {
                            "id": str(year),
                            "period": {
                                "startDate": day_time(date(year, 1, 1)),
                                "endDate": day_time(date(year, 12, 31)),
                            },
                            "value": cny(amount),
                        }
                        for year, amount in p.annual_investment
                    ],
                }
            )
        return forecasts

    def completion(self) -> dict[str, Any]:
        """At completion: the month the board first showed 100% and 累计完成投资 then, with
        `endDateDetails` (why 完成时限 moved from what was first published) and
        `finalValueDetails` (why 总投资 changed), from the change log (issue 22).

        OC4IDS gives `completion` at completion only; before it, the same words are the
        description of the deadline's milestone and of the budget (docs/open-data.md).
        """
        done = self.completed_in()
        if done is None:
            return {}
        completion: dict[str, Any] = {"endDate": day_time(done.last_day)}
        moved = self.changed("deadline")
        if moved:
            completion["endDateDetails"] = moved
        invested = self.row.invested
        if invested is not None:
            completion["finalValue"] = cny(invested)
        changed = self.changed("investment")
        if changed:
            completion["finalValueDetails"] = changed
        return completion

    # --- documents -------------------------------------------------------------------------

    def documents(self) -> list[dict[str, Any]]:
        """The disclosure items published at a link (issue 24), then each month's PDFs (every
        published version) and site photos at their published addresses; the board's own files
        only with site_url (a document needs an absolute address)."""
        found = [
            document
            for category in self.disclosure_categories()
            for document in self.disclosure_documents(category)
        ]
        return found + self.board_documents()

    def disclosure_categories(self) -> tuple[str, ...]:
        disclosure = self.project.disclosure
        return tuple(c.key for c in disclosure.categories) if disclosure else ()

    def disclosure_documents(
        self, category: str, number: str | None = None
    ) -> list[dict[str, Any]]:
        """The items of `category` published at a link by the board's audit date as OC4IDS
        documents (those of one 文号 only, when `number` is given): the item as title, its
        公开日期 as datePublished. An item not yet published as of the board (no date, or a later
        one) is not a document of it, as the board shows it 未公开."""
        found = []
        name = self.t(f"disclosure.category.{category}")
        for i, item in enumerate(self.disclosure_items(category), 1):
            if not item.link or (number is not None and item.number != number):
                continue
            if id(item) not in self.published_items:
                continue
            document: dict[str, Any] = {"id": f"disclosure-{category}-{i}"}
            kind = document_type(item)
            if kind:
                document["documentType"] = kind
            document["title"] = item.item
            document["description"] = name + (
                self.t("disclosure.number_in").format(number=item.number) if item.number else ""
            )
            document["url"] = item.link
            if item.published:
                document["datePublished"] = day_time(item.published)
            if item.publisher:
                document["author"] = item.publisher
            found.append(document)
        return found

    def board_documents(self) -> list[dict[str, Any]]:
        """Each month's PDFs (every published version) and site photos."""
        if not self.src.base:
            return []
        language = self.board.register.config.language
        issuer = self.board.register.config.issuer
        found: list[dict[str, Any]] = []
        for board, row in self.rows:
            month = board.month
            published = board.register.report(month)
            day = published.published if published and published.published else board.as_of
            versions = self.src.versions(month)
            links: list[tuple[dict[str, Any], list[tuple[str, str]]]] = (
                [(v, self.src.file_links(v["files"])) for v in versions]
                if versions
                else [({"version": 1}, self.src.pdf_links(board))]
            )
            for version, files in links:
                when = version.get("date")
                for label, href in files:
                    name = href.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                    title = f"{self.src.month_text(month)} {label}"
                    if version["version"] > 1:
                        title += self.t("od.oc4ids.version").format(version=version["version"])
                    found.append(
                        {
                            "id": name,
                            "documentType": DOCUMENT_TYPE,
                            "title": title,
                            "url": self.src.url(href),
                            "datePublished": day_time(date.fromisoformat(when) if when else day),
                            "format": "application/pdf",
                            "language": language,
                            "author": issuer,
                        }
                    )
            for i, photo in enumerate(row.photos, 1):
                shown = photo_data(photo, month)
                item = {
                    "id": f"photo-{month}-{i}",
                    "documentType": "illustration",
                    "title": shown["caption"]
                    or self.t("photo.of_month").format(month=self.src.month_text(month)),
                    "url": self.src.url(shown["src"]),
                    "datePublished": day_time(day),
                    "format": "image/jpeg",
                }
                if photo.taken:
                    item["description"] = self.t("photo.taken").format(
                        date=self.src.date_text(photo.taken)
                    )
                found.append(item)
        return found

    def contracting_processes(self) -> list[dict[str, Any]]:
        """Each bidding item with its 中标单位 (issue 24) as a contracting process: the winner as
        supplier, 中标金额 as contractValue, what it was for (contractNature) when the winner is
        a design, construction or supervision unit of 施工有关信息, and the bidding notices of
        the same number as its documents. The register keeps no contract changes
        (`summary.modifications`)."""
        nature = {
            item.company: ROLE_NATURE[item.role]
            for item in self.disclosure_items("construction")
            if item.company and item.role in ROLE_NATURE
        }
        found = []
        for i, item in enumerate(self.disclosure_items("bidding"), 1):
            if not item.winner:
                continue
            summary: dict[str, Any] = {}
            if item.number:
                summary["externalReference"] = item.number
            if item.winner in nature:
                summary["nature"] = [nature[item.winner]]
            summary["title"] = item.item
            summary["suppliers"] = [{"id": org_id(item.winner), "name": item.winner}]
            if item.amount is not None:
                summary["contractValue"] = cny(item.amount)
            documents = self.disclosure_documents("bidding", item.number if item.number else None)
            if not item.number:
                documents = [d for d in documents if d["id"] == f"disclosure-bidding-{i}"]
            if documents:
                summary["documents"] = documents
            found.append({"id": f"bidding-{i}", "summary": summary})
        return found

    # --- the board's own fact: the ranking -----------------------------------------------------

    def ranking(self) -> list[dict[str, Any]]:
        """The extension field: each month's rank, status and variance as the board showed."""
        return [
            {
                "month": str(board.month),
                "rank": row.rank,
                "outOf": len(board.rows),
                "status": row.status,
                "statusLabel": self.t(f"status.{row.status}"),
                "variance": row.variance,
                "reported": row.reported,
            }
            for board, row in self.rows
        ]


def projects(boards: tuple[BoardMonth, ...], src: Sources) -> list[dict[str, Any]]:
    """Every project of the register (board order) as OC4IDS, with every month up to the
    month built."""
    history: dict[str, list[tuple[BoardMonth, Row]]] = {}
    for board in boards:
        for row in board.rows:
            history.setdefault(row.project.id, []).append((board, row))
    return [
        ProjectMapper(row.project, history[row.project.id], src).data() for row in boards[-1].rows
    ]


def package(
    items: list[dict[str, Any]],
    uri: str,
    published: date,
    publisher: dict[str, str],
    license_url: str,
    policy: str,
) -> dict[str, Any]:
    """A project package: the metadata, then the projects."""
    out: dict[str, Any] = {
        "uri": uri,
        "version": VERSION,
        "publishedDate": day_time(published),
        "publisher": publisher,
    }
    if license_url:
        out["license"] = license_url
    if policy:
        out["publicationPolicy"] = policy
    out["projects"] = items
    return out
