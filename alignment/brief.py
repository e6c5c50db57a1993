"""The project brief: the data is built once and shared by the page and the PDF.

The brief flows onto a second page rather than cut a sentence. Only long texts are shortened,
at a word, and the brief lists each one it shortened and where the full text is."""

from typing import NamedTuple

from django.conf import settings

from projects.models import Stakeholder
from raci.rules import load as load_matrix
from raci.summary import by_person

from . import coverage, guidance
from .models import Session

# About a quarter of a page each: a brief stays brief, and a director sees where the rest is.
TEXT_LIMIT = 1200
LINE_LIMIT = 12
RISK_TEXT_LIMIT = 300
PEOPLE_LIMIT = 4
APPROVER_LIMIT = 5
NAME_LIMIT = 45
DUTIES_LIMIT = 110
ACTIVITY_LIMIT = 35
ACCOUNTABLE_ACTIVITY_LIMIT = 60
ACCOUNTABLE_LIMIT = 5
TOP_RISKS = 3


class Shortened(NamedTuple):
    """One text the brief shows in part: what, how much of it, and where it is in full."""

    what: str
    shown: int
    total: int
    where: str

    def __str__(self):
        return f"{self.what}: the first {self.shown:,} of {self.total:,} characters; {self.where} has it in full."


def _cut(text, limit=TEXT_LIMIT):
    """(text, shortened): at most `limit` characters and LINE_LIMIT lines, cut at a word
    (mid-token only for a token longer than a fifth of the limit, which cannot wrap otherwise)."""
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    whole = "\n".join(lines)
    if len(lines) > LINE_LIMIT:
        lines = lines[: LINE_LIMIT - 1] + [" ".join(lines[LINE_LIMIT - 1 :])]
    text = "\n".join(lines)
    if len(text) > limit:
        head = text[: limit - 1]
        space = max(head.rfind(" "), head.rfind("\n"))
        if space > limit * 0.8:
            head = head[:space]
        text = head.rstrip(" \n,;:") + "…"
    return text, len(text) < len(whole)


class _Person:
    """A stakeholder as the brief shows them: short enough for one line or two."""

    def __init__(self, stakeholder, with_organisation=True, duties=""):
        def short(text):
            return _cut(" ".join(text.split()), NAME_LIMIT)[0]

        line = short(stakeholder.name)
        # Compact lines (the approvers' table column) add the role only when it fits.
        if stakeholder.role_title and (with_organisation or len(line) + len(stakeholder.role_title) <= NAME_LIMIT + 25):
            line += f", {short(stakeholder.role_title)}"
        organisation = " ".join(stakeholder.organisation.split())
        if with_organisation and organisation and len(line) + len(organisation) <= 2 * NAME_LIMIT:
            # "Kim Lee, Director (buyer); DCS Customer Delivery" reads better than "(buyer) (DCS ...)".
            line += f"; {organisation}" if line.endswith(")") else f" ({organisation})"
        self.line = line
        self.approval_criteria = " ".join(stakeholder.approval_criteria.split())  # in full: they decide on it
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


def _accountable(summaries) -> tuple[list[str], int]:
    """(["Ann Archer for Contract award and Evaluation", ...], how many more people): who
    holds the A's of the RACI matrix."""
    lines = []
    holders = [entry for entry in summaries if entry.accountable]
    for entry in holders[:ACCOUNTABLE_LIMIT]:
        names = [_words(a.name, ACCOUNTABLE_ACTIVITY_LIMIT) for a in entry.accountable]
        what = names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2 else ""
        if len(names) > 2:
            what = f"{names[0]}, {names[1]} and {len(names) - 2} more"
        lines.append(f"{_words(entry.stakeholder.name, NAME_LIMIT)} for {what}")
    return lines, max(len(holders) - ACCOUNTABLE_LIMIT, 0)


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


class _Risk(NamedTuple):
    reference: str
    event: str
    score: int
    band: str
    owner: str
    action: str


