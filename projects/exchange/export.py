"""The whole project as one workbook: one sheet per kind, each readable by its importer."""

from mobilise.spreadsheets import write_workbook
from projects.importing import available_kinds, importer_for


def export_project(project) -> bytes:
    """The sheets in the importers' registered order: stakeholders, milestones, communications, risks, raci."""
    return write_workbook([importer_for(kind, project).export_sheet() for kind in available_kinds()])
