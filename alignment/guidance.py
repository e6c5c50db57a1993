"""What the three alignment-session templates ask, drawn from seed 000 (NSW innovation
procurement guidance, milestone "define the buying project outcome").

The seed gives each template's purpose, estimated duration and the topics the buyer and the
procurement officer align on; the prompts beside each field are fuller questions written in
its spirit so the pair can run the session from the page alone.
"""

from dataclasses import dataclass, field

MILESTONE = "Define the buying project outcome"
MILESTONE_PURPOSE = (
    "Before a buying team can start work, they should agree on what they are working towards. "
    "The buyer and the procurement officer ask the right questions, get clear, and share a common "
    "understanding of the business objective and outcome, the problem to solve, and the kind of "
    "people the buying project will need to involve."
)
DURATION_NOTE = "Varies with project complexity; delays due to people's availability may need to be factored in."


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    explanation: str


MATURITY = [
    Level(
        "new",
        "New",
        "The organisation has not bought an innovative solution before; the team knows standard procurement only.",
    ),
    Level(
        "emerging",
        "Emerging",
        "Some exposure, such as a market sounding, an unsolicited proposal or a small pilot, but no full innovation procurement yet.",
    ),
    Level(
        "developing",
        "Developing",
        "At least one innovation procurement completed; the lessons are known but the way of working is not yet repeatable.",
    ),
    Level(
        "established",
        "Established",
        "Innovation procurement is repeatable: experienced people, templates, and approvers used to uncertain outcomes.",
    ),
]

RISK_APPETITE = [
    Level(
        "averse", "Averse", "Prefers proven, off-the-shelf solutions and will not accept uncertainty about the outcome."
    ),
    Level(
        "cautious",
        "Cautious",
        "Accepts small, contained risks, such as a limited pilot with a clear exit, when the outcome is well defined.",
    ),
    Level(
        "open",
        "Open",
        "Will trial new approaches and new suppliers when the expected benefit justifies it, with checkpoints to stop.",
    ),
    Level(
        "eager",
        "Eager",
        "Actively seeks novel solutions and accepts that some will fail, for the chance of a much better outcome.",
    ),
]

SUPPORT_LEVELS = [
    Level(
        "self_guided",
        "Self-guided",
        "The team uses the published guidance and templates; the innovation procurement advisory team answers questions when asked.",
    ),
    Level(
        "advised",
        "Advised",
        "The advisory team checks in at key milestones and reviews the work plan, RACI and risk register.",
    ),
    Level(
        "guided",
        "Guided",
        "The advisory team tailors the workshop templates to the project and joins the key sessions and market engagement.",
    ),
    Level(
        "partnered",
        "Partnered",
        "The advisory team works alongside the buying team throughout mobilisation and the procurement itself.",
    ),
]


def choices(levels):
    return [(level.code, level.label) for level in levels]


def level(levels, code):
    return next((item for item in levels if item.code == code), None)


def recommended_support(maturity: str, risk_appetite: str) -> str | None:
    """The support level the advisory team suggests: less maturity and more appetite for risk
    both call for more support. None until both are known."""
    m = next((i for i, item in enumerate(MATURITY) if item.code == maturity), None)
    r = next((i for i, item in enumerate(RISK_APPETITE) if item.code == risk_appetite), None)
    if m is None or r is None:
        return None
    need = (len(MATURITY) - 1 - m) + r  # 0 (established, averse) .. 6 (new, eager)
    if need <= 1:
        return "self_guided"
    if need <= 3:
        return "advised"
    if need == 4:
        return "guided"
    return "partnered"


@dataclass(frozen=True)
class Field:
    """One autosaved field of a session page. `on` says where the value lives: the project
    (the one copy of objective, outcome and problem) or the session row."""

    name: str
    label: str
    prompts: tuple
    on: str = "session"
    kind: str = "text"  # text | choice
    rows: int = 4
    levels: tuple = ()


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple = ()
    prompts: tuple = ()
    embed: str = ""  # milestones | risks | raci | evidence | assumptions | support

    @property
    def key(self):
        """The topic's name in records (TopicAgreement.topic): what it embeds, or its first field."""
        return self.embed or self.fields[0].name

    @property
    def anchor(self):
        return f"topic-{self.key}"


@dataclass(frozen=True)
class Template:
    number: int
    title: str
    duration: str
    aligns_on: tuple
    sections: tuple = field(default_factory=tuple)

    @property
    def fields(self):
        return [f for section in self.sections for f in section.fields]

    def topic(self, key):
        return next(section for section in self.sections if section.key == key)

    def topic_of_field(self, name):
        """The topic (section) a field belongs to; the session's own meta fields have none."""
        return next((s for s in self.sections if any(f.name == name for f in s.fields)), None)

    def topic_of_embed(self, embed):
        return next(s for s in self.sections if s.embed == embed)


