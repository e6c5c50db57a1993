import io
from pathlib import Path

import openpyxl
import pytest

REAL_WORLD = Path(__file__).resolve().parent.parent / "fixtures" / "real-world"


def real_world(name) -> bytes:
    """A workbook from tests/fixtures/real-world/ (see its SOURCES.md)."""
    return (REAL_WORLD / name).read_bytes()


def workbook_bytes(*sheets, hidden=()):
    """An .xlsx built with openpyxl: each sheet is (title, [rows])."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def scale_project(project):
    return project
