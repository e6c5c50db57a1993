"""Demo highlight reports: seed 004's report for bucks-procurement, 12 issued reports for large-demo."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.demo import BUCKS_VISION
from projects.registry import demo_loaders

from . import rendering, services

# The register of seed 004, used when the risks area has not created it (it runs first).
SEED_RISKS = [
    (
        "R1",
        "Unwillingness of authorities to collaborate on procurement",
        1,
        4,
        "Issues goes to heart of Pathfinder project. Initial work must be done to establish agreement to the project, "
        "and ideally a shared vision.",
    ),
    (
        "R2",
        "Lack of leadership on procurement within individual authorities",
        2,
        4,
        "Authorities must identify suitable senior officer to lead/champion procurement work",
    ),
    (
        "R3",
        "Lack of capacity to undertake work required to improve collaboration",
        3,
        3,
        "Will need to be assessed to identify where the capacity gaps are. And how best to address them. In short term "
        "MKOB project may provide some support.",
    ),
    (
        "R4",
        "Failure to identify resource to undertake skills/capacity analysis work",
        2,
        4,
        "Undertake discussions with SECE and MKOB about how tasks could be approached. Secure some contingency funding "
        "from JIB to bolster capacity.",
    ),
]

BUCKS_TEXT = {
    "recommendation": "To Note progress on the project to date and the revised financial requirement",
    "vision": BUCKS_VISION,
    "progress": (
        "- Project Board convened, agreed terms of reference and workplan to April 2008\n"
        "- Updating of combined Bucks contracts register in progress\n"
        "- Spend analysis work being commissioned in collaboration with SECE and some Oxon authorities\n"
        "- Bucks authorities collaborating on sustainable procurement initiative sponsored by SECE."
    ),
    "milestones_within": (
        "- Procurement Project Board up and running with agreed terms of reference by November 2007.\n"
        "- Procurement roadmap and business case for investment produced by April 2008\n"
        "- Prioritisation of 2008/09 procurement activity for Pathfinder authorities agreed by Procurement Project "
        "Board by March 2008"
    ),
    "milestones_outside": (
        "- As part of MKOB Improvement Partnership work links are being developed with Oxon authorities on "
        "procurement through joint procurement meeting."
    ),
    "deliverables": "None",
    "financial": (
        "The authorities have agreed to resource internally the data collection and updating work. Part of this will "
        "involve spend analysis work with an external company which will be partly funded by SECE. The project will "
        "at this stage need to retain a contingency to buy in if required some specialist external advice, but "
        "initial allocation can be reduced from £50k to £30k."
    ),
    "member_involvement": (
        "7.1 Progress reports will be made to the JIB, and Member involvement will be addressed as part of the "
        "project's communications plan"
    ),
    "related_projects": (
        "8.1 Procurement in Bucks can benefit from contracts with other authorities in the region, and the developing "
        "links with Oxon authorities is a step in this direction. The SECE also is a source of advice and access to "
        "joint working with other authorities. The SECE is currently sponsoring work on sustainable procurement that "
        "the Bucks authorities are jointly participating in.\n"
        "8.2 Alongside of the work of the Procurement Project there is a major joint procurement exercise in progress "
        'being led by BCC for the provision of services under the broad banner of "built environment" which will '
        "bring significant savings for BCC and may offer benefits to district councils.\n"
        "8.3 The other Pathfinder work steams may give rise to procurement issues and therefore their views will be "
        "sought on what support they may require or find useful."
    ),
    "communications": (
        "Communications issues out side of overall Pathfinder activities will be addressed at later stage in the "
        "project."
    ),
    "risks_commentary": "The Procurement Project Risk Register follows; risks are scored Likelihood x Impact (LxI).",
}


def _seed_risk_rows():
    return [
        {
            "id": None,
            "reference": ref,
            "event": event,
            "likelihood": lk,
            "impact": im,
            "score": lk * im,
            "action": action,
            "owner": "Jim Burness",
            "status": "open",
            "closed": False,
        }
        for ref, event, lk, im, action in SEED_RISKS
    ]


def _issuer(project):
    """The demo's project manager (user `manager`, Jim Burness) issues its reports."""
    memberships = project.memberships.select_related("user")
    membership = memberships.filter(role="manager").first() or memberships.filter(role="buyer").first()
    return membership.user if membership else get_user_model().objects.filter(is_superuser=True).first()


def _issue(report, by, *, seed_risks=False):
    """Issue on the report's date, with the demo's data; without the risks area, freeze seed
    004's register."""
    at = timezone.make_aware(datetime.combine(report.report_date, time(10, 0)))
    frozen = None
    if seed_risks:
        frozen = services.live_snapshot(report)
        if not frozen["risks"]:
            frozen["risks"] = services.snap.sort_risks(_seed_risk_rows())
            frozen["suggested"] = services.assessment.suggestions(frozen)
            # Its risk RAG is the one seed 004's register suggests, like any report's.
            report.rag_risk = frozen["suggested"]["rag_risk"]["rag"] or report.rag_risk
            report.save()
            frozen["rag"] = services.report_rags(report)
    rendering.report_issue(report=report, by=by, at=at, snapshot=frozen)


@demo_loaders.register("reports", order=50)
def load(project, *, large: bool):
    by = _issuer(project)
    if not large:
        report = services.report_create(
            project=project,
            period_start=date(2007, 11, 1),
            period_end=date(2007, 11, 30),
            report_date=date(2007, 12, 5),
        )
        for field, value in BUCKS_TEXT.items():
            setattr(report, field, value)
        report.overall_rag = "amber"
        report.rag_cost = "amber"
        # Seed 004 reports cost amber: the allocation was cut, which the figures alone call green.
        report.rag_cost_reason = "The allocation was reduced from £50k to £30k, so less can be delivered."
        report.save()
        _issue(report, by, seed_risks=True)
        return
    # Twelve 30-day periods, each reported 3 days after it ends, the last by today: a demo
    # report is never dated in the future (nor a period issued before it has begun).
    latest_start = timezone.localdate() - timedelta(days=30 * 11 + 32)
    start = min(project.start_date or latest_start, latest_start)
    for n in range(12):
        period_start = start + timedelta(days=30 * n)
        report = services.report_create(
            project=project,
            period_start=period_start,
            period_end=period_start + timedelta(days=29),
            report_date=period_start + timedelta(days=32),
        )
        report.recommendation = f"To note progress in period {n + 1}."
        report.progress = "\n".join(f"- Highlight {i + 1} of period {n + 1}." for i in range(5))
        report.rag_time = ["green", "amber", "red"][n % 3]
        if report.rag_time != services.live_snapshot(report)["suggested"]["rag_time"]["rag"]:
            report.rag_time_reason = f"The manager's judgement for period {n + 1}."
        report.save()
        _issue(report, by)
