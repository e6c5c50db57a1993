"""What the data say about Time, Cost and Risk: a suggested RAG with its reason in words, and
the exceptions a forecast beyond the project's tolerances raises (PRINCE2).

Everything here reads a report snapshot (projects/reports/snapshot.py), never live records:
the suggestions and exceptions of an issued report are worked out again from its frozen
snapshot and always come out as they did on the day it was issued.
"""

from datetime import date
from decimal import Decimal

from projects.plan.rules import SLIP_RED_DAYS

from .figures import band_function, money

# The report fields the data can judge, with the words the report uses for them.
SUGGESTED = {"rag_time": "Time", "rag_cost": "Cost", "rag_risk": "Risk"}
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
EXCEPTION_FIELDS = [
    ("exception_cause", "Cause"),
    ("exception_consequences", "Consequences"),
    ("exception_options", "Options"),
    ("exception_recommendation", "Recommendation"),
]


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _open_with_baseline(data):
    """Open (not met) milestones with a baseline end, each with its signed deviation in days:
    positive late, negative early. The same milestones the admin's slip column counts."""
    rows = []
    for m in data.get("milestones") or []:
        if m.get("status") == "met" or not m.get("baseline_end"):
            continue
        later = m.get("actual_end") or m.get("forecast_end")
        deviation = (date.fromisoformat(later) - date.fromisoformat(m["baseline_end"])).days if later else 0
        rows.append((m, deviation))
    return rows


def time_tolerance(data):
    return (data.get("tolerances") or {}).get("time_days")


def cost_tolerance(data):
    value = (data.get("tolerances") or {}).get("cost_percent")
    return None if value is None else Decimal(value)


def _tolerance_words(value, unit):
    return f"the tolerance of ± {value}{unit}"


def suggest_time(data):
    rows = _open_with_baseline(data)
    if not rows:
        return None, "No open milestone has a baseline, so time cannot be judged from the data."
    late = [(m, d) for m, d in rows if d > 0]
    tolerance = time_tolerance(data)
    if not late:
        return "green", f"No open milestone is forecast past its baseline ({len(rows)} checked)."
    worst, days = max(late, key=lambda pair: pair[1])
    count = f"{len(late)} open milestone{'s' if len(late) != 1 else ''} slipping; the worst, ‘{worst['name']}’, is {_days(days)} late"
    if tolerance is None:
        rag = "red" if days > SLIP_RED_DAYS else "amber"
        return rag, f"{count}. No time tolerance is set, so more than {SLIP_RED_DAYS} days late counts as red."
    if days > tolerance:
        return "red", f"{count}, beyond {_tolerance_words(tolerance, ' days')}."
    return "amber", f"{count}, within {_tolerance_words(tolerance, ' days')}."


def _cost_figures(data):
    figures = data.get("financial") or {}
    allocated, revised, spent = (
        None if figures.get(name) is None else Decimal(figures[name]) for name in ("allocated", "revised", "spent")
    )
    forecast = revised if revised is not None else allocated
    if forecast is not None and spent is not None and spent > forecast:
        forecast = spent  # what is spent already is the least it will cost
    return figures.get("currency") or "GBP", allocated, forecast, spent


def _percent(part, whole):
    return (part * 100 / whole).quantize(Decimal("0.1"))


def suggest_cost(data):
    currency, allocated, forecast, spent = _cost_figures(data)
    if not allocated:
        return None, "No budget is allocated, so cost cannot be judged from the data."
    over = forecast - allocated
    pct = _percent(over, allocated)
    tolerance = cost_tolerance(data)
    figures = f"forecast {money(forecast, currency)} against {money(allocated, currency)} allocated"
    if spent is not None and spent > allocated:
        return (
            "red",
            f"Spent to date ({money(spent, currency)}) is already over the {money(allocated, currency)} allocated.",
        )
    if over <= 0:
        return "green", f"The {figures}: within budget."
    if tolerance is None:
        return "amber", f"The {figures} is {pct}% over. No cost tolerance is set, so any overspend counts as amber."
    if pct > tolerance:
        return "red", f"The {figures} is {pct}% over, beyond {_tolerance_words(_pct_words(tolerance), '%')}."
    return "amber", f"The {figures} is {pct}% over, within {_tolerance_words(_pct_words(tolerance), '%')}."