def _top_risks(project, text) -> list[_Risk]:
    """The three open risks with the highest scores, their long texts shortened by `text`."""
    result = []
    for risk in project.risks.open().by_score().select_related("owner")[:TOP_RISKS]:
        where = "the risk register"
        event = text(risk.event, f"{risk.reference}'s event", where, RISK_TEXT_LIMIT)
        action = text(risk.mitigating_action, f"{risk.reference}'s action", where, RISK_TEXT_LIMIT)
        owner = _words(risk.owner.name, NAME_LIMIT) if risk.owner else ""
        result.append(_Risk(risk.reference, event, risk.score, risk.band_label, owner, action))
    return result


def brief_context(project) -> dict:
    Kind = Stakeholder.Kind
    sessions = {s.number: s for s in Session.objects.filter(project=project, number__in=[1, 3])}
    first, third = sessions.get(1), sessions.get(3)
    matrix = load_matrix(project)
    people = matrix.stakeholders
    summaries = by_person(project, matrix=matrix)
    duties = {entry.stakeholder.pk: _duties(entry) for entry in summaries}

    shortened = []

    def text(value, what, where, limit=TEXT_LIMIT):
        shown, cut = _cut(value, limit)
        if cut:
            shortened.append(Shortened(what, len(shown.rstrip("…")), len((value or "").strip()), where))
        return shown

    in_session_1 = "session 1 (and the project's details)"
    problem = text(project.problem_or_opportunity, "The problem", in_session_1)
    opportunity = text(first.opportunity if first else "", "The opportunity", "session 1")
    outcome = text(project.desired_outcome, "The desired outcome", in_session_1)
    objective = text(project.business_objective, "The buying objectives", in_session_1)
    constraints = text(first.concerns if first else "", "The concerns and constraints", "session 1")
    top_risks = _top_risks(project, text)
    core, core_more = _group(people, {Kind.SPONSOR, Kind.BUYER, Kind.PROCUREMENT, Kind.CORE_TEAM}, duties=duties)
    smes, smes_more = _group(people, {Kind.SME}, duties=duties)
    approvers, approvers_more = _group(people, {Kind.APPROVER, Kind.GOVERNANCE}, APPROVER_LIMIT, False)
    accountable, accountable_more = _accountable(summaries)
    # Names and activities in the lists are cut at a word to keep each person to a line or two.
    lines = [p.line for p in core + smes + approvers] + [p.duties for p in core + smes] + accountable
    names_cut = any("…" in line for line in lines)
    signoffs = list(first.signoffs.select_related("user")) if first else []
    # The brief says "agreed" only of a session that covers what it must (alignment/coverage.py):
    # never "Session 1 agreed by..." above "Not written yet".
    first_missing = coverage.missing(first) if first else []
    # The page header names the project in a line: the title under it has the name in full.
    header = " · ".join(filter(None, [_words(project.name, 60), project.reference, "project brief"]))
    return {
        "project": project,
        "header": header,
        "marking": settings.PROTECTIVE_MARKING,
        "session1": first,
        "signoffs": signoffs,
        "session1_agreed": bool(first and first.status == Session.Status.AGREED and not first_missing),
        "session1_missing": _missing_words(first_missing),
        "problem": problem,
        "opportunity": opportunity,
        "outcome": outcome,
        "objective": objective,
        "constraints": constraints,
        "next_milestone": project.milestones.upcoming().first(),
        "top_risks": top_risks,
        "support": guidance.level(guidance.SUPPORT_LEVELS, third.support_level) if third else None,
        "support_session": third,
        "accountable": accountable,
        "accountable_more": accountable_more,
        "shortened": shortened,
        "names_cut": names_cut,
        "core": core,
        "core_more": core_more,
        "smes": smes,
        "smes_more": smes_more,
        "approvers": approvers,
        "approvers_more": approvers_more,
    }
