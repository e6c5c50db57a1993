"""The portfolio view of many projects at once, in a fixed number of queries.

`portfolio(queryset)` annotates every column the advisory team's project list, filters and
exports need (readiness items, sessions agreed, high risks, overdue reviews, next milestone,
last issued report, consistency checks) as SQL subqueries, so 10 or 10,000 projects cost the
same number of queries. The advisory app is the top layer: it imports every area's models
directly, and a broken area breaks the admin loudly.
"""

from datetime import date

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from alignment.models import Assumption, Evidence, Session
from projects.models import Project, Stakeholder
from projects.plan.models import CommunicationItem, Milestone
from projects.reports.models import HighlightReport
from raci.models import Activity, Assignment
from risks.models import Risk

from .models import ReviewEntry

# A risk with no RiskSettings row uses the documented 4x4 defaults: high starts above 6.
DEFAULT_MEDIUM_MAX = 6


def _of_project(queryset, field="project"):
    return queryset.filter(**{field: OuterRef("pk")})


def _count(queryset, field="project"):
    """A correlated COUNT(*) subquery; 0 when there are no rows."""
    counted = _of_project(queryset, field).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _bool(q):
    return ExpressionWrapper(q, output_field=BooleanField())


# Risks ---------------------------------------------------------------------------------


def high_risks():
    """Open risks scoring high or very high on the project's own band thresholds."""
    return Risk.objects.exclude(status="closed").filter(
        score__gt=Coalesce(F("project__risk_settings__medium_max"), Value(DEFAULT_MEDIUM_MAX))
    )


def overdue_risk_reviews(today):
    return Risk.objects.exclude(status="closed").filter(next_review_date__lt=today)


# RACI ----------------------------------------------------------------------------------


def raci_rule_breakers():
    """Activities without exactly one A or without an R (the errors of raci.rules)."""
    return Activity.objects.annotate(
        accountable=Count("assignments", filter=Q(assignments__letters__contains="A")),
        responsible=Count("assignments", filter=Q(assignments__letters__contains="R")),
    ).filter(~Q(accountable=1) | Q(responsible=0))


# Milestones ----------------------------------------------------------------------------


def milestones_outside_dates():
    """Milestones of the project itself that start before it or end after it."""
    return Milestone.objects.filter(within_project=True).filter(
        Q(project__start_date__isnull=False, baseline_start__lt=F("project__start_date"))
        | Q(project__start_date__isnull=False, baseline_end__lt=F("project__start_date"))
        | Q(project__end_date__isnull=False, baseline_end__gt=F("project__end_date"))
        | Q(project__end_date__isnull=False, baseline_start__gt=F("project__end_date"))
    )


def upcoming_milestones():
    """The project's own milestones not yet met, soonest first."""
    return Milestone.objects.upcoming()


def slipping_open_milestones():
    """Every milestone not yet met whose forecast (or actual) end lies past its baseline, with
    its slip as a duration: a project is as late as its worst one, not its next one."""
    return Milestone.objects.slipping_open().annotate(
        slip=ExpressionWrapper(Coalesce("actual_end", "forecast_end") - F("baseline_end"), DurationField())
    )


# Sessions ------------------------------------------------------------------------------

# What each session agrees on, beyond its own fields: a change to any of these after the
# session was agreed means the agreement may no longer hold. (model, path to project)
SESSION_CONTENT = {
    1: [(Evidence, "project_id")],
    2: [(Milestone, "project_id"), (Risk, "project_id"), (Assumption, "project_id")],
    3: [(Activity, "project_id"), (Assignment, "activity__project_id")],
}
# Session 1 also agrees on these Project fields; other project edits (RAG, budget) do not count.
SESSION_1_PROJECT_FIELDS = ["business_objective", "desired_outcome", "problem_or_opportunity"]


def agreed_sessions():
    return Session.objects.filter(status="agreed")


