"""The domain-free spreadsheet machinery: safe opening, table detection, value parsing, safe writing.

It knows no model of ours. The import mechanism built on it (the Importer base, stakeholders
created on import, the registry of kinds) is projects/importing.py; each kind's importer
lives with its models (projects/xlsx.py, risks/xlsx.py, raci/xlsx.py).
"""

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
from .writing import ColumnSpec, SheetSpec, set_text, text_cell, write_workbook  # noqa: F401
