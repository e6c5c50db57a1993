"""Demo RACI matrices: the Bucks council project of seed 004, and a large one for benchmarks."""

from projects.registry import demo_loaders

from .models import Activity, Assignment

# (activity, milestone name starts with, {stakeholder name: letters}) for bucks-procurement:
# the Procurement Project Board approves, Jim Burness (project manager) does the work.
BUCKS = [
    (
        "Agree the Board's terms of reference",
        "Procurement Project Board up and running",
        {
            "Procurement Project Board": "A",
            "Jim Burness": "R",
            "Chris Furness": "C",
            "District council procurement leads": "C",
            "Joint Improvement Board (JIB)": "I",
        },
    ),
    (
        "Analyse spend and contracts registers across the authorities",
        None,
        {
            "Chris Furness": "A",
            "Jim Burness": "R",
            "District council procurement leads": "R",
            "SECE": "C",
            "Procurement Project Board": "I",
        },
    ),
    (
        "Prioritise 2008/09 procurement activity for the Pathfinder authorities",
        "Prioritisation of 2008/09",
        {
            "Procurement Project Board": "A",
            "Jim Burness": "R",
            "District council procurement leads": "C",
            "SECE": "C",
            "Joint Improvement Board (JIB)": "I",
        },
    ),
    (
        "Produce the procurement roadmap",
        "Procurement roadmap",
        {
            "Procurement Project Board": "A",
            "Jim Burness": "R",
            "SECE": "C",
            "Chris Furness": "C",
            "Joint Improvement Board (JIB)": "I",
        },
    ),
    (
        "Approve the business case for investment",
        "Procurement roadmap",
        {
            "Procurement Project Board": "A",
            "Jim Burness": "R",
            "Chris Furness": "C",
            "Joint Improvement Board (JIB)": "I",
            "District council procurement leads": "I",
        },
    ),
    (
        "Joint procurement meeting with the Oxon authorities",
        "Links with Oxon authorities",
        {"Chris Furness": "A", "Jim Burness": "R", "Oxon authorities": "C", "Procurement Project Board": "I"},
    ),
    (
        "Report progress and member involvement to the Joint Improvement Board",
        None,
        {
            "Chris Furness": "A",
            "Jim Burness": "R",
            "Joint Improvement Board (JIB)": "I",
            "Procurement Project Board": "I",
        },
    ),
    (
        "Monthly highlight report to the Board",
        None,
        {"Jim Burness": "AR", "Procurement Project Board": "I", "Chris Furness": "I"},
    ),
]


def _load_bucks(project):
    people = {s.name: s for s in project.stakeholders.all()}
    milestones = list(project.milestones.all())
    for position, (name, milestone_prefix, letters) in enumerate(BUCKS):
        milestone = next((m for m in milestones if milestone_prefix and m.name.startswith(milestone_prefix)), None)
        activity = Activity.objects.create(project=project, name=name, position=position, milestone=milestone)
        for person_name, held in letters.items():
            if person_name in people:
                Assignment.objects.create(activity=activity, stakeholder=people[person_name], letters=held)


def _load_large(project):
    """25 activities across the project's (30) stakeholders; every row meets the rules."""
    people = list(project.stakeholders.all())
    if not people:
        return
    approvers = [p for p in people if p.kind == "approver"] or people[:1]
    milestones = list(project.milestones.all())
    activities = Activity.objects.bulk_create(
        Activity(
            project=project,
            name=f"Activity {i + 1:02d}",
            position=i,
            milestone=milestones[i % len(milestones)] if milestones and i % 3 == 0 else None,
        )
        for i in range(25)
    )
    n = len(people)
    cells = []
    for i, activity in enumerate(activities):
        held = {}
        held.setdefault(approvers[i % len(approvers)].pk, set()).add("A")
        for offset, letter in ((1, "R"), (7, "R"), (3, "C"), (11, "C"), (5, "I"), (13, "I"), (19, "I")):
            person = people[(i * 3 + offset) % n]
            if "A" not in held.get(person.pk, set()) or letter != "R":
                held.setdefault(person.pk, set()).add(letter)
        for pk, letters in held.items():
            cells.append(
                Assignment(activity=activity, stakeholder_id=pk, letters="".join(c for c in "ARCI" if c in letters))
            )
    Assignment.objects.bulk_create(cells)


@demo_loaders.register("raci", order=20)
def load(project, *, large: bool):
    """Seed the project's RACI matrix; does nothing when it already has activities."""
    if project.raci_activities.exists():
        return
    if large:
        _load_large(project)
    else:
        _load_bucks(project)
