"""The structure of the three alignment sessions (seed 000, milestone "define the buying
project outcome"): which fields each topic holds and which records it embeds, the answer
levels, and the support recommendation. This is code because it is bound to columns.

The words (titles, prompts, helper questions, durations, what a topic needs before sign-off)
are data: versioned workshop templates the advisory team edits (alignment/templates_data.py,
seeded from alignment/template_seed.py). `Session.template` joins the two: the session's
template version, with its project's tailoring, as the `Template` the pages, the coverage
rule, the topics and the minutes read.
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
    (the one copy of objective, outcome and problem) or the session row. Its prompts come
    from the session's template version."""

    name: str
    label: str
    prompts: tuple = ()
    on: str = "session"
    kind: str = "text"  # text | choice
    rows: int = 4
    levels: tuple = ()


@dataclass(frozen=True)
class Section:
    """A topic of a session: its fields and embedded records (structure), with the words of the
    template version it was read from and any tailoring of the project's."""

    title: str
    fields: tuple = ()
    prompts: tuple = ()  # the topic's prompt then its helper questions
    embed: str = ""  # milestones | risks | raci | evidence | assumptions | support
    topic_key: str = ""  # set for topics that have no field or embed (added ones)
    duration_minutes: int | None = None
    needs_before_signoff: str = ""
    tailoring: object = None  # the project's TemplateTailoring of this topic, if any

    @property
    def key(self):
        """The topic's name in records (TopicAgreement.topic): what it embeds, or its first field."""
        return self.topic_key or self.embed or self.fields[0].name

    @property
    def anchor(self):
        return f"topic-{self.key}"


@dataclass(frozen=True)
class Template:
    number: int
    title: str
    duration: str = ""
    aligns_on: tuple = ()
    sections: tuple = field(default_factory=tuple)
    version: object = None  # the TemplateVersion it was read from
    hidden: tuple = ()  # sections the project's tailoring hides

    @property
    def fields(self):
        return [f for section in self.sections for f in section.fields]

    @property
    def total_minutes(self):
        return sum(s.duration_minutes or 0 for s in self.sections)

    def topic(self, key):
        return next(section for section in self.sections if section.key == key)

    def topic_title(self, key):
        """The topic's title, or its key for a topic this template no longer has (an agreement
        recorded under an earlier version or before a topic was hidden)."""
        return next((s.title for s in self.sections + self.hidden if s.key == key), key)

    def topic_of_field(self, name):
        """The topic (section) a field belongs to; the session's own meta fields have none."""
        return next((s for s in self.sections if any(f.name == name for f in s.fields)), None)

    def topic_of_embed(self, embed):
        return next(s for s in self.sections if s.embed == embed)


# The structure: each session's built-in topics, in their first order. A template version names
# its topics by these keys (or by a key of its own, for a topic with no field or embed).
SESSION_1 = Template(
    1,
    "Buying objectives, current situation and problem",
    sections=(
        Section("Buyer's desired outcome", (Field("desired_outcome", "Desired outcome", on="project"),)),
        Section("Buying objectives", (Field("business_objective", "Buying objectives", on="project"),)),
        Section("Strategic drivers", (Field("strategic_drivers", "Strategic drivers"),)),
        Section(
            "Situation, needs, problem, opportunity and evidence",
            (
                Field("situation", "Current situation"),
                Field("needs", "Needs"),
                Field("problem_or_opportunity", "Problem", on="project"),
                Field("opportunity", "Opportunity"),
            ),
            embed="evidence",
        ),
        Section("Progress to date", (Field("progress_to_date", "Progress to date"),)),
        Section("Concerns or constraints", (Field("concerns", "Concerns or constraints"),)),
        Section(
            "Innovation buying prior experience, maturity and risk appetite",
            (
                Field("prior_experience", "Prior experience of innovation buying", rows=3),
                Field("maturity", "Innovation buying maturity", kind="choice", levels=tuple(MATURITY)),
                Field("risk_appetite", "Risk appetite", kind="choice", levels=tuple(RISK_APPETITE)),
            ),
        ),
    ),
)

SESSION_2 = Template(
    2,
    "Timelines, milestones, risk mitigants and assumptions",
    sections=(
        Section("Timelines and milestones", embed="milestones"),
        Section("Risk mitigants", embed="risks"),
        Section("Assumptions and questions", embed="assumptions"),
        Section("Other agreements", (Field("notes", "Notes and actions", rows=3),)),
    ),
)

SESSION_3 = Template(
    3,
    "Roles and responsibilities, and innovation procurement support needs",
    sections=(
        Section("RACI: roles, responsibilities, accountabilities, people", embed="raci"),
        Section("Innovation procurement support level", embed="support"),
        Section("Other agreements", (Field("notes", "Notes and actions", rows=3),)),
    ),
)

TEMPLATES = {1: SESSION_1, 2: SESSION_2, 3: SESSION_3}


def built_in(number: int, key: str) -> Section | None:
    """The structure of session `number`'s built-in topic `key`, if it is one."""
    return next((s for s in TEMPLATES[number].sections if s.key == key), None)


def field_spec(number: int, name: str) -> Field | None:
    template = TEMPLATES.get(number)
    if template is None:
        return None
    return next((f for f in template.fields if f.name == name), None)
