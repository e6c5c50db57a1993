"""What a session must cover before it can be signed off: the one rule, used by the sign-off
panel (the list of links), the sign-off service (the refusal) and the brief.

- Session 1: every topic of alignment template 1 has content: each of its fields (the
  project's desired outcome, objectives and problem, and the session's own fields, with the
  maturity and the risk appetite chosen) and at least one piece of evidence.
- Session 2: at least one milestone, at least one risk with an action to
  mitigate it, and at least one assumption or question in the log. (The log has no
  "reviewed" flag: a log with nothing in it is the sign that it was not reviewed.)
- Session 3: a RACI matrix with at least one activity, each with exactly one person
  accountable and at least one responsible (raci.rules), and a support level chosen.

A topic the session's template does not show (hidden by the project's tailoring, or left out
of its template version) needs nothing; a topic added by tailoring has no field to fill.
"""

from dataclasses import dataclass

from projects.plan.models import Milestone
from raci import rules as raci_rules
from risks.models import Risk

from . import guidance
from .models import Assumption, Evidence


@dataclass(frozen=True)
class Missing:
    label: str  # what is missing, in words: "Desired outcome"
    anchor: str  # the id of its field on the session page: "field-desired_outcome"
    detail: str = ""  # what exactly is wrong, when the label alone does not say
    topic: str = ""  # the key of the topic (template section) it belongs to

    @property
    def href(self):
        return f"#{self.anchor}"


def _blank(value) -> bool:
    return not (value or "").strip()


def missing(session) -> list[Missing]:
    """What `session` must still cover before it can be signed off, in page order."""
    project = session.project
    shown = {section.key for section in session.template.sections}
    return [m for m in _missing(session, project) if m.topic in shown]


def _missing(session, project) -> list[Missing]:
    found = []
    if session.number == 1:
        for section in guidance.SESSION_1.sections:
            for spec in section.fields:
                target = project if spec.on == "project" else session
                if _blank(getattr(target, spec.name)):
                    found.append(Missing(spec.label, f"field-{spec.name}", topic=section.key))
            if section.embed == "evidence" and not Evidence.objects.filter(project=project).exists():
                found.append(Missing("At least one piece of evidence", "evidence", topic=section.key))
    elif session.number == 2:
        if not Milestone.objects.filter(project=project).exists():
            found.append(Missing("At least one milestone", "milestones", topic="milestones"))
        risks = Risk.objects.filter(project=project).exclude(mitigating_action="")
        if not risks.exists():
            found.append(Missing("At least one risk with an action to mitigate it", "risks", topic="risks"))
        if not Assumption.objects.filter(project=project).exists():
            found.append(Missing("At least one assumption or question", "assumptions", topic="assumptions"))
    elif session.number == 3:
        ready, sentence = raci_rules.readiness(project)
        if not ready:
            found.append(
                Missing(
                    "A RACI matrix with exactly one person accountable and at least one responsible for every activity",
                    "raci",
                    sentence,
                    topic="raci",
                )
            )
        if _blank(session.support_level):
            found.append(Missing("The innovation procurement support level", "support", topic="support"))
    return found


def refusal(session, found=None) -> str:
    """The plain sentence a refused sign-off shows."""
    found = missing(session) if found is None else found
    names = "; ".join(m.label + (f" ({m.detail.rstrip('.')})" if m.detail else "") for m in found)
    return f"Session {session.number} cannot be signed off yet. Still missing: {names}. Nothing was signed."
