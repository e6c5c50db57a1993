"""The project as an Open Contracting Data Standard 1.1 release, tagged "planning".

The OCDS 1.1.5 release schema and the codelists used here are kept in
projects/exchange/standards/ocds-1.1.5/ (copied unchanged), so the export is validated offline.
"""

import csv
import json
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

STANDARD = Path(__file__).resolve().parent / "standards" / "ocds-1.1.5"
# A real publisher registers its own prefix with the OCDS helpdesk; set OCDS_PREFIX then.
DEFAULT_PREFIX = "ocds-mobilise"

MILESTONE_TYPES = {  # our milestone kinds -> OCDS milestoneType codes
    "pre_procurement": "preProcurement",
    "approval": "approval",
    "engagement": "engagement",
    "assessment": "assessment",
    "delivery": "delivery",
    "reporting": "reporting",
}
MILESTONE_STATUSES = {"scheduled": "scheduled", "met": "met", "not_met": "notMet", "partially_met": "partiallyMet"}


def release_schema() -> dict:
    return json.loads((STANDARD / "release-schema.json").read_text())


@cache
def codes(codelist: str) -> frozenset:
    """The codes of one codelist CSV, e.g. codes("milestoneType.csv")."""
    with open(STANDARD / "codelists" / codelist, newline="", encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def _datetime(value):
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0), tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _url(base_url, name, *args):
    try:
        return base_url + reverse(name, args=args)
    except NoReverseMatch:
        return None


def _parties(project, ocid):
    """The buyer and the procuring entity: organisations of the project's buyer and
    procurement stakeholders, else the project's sponsor. One party may hold both roles."""
    stakeholders = list(project.stakeholders.filter(kind__in=["buyer", "procurement", "sponsor"]))

    def organisation(*kinds):
        for kind in kinds:
            for person in stakeholders:
                if person.kind == kind and person.organisation.strip():
                    return person.organisation.strip()
        return None

    buyer = organisation("buyer", "sponsor") or project.sponsor.strip() or project.name
    procuring = organisation("procurement") or buyer
    parties = {}
    for name, role in ((buyer, "buyer"), (procuring, "procuringEntity")):
        party = parties.setdefault(name, {"id": f"{ocid}-{slugify(name)[:40] or 'party'}", "name": name, "roles": []})
        party["roles"].append(role)
    return list(parties.values()), parties[buyer]


def project_release(project, *, base_url="") -> dict:
    """An OCDS release (tag "planning") for `project`; valid against the 1.1.5 release schema."""
    prefix = getattr(settings, "OCDS_PREFIX", DEFAULT_PREFIX)
    ocid = f"{prefix}-{slugify(project.reference) or project.slug}"
    parties, buyer = _parties(project, ocid)
    rationale = "\n\n".join(
        f"{label}: {text.strip()}"
        for label, text in (
            ("Business objective", project.business_objective),
            ("Problem or opportunity", project.problem_or_opportunity),
            ("Desired outcome", project.desired_outcome),
        )
        if text.strip()
    )
    planning = {"rationale": rationale} if rationale else {}
    amount = project.budget_revised if project.budget_revised is not None else project.budget_allocated
    budget = {"id": f"{ocid}-budget", "description": f"Budget for {project.name}"}
    if amount is not None:
        budget["amount"] = {"amount": float(amount)}
        if project.currency in codes("currency.csv"):
            budget["amount"]["currency"] = project.currency
    planning["budget"] = budget
    planning["milestones"] = [_milestone(m) for m in project.milestones.all()]
    planning["documents"] = _documents(project, base_url)
    release = {
        "ocid": ocid,
        "id": f"{ocid}-planning-{project.updated_at:%Y%m%dT%H%M%S}",
        "date": _datetime(project.updated_at),
        "tag": ["planning"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "planning": planning,
        "tender": {"id": f"{ocid}-tender", "title": project.name, "status": "planning"},
    }
    return release


def _milestone(milestone):
    item = {"id": str(milestone.pk), "title": milestone.name}
    kind = MILESTONE_TYPES.get(milestone.kind)
    if kind in codes("milestoneType.csv"):
        item["type"] = kind
    if milestone.notes.strip():
        item["description"] = milestone.notes.strip()
    due = milestone.forecast_end or milestone.baseline_end
    if due:
        item["dueDate"] = _datetime(due)
    item["status"] = MILESTONE_STATUSES[milestone.status]
    if milestone.status == "met" and milestone.actual_end:
        item["dateMet"] = _datetime(milestone.actual_end)
    return item


def _documents(project, base_url):
    """What a reader can fetch: the work plan, the brief, the project workbook, issued reports."""
    candidates = [
        ("plan", "projectPlan", "Draft work plan", "plan:plan-pdf", "application/pdf"),
        ("brief", "needsAssessment", "Project brief", "alignment:brief-pdf", "application/pdf"),
        (
            "workbook",
            "procurementPlan",
            "Project registers (workbook)",
            "exchange:export-xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]
    documents = []
    for key, kind, title, name, media in candidates:
        url = _url(base_url, name, project.slug)
        if url:
            documents.append(
                {"id": key, "documentType": kind, "title": title, "url": url, "format": media, "language": "en"}
            )
    for report in project.reports.filter(issued_at__isnull=False).order_by("number"):
        url = _url(base_url, "reports:report-pdf", project.slug, report.number)
        document = {
            "id": f"report-{report.number}",
            "documentType": "physicalProgressReport",
            "title": f"Highlight report {report.number}",
            "datePublished": _datetime(report.issued_at),
            "language": "en",
        }
        if url:
            document.update(url=url, format="application/pdf")
        documents.append(document)
    return documents
