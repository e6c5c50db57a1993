"""A read workbook kept between upload and confirm: every sheet's cell values, packed.

The upload reads the .xlsx once; the preview of another sheet and the confirmation plan from
these values and never open the file again. Packed as zlib-compressed JSON (cells are str,
int, float, bool, None or a date/time, tagged below), so it is one database value that any
app server can read back.
"""

import json
import zlib
from datetime import date, datetime, time, timedelta

from .opening import Sheet

FORMAT = 1


def _encode(value):
    # Tagged as a one-item dict: a cell never holds a dict, so nothing else can look like one.
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    raise TypeError(f"a cell value of type {type(value).__name__}")


DECODERS = {
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "t": time.fromisoformat,
    "td": lambda seconds: timedelta(seconds=seconds),
}


def _decode(obj):
    if len(obj) == 1:
        ((tag, value),) = obj.items()
        return DECODERS[tag](value)
    return obj  # the document and its sheets


def pack_sheets(sheets: list[Sheet]) -> bytes:
    document = {
        "format": FORMAT,
        "sheets": [
            {"title": s.title, "hidden": s.hidden, "rows": s.rows, "formulas": sorted(s.formulas)} for s in sheets
        ],
    }
    text = json.dumps(document, default=_encode, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return zlib.compress(text.encode(), 6)


def unpack_sheets(packed: bytes) -> list[Sheet]:
    document = json.loads(zlib.decompress(bytes(packed)), object_hook=_decode)
    if document.get("format") != FORMAT:
        raise ValueError(f"packed workbook format {document.get('format')!r}, expected {FORMAT}")
    return [
        Sheet(
            title=s["title"],
            rows=[tuple(r) for r in s["rows"]],
            hidden=s["hidden"],
            formulas=frozenset(tuple(f) for f in s["formulas"]),
        )
        for s in document["sheets"]
    ]
