"""The one-page project brief: the data is built once and shared by the page and the PDF."""

from projects.models import Stakeholder
from raci.rules import load as load_matrix
from raci.summary import by_person

from . import coverage
from .models import Session

# One A4 page holds this much (measured with every field at its limit): longer texts are
# cut, with a note that the sessions hold them in full.
TEXT_LIMIT = 350
LINE_LIMIT = 5
PEOPLE_LIMIT = 4
APPROVER_LIMIT = 3
NAME_LIMIT = 45
CRITERIA_LIMIT = 100
DUTIES_LIMIT = 110
ACTIVITY_LIMIT = 35


def _cut(text, limit=TEXT_LIMIT):
    """(text, shortened): at most `limit` characters and LINE_LIMIT lines."""
    original = (text or "").strip()
    lines = [line.strip() for line in original.splitlines() if line.strip()]
    text = (
        "\n".join(lines[: LINE_LIMIT - 1] + [" ".join(lines[LINE_LIMIT - 1 :])])
        if len(lines) > LINE_LIMIT
        else "\n".join(lines)
    )
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text, text != "\n".join(lines) or len(lines) > LINE_LIMIT


class _Person:
    """A stakeholder as the brief shows them: short enough for one line or two."""

    def __init__(self, stakeholder, with_organisation=True, duties=""):
        def short(text):
            return _cut(" ".join(text.split()), NAME_LIMIT)[0]

        line = short(stakeholder.name)
        # Compact lines (the approvers' table column) add the role only when it fits.
        if stakeholder.role_title and (with_organisation or len(line) + len(stakeholder.role_title) <= NAME_LIMIT + 25):
            line += f", {short(stakeholder.role_title)}"
        # The organisation only when the line stays short: one page has room for little.
        if (
            with_organisation
            and stakeholder.organisation
            and len(line) + len(stakeholder.organisation) <= 2 * NAME_LIMIT
        ):
            line += f" ({stakeholder.organisation.strip()})"
        self.line = line
        self.approval_criteria = _cut(" ".join(stakeholder.approval_criteria.split()), CRITERIA_LIMIT)[0]
        # What the RACI matrix gives them to do, so the pair can explain the team's roles.
        self.duties = duties


def _words(text, limit):
    """At most `limit` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _duties(entry) -> str:
    """A person's RACI letters in brief ("accountable for Contract award and 2 more; consulted
    on ..."), whole parts only, as many as fit DUTIES_LIMIT: the RACI page has the rest."""
    parts = []
    for word, activities in (
        ("accountable for", entry.accountable),
        ("responsible for", entry.responsible),
        ("consulted on", entry.consulted),
        ("informed of", entry.informed),
    ):
        if activities:
            more = f" and {len(activities) - 1} more" if len(activities) > 1 else ""
            part = f"{word} {_words(activities[0].name, ACTIVITY_LIMIT)}{more}"
            if parts and len("; ".join(parts + [part])) > DUTIES_LIMIT:
                break
            parts.append(part)
    return "; ".join(parts)


def _group(people, kinds, limit=PEOPLE_LIMIT, with_organisation=True, duties=None):
    chosen = [p for p in people if p.kind in kinds]
    duties = duties or {}
    return [_Person(p, with_organisation, duties.get(p.pk, "")) for p in chosen[:limit]], max(len(chosen) - limit, 0)


def _missing_words(found, limit=3) -> str:
    """ "desired outcome, needs and 4 more": short enough for the brief's footer."""
    names = [m.label[0].lower() + m.label[1:] for m in found]
    more = len(names) - limit
    if more > 0:
        return ", ".join(names[:limit]) + f" and {more} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def brief_context(project) -> dict:
    Kind = Stakeholder.Kind
    first = Session.objects.filter(project=project, number=1).first()
    matrix = load_matrix(project)
    people = matrix.stakeholders
    duties = {entry.stakeholder.pk: _duties(entry) for entry in by_person(project, matrix=matrix)}
    problem, problem_cut = _cut(project.problem_or_opportunity)
    opportunity, opportunity_cut = _cut(first.opportunity if first else "", 280)
    outcome, outcome_cut = _cut(project.desired_outcome)
    objective, objective_cut = _cut(project.business_objective, 280)
    core, core_more = _group(people, {Kind.SPONSOR, Kind.BUYER, Kind.PROCUREMENT, Kind.CORE_TEAM}, duties=duties)
    smes, smes_more = _group(people, {Kind.SME}, duties=duties)
    approvers, approvers_more = _group(people, {Kind.APPROVER, Kind.GOVERNANCE}, APPROVER_LIMIT, False)
    signoffs = list(first.signoffs.select_related("user")) if first else []
    # The brief says "agreed" only of a session that covers what it must (alignment/coverage.py):
    # never "Session 1 agreed by..." above "Not written yet".
    first_missing = coverage.missing(first) if first else []
    return {
        "project": project,
        "session1": first,
        "signoffs": signoffs,
        "session1_agreed": bool(first and first.status == Session.Status.AGREED and not first_missing),
        "session1_missing": _missing_words(first_missing),
        "problem": problem,
        "opportunity": opportunity,
        "outcome": outcome,
        "objective": objective,
        "shortened": any([problem_cut, opportunity_cut, outcome_cut, objective_cut]),
        "core": core,
        "core_more": core_more,
        "smes": smes,
        "smes_more": smes_more,
        "approvers": approvers,
        "approvers_more": approvers_more,
    }