def _pct_words(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _band_for(data):
    scale = data.get("risk_scale") or {"scale": 4, "thresholds": [3, 6, 9]}
    return band_function(scale["thresholds"]), scale["thresholds"]


def suggest_risk(data):
    risks = [r for r in data.get("risks") or [] if not r.get("closed") and r.get("kind", "risk") != "issue"]
    if not risks:
        return None, "No open risks are recorded, so risk cannot be judged from the data."
    band_for, thresholds = _band_for(data)
    top = [r for r in risks if band_for(r["score"]) == "very_high"]
    high = [r for r in risks if band_for(r["score"]) == "high"]

    def named(rows):
        refs = ", ".join(r["reference"] for r in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        return f"{len(rows)} open risk{'s' if len(rows) != 1 else ''} ({refs})"

    if top:
        return "red", f"{named(top)} in the top band, Very high (score over {thresholds[2]})."
    if high:
        return (
            "amber",
            f"{named(high)} in the High band (score {thresholds[1] + 1} to {thresholds[2]}); none Very high.",
        )
    return "green", f"None of the {len(risks)} open risks scores above Medium ({thresholds[1]} or less)."


RULES = {"rag_time": suggest_time, "rag_cost": suggest_cost, "rag_risk": suggest_risk}


def suggestions(data) -> dict:
    """{field: {"rag": "green"|"amber"|"red"|None, "reason": words}} for Time, Cost and Risk."""
    out = {}
    for field, rule in RULES.items():
        rag, reason = rule(data)
        out[field] = {"rag": rag, "reason": reason}
    return out


def exceptions(data) -> list[dict]:
    """Forecasts beyond tolerance, either way: [{"area": "Time"|"Cost", "words": ...}]."""
    found = []
    tolerance = time_tolerance(data)
    if tolerance is not None:
        rows = _open_with_baseline(data)
        late = [(m, d) for m, d in rows if d > tolerance]
        early = [(m, d) for m, d in rows if -d > tolerance]
        if late:
            worst, days = max(late, key=lambda pair: pair[1])
            found.append(
                {
                    "area": "Time",
                    "words": f"‘{worst['name']}’ is forecast {_days(days)} late, beyond the time tolerance of "
                    f"± {_days(tolerance)}" + (f" ({len(late)} milestones are beyond it)." if len(late) > 1 else "."),
                }
            )
        if early:
            first, days = max(early, key=lambda pair: -pair[1])
            found.append(
                {
                    "area": "Time",
                    "words": f"‘{first['name']}’ is forecast {_days(-days)} early, beyond the time tolerance of "
                    f"± {_days(tolerance)}.",
                }
            )
    tolerance = cost_tolerance(data)
    currency, allocated, forecast, _spent = _cost_figures(data)
    if tolerance is not None and allocated:
        pct = _percent(forecast - allocated, allocated)
        if abs(pct) > tolerance:
            direction = "over" if pct > 0 else "under"
            found.append(
                {
                    "area": "Cost",
                    "words": f"The forecast cost, {money(forecast, currency)}, is {abs(pct)}% {direction} the "
                    f"{money(allocated, currency)} allocated, beyond the cost tolerance of ± {_pct_words(tolerance)}%.",
                }
            )
    return found


def exception_missing(report, found) -> list[str]:
    """The exception report's fields still empty on `report` while `found` is not."""
    if not found:
        return []
    return [label.lower() for field, label in EXCEPTION_FIELDS if not getattr(report, field).strip()]


def rag_disagreements(report, suggested) -> list[dict]:
    """Time, Cost or Risk chosen otherwise than the data suggest, each with its reason (may be empty)."""
    out = []
    for field, label in SUGGESTED.items():
        s = (suggested or {}).get(field) or {}
        chosen = getattr(report, field)
        if s.get("rag") and chosen != s["rag"]:
            out.append(
                {
                    "field": field,
                    "label": label,
                    "chosen": chosen,
                    "suggested": s["rag"],
                    "why": s["reason"],
                    "reason": getattr(report, f"{field}_reason").strip(),
                }
            )
    return out
