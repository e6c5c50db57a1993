"""The one spreadsheet mechanism: safe opening, table detection, value mapping, safe writing.

Per-kind importers live with their models (projects/xlsx.py, risks/xlsx.py, raci/xlsx.py)
and are found through KINDS, so the views and commands serve every kind the same way.
"""

from importlib import import_module

from .importing import Importer, Preview, Problem, Row  # noqa: F401
from .opening import (  # noqa: F401
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    SpreadsheetError,
    read_workbook,
)
from .stored import pack_sheets, unpack_sheets  # noqa: F401
from .tables import Field  # noqa: F401
from .writing import ColumnSpec, SheetSpec, text_cell, write_workbook  # noqa: F401

# kind -> "module:Class"; the order is the order of sheets in a whole-project export.
KINDS = {
    "stakeholders": "projects.xlsx:StakeholderImporter",
    "milestones": "projects.xlsx:MilestoneImporter",
    "communications": "projects.xlsx:CommunicationImporter",
    "risks": "risks.xlsx:RiskImporter",
    "raci": "raci.xlsx:RaciImporter",
}


def importer_class(kind):
    """The importer class for `kind`, or None when that area has no importer (yet)."""
    target = KINDS.get(kind)
    if target is None:
        return None
    module_name, class_name = target.split(":")
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    return getattr(module, class_name, None)


def available_kinds():
    return [kind for kind in KINDS if importer_class(kind) is not None]


def importer_for(kind, project) -> Importer:
    cls = importer_class(kind)
    if cls is None:
        raise SpreadsheetError(f"“{kind}” is not something we import. Choose one of: {', '.join(available_kinds())}.")
    return cls(project)


def export_project(project) -> bytes:
    """The whole project as one workbook: one sheet per kind, each readable by its importer."""
    return write_workbook([importer_for(kind, project).export_sheet() for kind in available_kinds()])
