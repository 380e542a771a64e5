"""The office's spreadsheets: `board template`, `board import` and `board export`.

The project office keeps its register in Excel/WPS and collects the monthly reports from the
responsible units as spreadsheets. One module per command, over what they share:

- `layout`: the sheets, their columns, the instructions sheet, problems in cells;
- `yamltext`: writing YAML in the register's own format, remembering each line's cell;
- `reading`: reading a workbook's sheets and cells;
- `importer` (`board import`): the workbook is turned into the YAML files it would write, those
  are validated together with the rest of the register in a temporary copy (board.validate),
  every problem is mapped back to its sheet and cell (`报告!C7 具体进度: ...`), and only a register
  without errors is written, file by file, atomically;
- `writing`: workbooks byte for byte the same for the same content;
- `template` (`board template`): the workbook the office fills in;
- `export` (`board export`): a month's board and ranking for internal circulation.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .export import export_workbook
    from .importer import ImportResult, import_workbook
    from .layout import CellProblem, WorkbookError
    from .template import template_from, template_workbook
    from .yamltext import text_scalar

# Each name from its module when first asked for: the bulletin of every build reads the ledger
# (`board.xlsx.ledger`), which must not bring openpyxl and the importer with it (0.05–0.08 s of
# every build, before its PDFs could start).
_MODULES = {
    "CellProblem": ".layout",
    "ImportResult": ".importer",
    "WorkbookError": ".layout",
    "export_workbook": ".export",
    "import_workbook": ".importer",
    "template_from": ".template",
    "template_workbook": ".template",
    "text_scalar": ".yamltext",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_MODULES[name], __name__), name)


__all__ = [
    "CellProblem",
    "ImportResult",
    "WorkbookError",
    "export_workbook",
    "import_workbook",
    "template_from",
    "template_workbook",
    "text_scalar",
]
