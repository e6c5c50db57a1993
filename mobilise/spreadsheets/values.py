"""Turning what people type into cells into values: text, dates, numbers, scales, choices."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXCEL_EPOCH = date(1899, 12, 30)
# Excel escapes control characters as _x000B_; they mean nothing in our fields.
ESCAPED_CONTROL = re.compile(r"_x00[01][0-9A-Fa-f]_")
TEXT_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
)


# "Mon 3/1/27", "03/01/2027 08:00", "Tue 14.1.27 5:00 PM": numbers whose order the file does not say.
NUMERIC_DATE = re.compile(
    r"^(?:(?P<weekday>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def numeric_date_orders(text) -> set[str] | None:
    """The orders ("dmy", "mdy") in which a text date like "Mon 3/1/27" is a real date (and
    falls on its weekday, when it names one); None for text that is not such a date."""
    match = NUMERIC_DATE.match(str(text).strip())
    if not match:
        return None
    orders = set()
    for order in ("dmy", "mdy"):
        try:
            day = _numeric_date(match, order)
        except ValueError:
            continue
        if match["weekday"] and WEEKDAYS[day.weekday()] != match["weekday"][:3].lower():
            continue
        orders.add(order)
    return orders


def _numeric_date(match, order) -> date:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    year = year + 2000 if year < 100 else year
    day, month = (a, b) if order == "dmy" else (b, a)
    return date(year, month, day)


class ValueProblem(ValueError):
    """A cell we cannot turn into a value; the message is shown with its sheet, row and column."""


def normalise(text) -> str:
    """Lower-case words only: "Likelihood_1_5 " -> "likelihood 1 5", "Aufgabe / Prozess" -> "aufgabe prozess"."""
    if isinstance(text, str) and len(text) <= 200:
        return _normalise(text)  # registers repeat the same few words thousands of times
    return _normalise.__wrapped__(text)


@lru_cache(maxsize=8192)
def _normalise(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("%", " percent ")))


def clean_text(value, max_length=None) -> str:
    """Cell text as we store it: control characters gone, "\\n" line endings, spaces trimmed, bounded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = ILLEGAL_CHARACTERS_RE.sub("", ESCAPED_CONTROL.sub("", text)).strip()
    if max_length is not None and len(text) > max_length:
        raise ValueProblem(f"is {len(text):,} characters long; the limit is {max_length:,}")
    return text


def parse_date(value, order=""):
    """Dates as dates, Excel serial numbers, or text in the common formats. Numeric text dates
    ("Mon 3/1/27") are read in `order` ("dmy" or "mdy") when given, else day first."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial range: 1900-01-01 to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem(f"“{value}” is not a date")
    text = clean_text(value)
    match = NUMERIC_DATE.match(text)
    if match:
        try:
            result = _numeric_date(match, order or "dmy")
        except ValueError:
            raise ValueProblem(f"“{text[:60]}” is not a date") from None
        if match["weekday"] and WEEKDAYS[result.weekday()] != match["weekday"][:3].lower():
            raise ValueProblem(
                f"“{text[:60]}” says {match['weekday'].capitalize()}, but {result.day} {result:%B %Y} is a "
                f"{result:%A}: check the date order"
            )
        return result
    for fmt in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T].*", text):
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise ValueProblem(f"“{text[:60]}” is not a date (use a date cell or YYYY-MM-DD)")


def parse_number(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}” is not a number")
    if isinstance(value, (int, float)):
        return value
    text = clean_text(value).replace(",", "")
    try:
        return float(text) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        raise ValueProblem(f"“{text[:60]}” is not a number") from None


def match_choice(value, words: dict):
    """`words` maps normalised words to our value, in priority order: an exact match wins,
    else the first word (in dict order) found in the cell, so with "quarter" listed before
    "month", "3rd Monday of first month per quarter" -> quarterly."""
    key = normalise(value)
    if not key:
        return None
    if key in words:
        return words[key]
    padded = f" {key} "
    for word, result in words.items():
        if f" {word} " in padded:
            return result
    return None


def scale_value(value, source_max: int, target_max: int) -> int:
    """Map 1..source_max onto 1..target_max, rounding half up (5-point "4" -> 4-point "3")."""
    if source_max == target_max:
        return value
    exact = 1 + (value - 1) * (target_max - 1) / (source_max - 1)
    return int(exact + 0.5)
