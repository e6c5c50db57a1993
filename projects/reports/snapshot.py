"""The data a highlight report shows, as plain JSON: built from live records for a draft,
frozen into HighlightReport.snapshot when the report is issued.

An issued report renders only from its snapshot and its stored text, so everything the PDF
shows (milestones, risks, financial figures, communications, the RACI section) is here.
Other areas plug in lazily: the Gantt (projects.plan.gantt), the risk register
(risks.models.Risk) and the RACI section (raci.pdf_section) are used when they exist.
"""

import logging
from datetime import date
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

log = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1


def optional_module(name):
    """The module `name` if another area has written it yet, else None (never raises)."""
    try:
        if find_spec(name) is None:
            return None
        return import_module(name)
    except Exception:  # a half-written module must not break reports
        log.warning("Could not import %s for highlight reports", name, exc_info=True)
        return None


def _iso(value):
    return value.isoformat() if value else None


def _money(value):
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


# Milestones -------------------------------------------------------------------------------


def milestone_rows(project):
    """Every milestone as a dict; with the Gantt module present each also carries its GanttItem."""
    gantt = optional_module("projects.plan.gantt")
    rows = []
    for m in project.milestones.select_related("owner").prefetch_related("depends_on").order_by("position", "baseline_end", "id"):
        row = {
            "id": m.pk,
            "name": m.name,
            "within": m.within_project,
            "kind": m.get_kind_display(),
            "owner": m.owner.name if m.owner else "",
            "baseline_start": _iso(m.baseline_start),
            "baseline_end": _iso(m.baseline_end),
            "forecast_end": _iso(m.forecast_end),
            "actual_end": _iso(m.actual_end),
            "status": m.status,
            "status_label": m.get_status_display(),
            "slip_days": m.slip_days,
        }
        if gantt is not None:
            try:
                row["gantt"] = gantt.GanttItem.from_milestone(m).to_dict()
            except Exception:
                log.warning("GanttItem.from_milestone failed", exc_info=True)
        rows.append(row)
    return rows


# Risks ------------------------------------------------------------------------------------


def _risk_model():
    module = optional_module("risks.models")
    return getattr(module, "Risk", None) if module else None


def _first_attr(obj, names, default=""):
    for name in names:
        if hasattr(obj, name):
            value = getattr(obj, name)
            return default if value is None else value
    return default


def risk_rows(project):
    """The live risk register, highest score first; [] until the risks area exists."""
    Risk = _risk_model()
    if Risk is None:
        return None
    queryset = Risk.objects.filter(project=project)
    relations = [f.name for f in Risk._meta.get_fields() if f.name == "owner" and f.is_relation and f.many_to_one]
    if relations:
        queryset = queryset.select_related(*relations)
    rows = []
    for risk in queryset:
        likelihood = int(_first_attr(risk, ["likelihood"], 0) or 0)
        impact = int(_first_attr(risk, ["impact"], 0) or 0)
        score = _first_attr(risk, ["score"], None)
        status = str(_first_attr(risk, ["status"], "open"))
        kind = _first_attr(risk, ["kind"], "risk")
        rows.append({
            "id": risk.pk,
            "reference": str(_first_attr(risk, ["reference"], "") or f"R{risk.pk}"),
            "event": str(_first_attr(risk, ["event", "description", "title"])),
            "likelihood": likelihood,
            "impact": impact,
            "score": int(score) if score is not None else likelihood * impact,
            "action": str(_first_attr(risk, ["mitigating_action", "action", "mitigation"])),
            "owner": str(_first_attr(risk, ["owner"], "") or ""),
            "status": status,
            "closed": status.lower() == "closed",
            "kind": str(kind or "risk"),
        })
    return sort_risks(rows)


def risk_scale(project):
    """The project's risk scale and band thresholds, frozen with the risks they score."""
    module = optional_module("risks.models")
    settings_for = getattr(module, "settings_for", None) if module else None
    if settings_for is None:
        return {"scale": 4, "thresholds": [3, 6, 9]}
    try:
        settings = settings_for(project)
        return {"scale": int(settings.scale), "thresholds": list(settings.thresholds)}
    except Exception:
        log.warning("risks.models.settings_for failed", exc_info=True)
        return {"scale": 4, "thresholds": [3, 6, 9]}


