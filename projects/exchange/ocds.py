"""The project as an Open Contracting Data Standard 1.1 release package, tagged "planning".

The OCDS 1.1.5 release schema and the codelists used here are kept in
projects/exchange/standards/ocds-1.1.5/ (copied unchanged), so the export is validated offline.

The release's id is a hash of its content and its date the latest change to what it shows
(the project, its stakeholders, milestones and issued reports, from their history), so both
move whenever any part of it changes and stay put otherwise. The ocid prefix, the parties'
identifier scheme and the publisher come from settings (OCDS_PREFIX, OCDS_PARTY_SCHEME,
OCDS_PUBLISHER_NAME). Empty fields and arrays are left out, as the standard asks.
"""

import csv
import hashlib
import json
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.text import slugify

from projects.models import Stakeholder
from projects.plan.models import Milestone
from projects.reports.models import HighlightReport

STANDARD = Path(__file__).resolve().parent / "standards" / "ocds-1.1.5"

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
    return base_url + reverse(name, args=args)


def prune(value):
    """The value without empty strings, arrays, objects or nulls, at any depth: OCDS asks that
    fields without a value be left out rather than given empty."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (prune(item) for item in value) if v not in (None, "", [], {})]
    return value


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
    scheme = settings.OCDS_PARTY_SCHEME
    parties = {}
    for name, role in ((buyer, "buyer"), (procuring, "procuringEntity")):
        if name not in parties:
            local = slugify(name)[:40] or "party"
            party = {"id": f"{scheme}-{local}" if scheme else f"{ocid}-{local}", "name": name, "roles": []}
            if scheme:  # identified in the publisher's register, by the organisation's name
                party["identifier"] = {"scheme": scheme, "id": local, "legalName": name}
            parties[name] = party
        parties[name]["roles"].append(role)
    return list(parties.values()), parties[buyer]


def project_release(project, *, base_url="") -> dict:
    """An OCDS release (tag "planning") for `project`; valid against the 1.1.5 release schema."""
    ocid = f"{settings.OCDS_PREFIX}-{slugify(project.reference) or project.slug}"
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
        "publisher": _publisher(),
        "tag": ["planning"],
        # Deprecated since 1.1.5 yet still required by its schema: every valid release has it.
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "planning": planning,
        "tender": {"id": f"{ocid}-tender", "title": project.name},
    }
    release = prune(release)
    # The id hashes everything else in the release, so any change to what it says is a new release.
    digest = hashlib.sha256(json.dumps(release, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    changed = last_changed(project)
    return {"ocid": ocid, "id": f"{ocid}-planning-{digest[:16]}", "date": _datetime(changed), **release}


def _publisher():
    # An Identifier in 1.1.5's release schema (not the package's deprecated {"name": ...}).
    return {"legalName": settings.OCDS_PUBLISHER_NAME}


def last_changed(project) -> datetime:
    """When anything the release shows last changed: the newest history row of the project, its
    stakeholders, milestones and reports (deleted ones too: their deletion is a history row)."""
    dates = [
        project.history.aggregate(last=Max("history_date"))["last"],
        *(
            model.history.filter(project_id=project.pk).aggregate(last=Max("history_date"))["last"]
            for model in (Stakeholder, Milestone, HighlightReport)
        ),
    ]
    return max((d for d in dates if d is not None), default=project.updated_at)


def release_package(project, *, base_url="") -> dict:
    """The release in a release package, what OCDS tools expect to read. The package carries
    only what 1.1.5 does not deprecate: its uri, publishedDate and publisher moved to the release."""
    return {"version": "1.1", "releases": [project_release(project, base_url=base_url)]}


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
    # Each address is a page any member who can read this release can open (all need "view").
    documents = [
        {"id": key, "documentType": kind, "title": title, "url": _url(base_url, name, project.slug), "format": media}
        for key, kind, title, name, media in candidates
    ]
    for number, issued_at in project.reports.issued().order_by("number").values_list("number", "issued_at"):
        documents.append(
            {
                "id": f"report-{number}",
                "documentType": "physicalProgressReport",
                "title": f"Highlight report {number}",
                "url": _url(base_url, "reports:report-pdf", project.slug, number),
                "format": "application/pdf",
                "datePublished": _datetime(issued_at),
            }
        )
    return documents