def sessions_changed_since_agreed():
    """Agreed sessions whose own content, or the records they agreed on, changed since."""
    changed = Q(changed_at__isnull=False, agreed_at__isnull=False, changed_at__gt=F("agreed_at"))
    for number, sources in SESSION_CONTENT.items():
        for source, key in sources:
            later = source.history.model.objects.filter(
                **{key: OuterRef("project_id"), "history_date__gt": OuterRef("agreed_at")}
            )
            changed |= Q(Exists(later), number=number)
    # Session 1: the project's fields as they stood when it was agreed, against now.
    as_agreed = Project.history.model.objects.filter(
        id=OuterRef("project_id"), history_date__lte=OuterRef("agreed_at")
    ).order_by("-history_date", "-history_id")
    for name in SESSION_1_PROJECT_FIELDS:
        changed |= Q(number=1) & ~Q(**{f"agreed_{name}": F(f"project__{name}")})
    annotations = {f"agreed_{name}": Subquery(as_agreed.values(name)[:1]) for name in SESSION_1_PROJECT_FIELDS}
    return Session.objects.filter(status="agreed", agreed_at__isnull=False).alias(**annotations).filter(changed)


# Readiness -----------------------------------------------------------------------------


def _filled(field):
    return ~Q(**{f"{field}_trimmed": ""})


TEAM_KINDS = [Stakeholder.Kind.CORE_TEAM, Stakeholder.Kind.SME, Stakeholder.Kind.BUYER, Stakeholder.Kind.PROCUREMENT]


def readiness_conditions():
    """{item key: Q} for the five readiness items of seed 000's success criteria.

    The same rules as `alignment.readiness.readiness(project)`, written as SQL so the admin
    can show and filter them for many projects in one query; tests/advisory check they agree.
    Needs the `*_trimmed` annotations that `with_trimmed` adds.
    """
    stakeholders = Stakeholder.objects.all()
    approvers = stakeholders.filter(kind=Stakeholder.Kind.APPROVER)
    conditions = {
        "stakeholders": Q(Exists(_of_project(stakeholders)))
        & ~Q(Exists(_of_project(stakeholders.filter(role_title=""))))
        & Q(Exists(_of_project(approvers.exclude(approval_criteria="")))),
        "objective": _filled("business_objective"),
        "plan": Q(Exists(_of_project(Milestone.objects.all())))
        & Q(Exists(_of_project(CommunicationItem.objects.all()))),
    }
    conditions["raci"] = Q(Exists(_of_project(Activity.objects.all()))) & ~Q(Exists(_of_project(raci_rule_breakers())))
    brief = (
        _filled("problem_or_opportunity")
        & _filled("desired_outcome")
        & Q(Exists(_of_project(stakeholders.filter(kind__in=TEAM_KINDS))))
        & Q(Exists(_of_project(approvers)))
    )
    brief &= Q(Exists(_of_project(Session.objects.filter(number=1, status="agreed"))))
    conditions["brief"] = brief
    return {key: conditions[key] for key, *_ in READINESS_ITEMS}


def with_trimmed(queryset):
    """Free text counts as written only when it is more than white space."""
    return queryset.alias(**{f"{name}_trimmed": Trim(name) for name in TRIMMED})


TRIMMED = ["business_objective", "desired_outcome", "problem_or_opportunity"]


READINESS_ITEMS = [
    # key, short label for the list (alignment.readiness words each item in full)
    ("stakeholders", "Stakeholders and their roles identified"),
    ("raci", "RACI identified"),
    ("objective", "Buying objective documented"),
    ("plan", "Draft work plan and communication plan"),
    ("brief", "Problem, outcomes and team explained (session 1 agreed)"),
]


def readiness_complete_q():
    """A Q selecting projects whose every readiness item is done."""
    q = Q()
    for condition in readiness_conditions().values():
        q &= condition
    return q


# Consistency checks --------------------------------------------------------------------

CHECKS = [
    # key, label shown to the advisory team
    ("check_basics", "Projects without a sponsor, a project manager, an objective or any risks"),
    ("check_risks", "High or very high risks with no action or owner"),
    ("check_raci", "RACI activities breaking the rules"),
    ("check_milestones", "Milestones outside the project's dates"),
    ("check_sessions", "Sessions agreed but content changed since"),
]


def _blank(field):
    return Q(**{f"{field}_trimmed": ""})


def projects_missing_basics():
    """Projects without the basics of a board's view: a sponsor, a project manager, a business
    objective and at least one risk. An empty project is a problem, not "no problems"."""
    trimmed = {f"{name}_trimmed": Trim(name) for name in ("sponsor", "project_manager", "business_objective")}
    return (
        Project.objects.alias(**trimmed)
        .annotate(has_risks=Exists(Risk.objects.filter(project=OuterRef("pk"))))
        .filter(_blank("sponsor") | _blank("project_manager") | _blank("business_objective") | Q(has_risks=False))
    )