def _reference_order(reference):
    """R2 before R10: the number, not the text (snapshots store only the reference)."""
    digits = "".join(ch for ch in reference if ch.isdigit())
    return (int(digits) if digits else 0, reference)


def sort_risks(rows):
    return sorted(rows, key=lambda r: (r["closed"], -r["score"], -r["impact"], _reference_order(r["reference"])))


# Communications, money, the rest -------------------------------------------------------------


def communication_rows(project):
    rows = []
    for item in project.communications.select_related("owner").prefetch_related("audience"):
        audience = [s.name for s in item.audience.all()]
        rows.append({
            "audience": item.audience_group or ", ".join(audience),
            "purpose": item.purpose,
            "channel": item.get_channel_display(),
            "frequency": item.get_frequency_display(),
            "owner": item.owner.name if item.owner else "",
            "next_date": _iso(item.next_date),
        })
    return rows


def financial(project):
    return {
        "currency": project.currency,
        "allocated": _money(project.budget_allocated),
        "revised": _money(project.budget_revised),
        "spent": _money(project.budget_spent),
    }


def raci_section(project):
    """The RACI area's optional report section: raci.pdf_section.report_data(project)."""
    module = optional_module("raci.pdf_section")
    function = module and (getattr(module, "report_data", None) or getattr(module, "snapshot", None))
    if not function:
        return None
    try:
        return function(project)
    except Exception:
        log.warning("raci.pdf_section failed", exc_info=True)
        return None


def build_snapshot(project, *, as_of=None):
    """Live data for a report on `project`, JSON-serialisable. A fixed number of queries."""
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": _iso(as_of or date.today()),
        "project": {
            "name": project.name,
            "reference": project.reference,
            "sponsor": project.sponsor,
            "project_manager": project.project_manager,
        },
        "milestones": milestone_rows(project),
        "risks": risk_rows(project),
        "risk_scale": risk_scale(project),
        "financial": financial(project),
        "communications": communication_rows(project),
        "raci": raci_section(project),
    }


# What changed since the last report ----------------------------------------------------------


def changes_between(previous, current):
    """New, closed and re-scored risks and slipped milestones, `previous` -> `current`.

    Both are snapshots; `previous` is the last issued report's. None when there is no
    previous report to compare with.
    """
    if not previous:
        return None
    before_risks = {r["reference"]: r for r in previous.get("risks") or []}
    now_risks = {r["reference"]: r for r in current.get("risks") or []}
    new = [r for ref, r in now_risks.items() if ref not in before_risks and not r["closed"]]
    closed = [
        r for ref, r in now_risks.items() if r["closed"] and ref in before_risks and not before_risks[ref]["closed"]
    ]
    closed += [r for ref, r in before_risks.items() if ref not in now_risks and not r["closed"]]
    rescored = [
        {**r, "old_score": before_risks[ref]["score"], "old_likelihood": before_risks[ref]["likelihood"],
         "old_impact": before_risks[ref]["impact"]}
        for ref, r in now_risks.items()
        if ref in before_risks and not r["closed"] and before_risks[ref]["score"] != r["score"]
    ]
    before_ms = {m["id"]: m for m in previous.get("milestones") or []}
    slipped = []
    for m in current.get("milestones") or []:
        old = before_ms.get(m["id"])
        if not old:
            continue
        was, now = old.get("forecast_end") or old.get("baseline_end"), m.get("forecast_end") or m.get("baseline_end")
        if was and now and now > was:
            slipped.append({**m, "was": was, "now": now, "days": (date.fromisoformat(now) - date.fromisoformat(was)).days})
    changes = {"new": new, "closed": closed, "rescored": rescored, "slipped": slipped}
    changes["any"] = any(changes.values())
    return changes