SESSION_1 = Template(
    1,
    "Buying objectives, current situation and problem",
    "30 minutes to 1 hour",
    (
        "buyer's desired outcome",
        "buying objectives",
        "strategic drivers",
        "situation, needs, problem, opportunity and evidence",
        "progress to date",
        "concerns or constraints",
        "innovation buying prior experience, maturity and risk appetite",
    ),
    (
        Section(
            "Buyer's desired outcome",
            (
                Field(
                    "desired_outcome",
                    "Desired outcome",
                    (
                        "What will be different for the business, its customers or staff when this buying project succeeds?",
                        "How will you know it has worked? What would you measure?",
                        "Who benefits, and by when do they need the benefit?",
                    ),
                    on="project",
                ),
            ),
        ),
        Section(
            "Buying objectives",
            (
                Field(
                    "business_objective",
                    "Buying objectives",
                    (
                        "What is the business objective behind this purchase?",
                        "What must the buying achieve: value for money, a new capability, a service continued, a saving?",
                        "If objectives pull against each other, which matters most?",
                    ),
                    on="project",
                ),
            ),
        ),
        Section(
            "Strategic drivers",
            (
                Field(
                    "strategic_drivers",
                    "Strategic drivers",
                    (
                        "Which strategy, policy, commitment or mandate does this support?",
                        "Is there a deadline, funding window or board commitment driving it?",
                    ),
                ),
            ),
        ),
        Section(
            "Situation, needs, problem, opportunity and evidence",
            (
                Field(
                    "situation",
                    "Current situation",
                    (
                        "What is happening today? Who is affected, and how?",
                        "What has been tried before, and what happened?",
                    ),
                ),
                Field(
                    "needs",
                    "Needs",
                    (
                        "What do users, customers or staff need that they are not getting?",
                        "Which needs are must-haves and which are nice to have?",
                    ),
                ),
                Field(
                    "problem_or_opportunity",
                    "Problem",
                    (
                        "What problem is the buyer trying to solve, in a sentence or two? Describe the problem, not a solution.",
                        "This is the project's problem statement: it appears on the dashboard and the brief.",
                    ),
                    on="project",
                ),
                Field(
                    "opportunity",
                    "Opportunity",
                    (
                        "Is there an opportunity to do something better, new or cheaper?",
                        "What would be lost by not acting now?",
                    ),
                ),
            ),
            prompts=(
                "What evidence shows the problem or opportunity is real: data, complaints, audits, reviews, research?",
                "Note where each piece comes from, so others can check it.",
            ),
            embed="evidence",
        ),
        Section(
            "Progress to date",
            (
                Field(
                    "progress_to_date",
                    "Progress to date",
                    (
                        "What has already been done: approvals, funding, market research, a business case?",
                        "Which decisions have already been made, and by whom?",
                    ),
                ),
            ),
        ),
        Section(
            "Concerns or constraints",
            (
                Field(
                    "concerns",
                    "Concerns or constraints",
                    (
                        "What worries the buyer or the procurement officer about this project?",
                        "Budget, timing, policy, legal, technical or capacity constraints? Anything non-negotiable?",
                    ),
                ),
            ),
        ),
        Section(
            "Innovation buying prior experience, maturity and risk appetite",
            (
                Field(
                    "prior_experience",
                    "Prior experience of innovation buying",
                    (
                        "Has the organisation bought something innovative before? What worked and what did not?",
                        "Who on the team has done this before?",
                    ),
                    rows=3,
                ),
                Field(
                    "maturity",
                    "Innovation buying maturity",
                    ("Choose the level that best describes the organisation today, not where it hopes to be.",),
                    kind="choice",
                    levels=tuple(MATURITY),
                ),
                Field(
                    "risk_appetite",
                    "Risk appetite",
                    ("How much uncertainty about the outcome will the business and its approvers accept?",),
                    kind="choice",
                    levels=tuple(RISK_APPETITE),
                ),
            ),
        ),
    ),
)

SESSION_2 = Template(
    2,
    "Timelines, milestones, risk mitigants and assumptions",
    "15 to 30 minutes",
    ("timelines and milestones", "risk mitigants, assumptions and questions"),
    (
        Section(
            "Timelines and milestones",
            prompts=(
                "What are the anticipated stages, activities and timelines? The procurement officer advises on them.",
                "Which milestones sit within the project, and which outside it does the project depend on?",
                "Who owns each milestone? Are there fixed dates: funding, financial year end, a contract expiring?",
            ),
            embed="milestones",
        ),
        Section(
            "Risk mitigants",
            prompts=(
                "What could stop the project achieving its outcome?",
                "How likely is each risk and how serious would it be? What will you do to mitigate it, and who owns it?",
            ),
            embed="risks",
        ),
        Section(
            "Assumptions and questions",
            prompts=(
                "What are you assuming that, if wrong, would change the plan?",
                "Which questions need an answer, from whom and by when?",
            ),
            embed="assumptions",
        ),
        Section(
            "Other agreements",
            (
                Field(
                    "notes",
                    "Notes and actions",
                    ("Anything else agreed on timelines, milestones or risks, and who will do what next.",),
                    rows=3,
                ),
            ),
        ),
    ),
)

SESSION_3 = Template(
    3,
    "Roles and responsibilities, and innovation procurement support needs",
    "15 to 30 minutes",
    ("RACI: roles, responsibilities, accountabilities, people", "required innovation procurement support levels"),
    (
        Section(
            "RACI: roles, responsibilities, accountabilities, people",
            prompts=(
                "For each activity: who is Responsible (does the work), who is Accountable (one person who signs it off), "
                "who is Consulted and who is Informed?",
                "Who are the subject-matter experts for the core buying team?",
                "Who approves, and what do they need to see to give their support?",
            ),
            embed="raci",
        ),
        Section(
            "Innovation procurement support level",
            prompts=(
                "How much help does the team need from the innovation procurement advisory team?",
                "The recommendation comes from the maturity and risk appetite agreed in session 1; accept it, or choose "
                "another level and say why.",
            ),
            embed="support",
        ),
        Section(
            "Other agreements",
            (
                Field(
                    "notes",
                    "Notes and actions",
                    ("Anything else agreed about roles, approvals or support, and who will do what next.",),
                    rows=3,
                ),
            ),
        ),
    ),
)

TEMPLATES = {1: SESSION_1, 2: SESSION_2, 3: SESSION_3}


def field_spec(number: int, name: str) -> Field | None:
    template = TEMPLATES.get(number)
    if template is None:
        return None
    return next((f for f in template.fields if f.name == name), None)
