"""Open data in the field's own standards, beside the board's own JSON and CSV (docs/open-data.md):

- `site/data/oc4ids.json`: the register as an OC4IDS 0.9 project package (board.render.oc4ids),
  and `site/data/oc4ids/<id>.json`, one package per project at a stable address;
- `site/data/tables/<table>.csv`: projects, months, reports, tasks, photos (board.render.tables);
- `site/data/board.sqlite`: the same tables in one SQLite file, with Datasette's
  `site/data/metadata.json` beside it;
- `site/data/datapackage.json`: a Frictionless Data Package (v2) describing every CSV and JSON
  of `site/data/`, each CSV with its Table Schema;
- `site/data/index.html`: the open data page, with the schema.org Dataset as JSON-LD.

This stage runs after the site stage: by then the build has carried every published month
forward (board.published), so the package names each month's files as published, corrections
(`-r2`) included. None of these files belongs to one month: each build writes them anew from
the register and the record, the same bytes for the same inputs.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from markupsafe import Markup

from ..errors import Problem, Severity
from ..i18n import Msg
from ..model import Month
from . import BuildContext, date_label, month_label
from . import oc4ids as oc4
from .data import dumps
from .site import CSV_COLUMNS, Site, _stage_built
from .tables import (
    TABLES,
    Column,
    Table,
    datasette_metadata,
    enum_values,
    sqlite_bytes,
    table_csv,
    table_rows,
)

DATA = "site/data/"
DATA_STAGE = "board.render.data"  # board.json, board-M.json, projects-M.csv
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "key-projects"
SCHEMA_MAJOR = 1  # the tables' shape: a column removed or renamed raises it
HELPDESK = "data@open-contracting.org"  # where a county asks for its OC4IDS prefix
OC4IDS_SCHEMA = "https://standard.open-contracting.org/infrastructure/latest/en/reference/schema/"
MEDIA = {
    "json": "application/json",
    "csv": "text/csv",
    "sqlite": "application/vnd.sqlite3",
}


def _b(name: str, type_: str, title: str = "", **options: Any) -> Column:
    return Column(name, type_, title or name, **options)


# The columns of data/projects.csv and data/projects-M.csv (site.CSV_COLUMNS), typed: the
# board of a month, one line per project. A column added to the CSV without a type here is
# a KeyError at import, so the Table Schema cannot fall behind the file.
_BOARD_COLUMNS = {
    c.name: c
    for c in (
        _b("id", "string", "od.title.project_id", required=True),
        _b("code", "string", "od.title.code"),  # issue 24: 项目统一代码
        _b("name", "string", required=True),
        _b("leader", "string", required=True),
        _b("unit", "string", required=True),
        _b("owner", "string"),
        _b("location", "string"),
        _b("category", "string"),
        _b("start", "date", required=True),
        _b("deadline", "date", required=True),
        _b("investment", "number", minimum=0),
        _b("status", "string", required=True, enum="status"),
        _b("status_label", "string", "status", required=True, enum="status_label"),
        _b("reported", "boolean", "od.title.reported", required=True),
        _b("report_month", "yearmonth", "od.title.report_month"),
        _b("percent", "integer", required=True, minimum=0, maximum=100),
        _b("planned", "number", required=True, minimum=0, maximum=100),
        _b("variance", "number", required=True),
        _b("gain", "integer", required=True),
        _b("rank", "integer", required=True, minimum=1),
        _b("previous_rank", "integer", "od.title.previous_rank", minimum=1),
        _b("movement", "integer"),
        _b("movement_kind", "string", "movement", required=True, enum="movement_kind"),
        _b("progress", "string"),
        _b("invested", "number"),
        _b("annual_investment", "number"),
        _b("invested_year", "number"),
        _b("investment_rate", "number"),
        _b("problems", "string"),
        _b("measures", "string"),
        _b("reason", "string"),
        _b("catch_up_by", "date"),
        _b("promise_state", "string", "od.title.promise_state", enum="promise_state"),
        # issue 22: the commitments as first published (原定), how many changes, 新增
        _b("baseline_name", "string", "od.title.baseline_name"),
        _b("baseline_leader", "string", "od.title.baseline_leader"),
        _b("baseline_unit", "string", "od.title.baseline_unit"),
        _b("baseline_deadline", "date", "od.title.baseline_deadline"),
        _b("baseline_investment", "number", "od.title.baseline_investment", minimum=0),
        _b("changes", "integer", "od.title.changes", required=True, minimum=0),
        _b("new", "boolean", "od.title.new", required=True),
    )
}
BOARD_TABLE = Table("board", tuple(_BOARD_COLUMNS[name] for name in CSV_COLUMNS), ("id",))
PUBLISHED_HEADERS = "published_csv_headers"  # a context's options: {path: a month CSV's header}


def csv_header(data: bytes) -> tuple[str, ...]:
    """The column names of a CSV as board writes it (UTF-8 with BOM, names without quotes)."""
    first = data.decode("utf-8-sig", errors="replace").split("\r\n", 1)[0].split("\n", 1)[0]
    return tuple(first.split(","))


def board_table_of(header: tuple[str, ...] | None) -> Table:
    """The Table Schema of a month's CSV with this header: BOARD_TABLE, or for a month
    published by an earlier board before a column was added (columns are only ever added
    within SCHEMA_MAJOR), the table of its own columns."""
    if not header or header == tuple(CSV_COLUMNS) or not set(header) <= set(_BOARD_COLUMNS):
        return BOARD_TABLE
    return Table("board", tuple(_BOARD_COLUMNS[name] for name in header), ("id",))


def site_base(url: str) -> str:
    """The site's address ending in `/`, or empty without site_url."""
    return (url if url.endswith("/") else url + "/") if url else ""