# The field of each check's records that names their project (the project itself for basics).
CHECK_PROJECT_FIELD = {"check_basics": "pk"}


def unmanaged_high_risks():
    return high_risks().filter(Q(mitigating_action="") | Q(owner__isnull=True))


def check_querysets():
    """{check key: queryset of offending records}."""
    return {
        "check_basics": projects_missing_basics(),
        "check_risks": unmanaged_high_risks(),
        "check_raci": raci_rule_breakers(),
        "check_milestones": milestones_outside_dates(),
        "check_sessions": sessions_changed_since_agreed(),
    }


def check_conditions():
    return {
        key: Q(Exists(_of_project(qs, CHECK_PROJECT_FIELD.get(key, "project"))))
        for key, qs in check_querysets().items()
    }


# All together ----------------------------------------------------------------------------


def portfolio(queryset, today: date | None = None):
    """`queryset` of projects with every column of the advisory team's list annotated."""
    today = today or timezone.localdate()
    annotations = {f"ready_{key}": _bool(q) for key, q in readiness_conditions().items()}
    annotations.update({key: _bool(q) for key, q in check_conditions().items()})

    annotations["sessions_agreed"] = _count(agreed_sessions())
    annotations["high_risk_count"] = _count(high_risks())
    annotations["has_overdue_reviews"] = Exists(_of_project(overdue_risk_reviews(today)))
    annotations["overdue_review_count"] = _count(overdue_risk_reviews(today))

    upcoming = _of_project(upcoming_milestones())
    annotations["next_milestone_name"] = Subquery(upcoming.values("name")[:1])
    annotations["next_milestone_baseline"] = Subquery(upcoming.values("baseline_end")[:1], output_field=DateField())
    annotations["next_milestone_expected"] = Subquery(
        upcoming.annotate(expected=Coalesce("actual_end", "forecast_end")).values("expected")[:1],
        output_field=DateField(),
    )
    annotations["slipping_count"] = _count(slipping_open_milestones())
    annotations["worst_slip"] = Subquery(
        _of_project(slipping_open_milestones()).order_by("-slip").values("slip")[:1], output_field=DurationField()
    )
    issued = _of_project(HighlightReport.objects.latest_issued())
    annotations["last_report_at"] = Subquery(issued.values("issued_at")[:1], output_field=DateTimeField())
    annotations["review_state"] = Coalesce(F("review__status"), Value("not_reviewed"))
    log = _of_project(ReviewEntry.objects.order_by("-reviewed_on", "-id"))
    annotations["last_review_on"] = Subquery(log.values("reviewed_on")[:1], output_field=DateField())
    annotations["next_follow_up"] = Subquery(log.values("follow_up_on")[:1], output_field=DateField())
    return with_trimmed(queryset).select_related("review", "review__reviewed_by").annotate(**annotations)


# Admin's search_fields prefixes, as ModelAdmin.get_search_results reads them.
SEARCH_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def search(queryset, search_fields, search_term):
    """Projects matching every word of `search_term` in one of `search_fields` (admin's
    syntax). Fields across a many-valued relation are EXISTS subqueries on the plain project
    table, so the result never has duplicates to remove with DISTINCT."""
    lookups = []
    for field in search_fields:
        lookup = SEARCH_LOOKUPS.get(field[0])
        path = field[1:] if lookup else field
        lookups.append((f"{path}__{lookup or 'icontains'}", lookup_spawns_duplicates(Project._meta, path)))
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        term = Q()
        for lookup, many in lookups:
            if many:
                term |= Exists(Project.objects.filter(pk=OuterRef("pk"), **{lookup: bit}))
            else:
                term |= Q(**{lookup: bit})
        queryset = queryset.filter(term)
    return queryset


def readiness_items(project):
    """[(label, done)] from a project annotated by `portfolio`."""
    return [(label, bool(getattr(project, f"ready_{key}"))) for key, label in READINESS_ITEMS]


def worst_slip_days(project) -> int:
    """Days the latest open milestone lies past its baseline (0: none slipping)."""
    return project.worst_slip.days if project.worst_slip else 0


def next_milestone_slip(project) -> int | None:
    """Days the next milestone's expected end lies past its baseline (Milestone.slip_days)."""
    if project.next_milestone_name is None:
        return None
    return Milestone(
        baseline_end=project.next_milestone_baseline, forecast_end=project.next_milestone_expected
    ).slip_days