class OpenData:
    """Everything of this stage, from one build context."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.t = ctx.t
        self.config = ctx.config
        self.settings = ctx.config.open_data
        self.language = ctx.config.language
        self.site = Site(ctx)
        self.base = site_base(ctx.config.site_url)
        title = f"board:{self.config.title}:{self.config.issuer}"
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.base or title)

    # --- shared values ---------------------------------------------------------------------

    def address(self, path: str) -> str:
        """The absolute address of a file of site/ (a `urn:uuid:` name without site_url)."""
        if self.base:
            return self.base + path
        return f"urn:uuid:{uuid.uuid5(self.namespace, path)}"

    def modified(self) -> date:
        """When the data last changed: the latest month's day, or a later correction's."""
        days = [self.ctx.board.as_of]
        for board in self.ctx.boards:
            for version in self.site.versions(board.month)[1:]:
                if version.get("date"):
                    days.append(date.fromisoformat(version["date"]))
        return max(days)

    def corrections(self) -> int:
        return sum(max(0, len(self.site.versions(b.month)) - 1) for b in self.ctx.boards)

    def month_files(self) -> list[tuple[Month, int, str]]:
        """(month, version, path under site/data/) of every month's JSON and CSV as published:
        every version of a corrected month; the plain names outside a build."""
        found = []
        for board in self.ctx.boards:
            versions = self.site.versions(board.month)
            if not versions:
                names = [f"board-{board.month}.json", f"projects-{board.month}.csv"]
                found += [(board.month, 1, name) for name in names]
                continue
            for version in versions:
                for name in version["files"]:
                    if name.startswith(DATA) and name.endswith((".json", ".csv")):
                        found.append((board.month, version["version"], name.removeprefix(DATA)))
        return found

    def warnings(self) -> None:
        if self.settings.oc4ids_prefix:
            return
        config = self.config
        example = oc4.project_id("", self.ctx.board.rows[0].project.id)
        self.ctx.warnings.append(
            Problem(
                config.positions.get("open_data", config.source),
                "open_data.oc4ids_prefix",
                Msg("msg.opendata.no_prefix", example=example),
                Msg("msg.opendata.no_prefix_hint", helpdesk=HELPDESK),
                Severity.WARNING,
            )
        )

    # --- OC4IDS ----------------------------------------------------------------------------

    def sources(self) -> oc4.Sources:
        return oc4.Sources(
            t=self.t,
            prefix=self.settings.oc4ids_prefix,
            base=self.base,
            month_text=lambda m: month_label(m, self.language),
            versions=self.site.versions,
            file_links=lambda files: self.site.file_links(files, ""),
            pdf_links=lambda board: self.site.pdf_links(board, ""),
            date_text=lambda d: date_label(d, self.language),
            adjust=self.ctx.adjust,
        )

    def oc4ids(self) -> dict[str, bytes]:
        items = oc4.projects(self.ctx.boards, self.sources())
        publisher = {"name": self.config.issuer}
        if self.base:
            publisher["uri"] = self.base
        policy = self.base + "data/index.html" if self.base else ""

        def package(items: list[dict[str, Any]], path: str) -> bytes:
            return dumps(
                oc4.package(
                    items,
                    self.address(path),
                    self.modified(),
                    publisher,
                    self.settings.license_url,
                    policy,
                )
            )

        files = {f"{DATA}oc4ids.json": package(items, "data/oc4ids.json")}
        for row, item in zip(self.ctx.board.rows, items, strict=True):
            path = f"data/oc4ids/{row.project.id}.json"
            files[f"site/{path}"] = package([item], path)
        return files

    # --- the tables and the SQLite file ----------------------------------------------------

    def tables(self) -> dict[str, bytes]:
        prefix = self.settings.oc4ids_prefix
        rows = table_rows(self.ctx.boards, self.t, lambda pid: oc4.project_id(prefix, pid))
        files = {f"{DATA}{table.path}": table_csv(table, rows[table.name]) for table in TABLES}
        files[f"{DATA}board.sqlite"] = sqlite_bytes(rows, self.t)
        about = {
            "description": self.t("od.sqlite.about"),
            "source": self.config.issuer,
        }
        if self.base:
            about["source_url"] = self.base + "data/index.html"
        files[f"{DATA}metadata.json"] = dumps(
            datasette_metadata(
                self.t,
                self.config.title,
                about,
                (self.settings.license_url, self.settings.license_title),
            )
        )
        return files

    # --- the Data Package -------------------------------------------------------------------

    def field(self, column: Column) -> dict[str, Any]:
        item: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "title": self.t(column.title),
            "description": self.t(column.description),
        }
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = enum_values(column.enum, self.t)
        if column.minimum is not None:
            constraints["minimum"] = column.minimum
        if column.maximum is not None:
            constraints["maximum"] = column.maximum
        if constraints:
            item["constraints"] = constraints
        return item

    def table_schema(self, table: Table) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [self.field(c) for c in table.columns],
            "missingValues": [""],
            "primaryKey": list(table.primary_key),
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.table, "fields": list(fk.reference)},
                }
                for fk in table.foreign_keys
            ]
        return schema

    def resource(self, name: str, path: str, title: str, description: str) -> dict[str, Any]:
        suffix = path.rsplit(".", 1)[-1]
        item: dict[str, Any] = {"name": name, "path": path}
        item["title"] = title
        item["description"] = description
        item["format"] = suffix
        item["mediatype"] = MEDIA[suffix]
        if suffix in ("json", "csv"):
            item["encoding"] = "utf-8-sig" if suffix == "csv" else "utf-8"
        return item

    def table_resource(
        self, name: str, path: str, title: str, description: str, table: Table
    ) -> dict[str, Any]:
        item = {"type": "table", **self.resource(name, path, title, description)}
        item["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
        item["schema"] = self.table_schema(table)
        return item

    def resources(self) -> list[dict[str, Any]]:
        """Every CSV and JSON of site/data/, and the SQLite file (paths relative to site/data/)."""
        t = self.t
        latest = month_label(self.ctx.board.month, self.language)
        found = [
            self.resource(
                "oc4ids", "oc4ids.json", t("od.oc4ids.title"), t("od.oc4ids.about_package")
            )
        ]
        for row in self.ctx.board.rows:
            pid = row.project.id
            found.append(
                self.resource(
                    f"oc4ids-project-{pid}",
                    f"oc4ids/{pid}.json",
                    f"{t('od.oc4ids.title')} · {row.project.name}",
                    t("od.oc4ids.about_project").format(name=row.project.name),
                )
            )
        for table in TABLES:
            found.append(
                self.table_resource(
                    table.name, table.path, t(table.title), t(table.description), table
                )
            )
        found.append(
            self.resource("sqlite", "board.sqlite", t("od.sqlite.title"), t("od.sqlite.about"))
        )
        found.append(
            self.resource(
                "datasette-metadata",
                "metadata.json",
                t("od.datasette.title"),
                t("od.datasette.about"),
            )
        )
        found.append(
            self.table_resource(
                "board-table",
                "projects.csv",
                t("site.csv"),
                t("od.board_csv.about").format(month=latest),
                BOARD_TABLE,
            )
        )
        if not _stage_built(DATA_STAGE):  # the board's own JSON and month CSVs are not built
            return found
        found.append(
            self.resource(
                "board-json",
                "board.json",
                t("site.latest_json"),
                t("od.board_json.about").format(month=latest),
            )
        )
        for month, version, path in self.month_files():
            label = month_label(month, self.language)
            if version > 1:
                label += t("od.oc4ids.version").format(version=version)
            stem = path.rsplit(".", 1)[0].removeprefix("board-").removeprefix("projects-")
            if path.endswith(".json"):
                found.append(
                    self.resource(
                        f"board-json-{stem}",
                        path,
                        f"{t('site.board_json')} · {label}",
                        t("od.board_json.about").format(month=label),
                    )
                )
            else:
                headers = self.ctx.options.get(PUBLISHED_HEADERS, {})
                found.append(
                    self.table_resource(
                        f"board-table-{stem}",
                        path,
                        f"{t('site.csv')} · {label}",
                        t("od.board_csv.about").format(month=label),
                        board_table_of(headers.get(DATA + path)),
                    )
                )
        return found

    def version(self, data: dict[str, bytes]) -> str:
        """MAJOR.MINOR.PATCH+DIGEST: the tables' shape, the months published, the corrections,
        and a digest of the data itself, so any change of the data changes the version."""
        digest = hashlib.sha256()
        for name in sorted(data):
            if name.endswith((".csv", ".json")) and not name.endswith("metadata.json"):
                digest.update(name.encode("utf-8") + b"\0" + data[name])
        months = len(self.ctx.boards)
        return f"{SCHEMA_MAJOR}.{months}.{self.corrections()}+{digest.hexdigest()[:12]}"

    def datapackage(self, data: dict[str, bytes]) -> dict[str, Any]:
        t = self.t
        config = self.config
        out: dict[str, Any] = {
            "$schema": PROFILE,
            "name": PACKAGE_NAME,
            "id": self.address("data/datapackage.json"),
            "title": config.title,
            "description": t("od.package.about").format(issuer=config.issuer),
            "version": self.version(data),
            "created": oc4.day_time(self.modified()),
        }
        if self.base:
            out["homepage"] = self.base + "data/index.html"
        if self.settings.license:
            licence: dict[str, str] = {
                "path": self.settings.license_url,
                "title": self.settings.license_title,
            }
            if self.settings.license_name:
                licence = {"name": self.settings.license_name, **licence}
            out["licenses"] = [licence]
        contributor: dict[str, Any] = {"title": config.issuer, "roles": ["publisher"]}
        if config.email:
            contributor["email"] = config.email
        if self.base:
            contributor["path"] = self.base
        out["contributors"] = [contributor]
        out["keywords"] = [t("od.keyword.projects"), t("od.keyword.progress"), "OC4IDS"]
        out["resources"] = self.resources()
        return out

    # --- the open data page, with the Dataset as JSON-LD -----------------------------------------

    def href(self, path: str) -> str:
        """A file of site/data/ as schema.org gives it: absolute with site_url, else relative
        to the page (data/index.html), which JSON-LD resolves against the page's address."""
        return self.base + "data/" + path if self.base else path

    def json_ld(self, package: dict[str, Any]) -> dict[str, Any]:
        config = self.config
        boards = self.ctx.boards
        organisation: dict[str, Any] = {
            "@type": "GovernmentOrganization",
            "name": config.issuer,
            "telephone": config.hotline,
        }
        if config.email:
            organisation["email"] = config.email
        if self.base:
            organisation["url"] = self.base
        distribution = [
            {
                "@type": "DataDownload",
                "name": self.t("od.datapackage.title"),
                "description": self.t("od.datapackage.about"),
                "encodingFormat": "application/json",
                "contentUrl": self.href("datapackage.json"),
            }
        ]
        for resource in package["resources"]:
            distribution.append(
                {
                    "@type": "DataDownload",
                    "name": resource["title"],
                    "description": resource["description"],
                    "encodingFormat": resource["mediatype"],
                    "contentUrl": self.href(resource["path"]),
                }
            )
        places = sorted({r.project.location for r in self.ctx.board.rows if r.project.location})
        spatial: dict[str, Any] = {"@type": "Place"}
        if self.settings.area:
            spatial["name"] = self.settings.area
        if places:
            spatial["containsPlace"] = [{"@type": "Place", "name": name} for name in places]
        dataset: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": config.title,
            "description": package["description"],
            "inLanguage": config.language,
            "keywords": package["keywords"],
            "version": package["version"],
            "isAccessibleForFree": True,
            "creator": organisation,
            "publisher": organisation,
            "datePublished": boards[0].as_of.isoformat(),
            "dateModified": self.modified().isoformat(),
            "temporalCoverage": f"{boards[0].month.first_day}/{boards[-1].month.last_day}",
        }
        if len(spatial) > 1:
            dataset["spatialCoverage"] = spatial
        if self.base:
            dataset["url"] = self.base + "data/index.html"
            dataset["identifier"] = self.base + "data/datapackage.json"
        if self.settings.license:
            dataset["license"] = self.settings.license_url
        dataset["distribution"] = distribution
        return dataset

    def page(self, package: dict[str, Any]) -> bytes:
        t = self.t
        text = json.dumps(self.json_ld(package), ensure_ascii=False, indent=1)
        # a data block, never run; `<`, `>` and `&` escaped so no text can close the element
        for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escape)
        standards = [
            ("oc4ids.json", "JSON", t("od.oc4ids.title"), t("od.page.oc4ids")),
            ("datapackage.json", "JSON", t("od.datapackage.title"), t("od.page.datapackage")),
            ("board.sqlite", "SQLite", t("od.sqlite.title"), t("od.page.sqlite")),
            ("metadata.json", "JSON", t("od.datasette.title"), t("od.page.datasette")),
        ]
        tables = [(table.path, t(table.title), t(table.description)) for table in TABLES]
        projects = [(r.project.name, f"oc4ids/{r.project.id}.json") for r in self.ctx.board.rows]
        self.site.templates["opendata.html"] = self.ctx.env.get_template("site/opendata.html")
        return self.site.page(
            "opendata.html",
            self.ctx.board,
            "../",
            json_ld=Markup(text),
            standards=standards,
            tables=tables,
            oc4ids_projects=projects,
            package=package,
            settings=self.settings,
            prefix_example=oc4.project_id(
                self.settings.oc4ids_prefix, self.ctx.board.rows[0].project.id
            ),
            modified=self.modified(),
            schema_url=OC4IDS_SCHEMA,
        )

    def render(self) -> dict[str, bytes]:
        self.warnings()
        files = self.oc4ids()
        files.update(self.tables())
        package = self.datapackage(files)
        files[f"{DATA}datapackage.json"] = dumps(package)
        files[f"{DATA}index.html"] = self.page(package)
        return files


def render(ctx: BuildContext) -> dict[str, bytes]:
    """The open data in OC4IDS, Frictionless, SQLite and schema.org (see the module's text)."""
    return OpenData(ctx).render()
