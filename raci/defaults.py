"""The starting set of activities offered on an empty matrix.

Drawn from the mobilisation guidance (seed 000: define the buying project, align, RACI,
work plan) and the usual steps of a public buying project up to contract award. People
untick what does not apply, and every row added can be removed later.
"""

from django.db import transaction
from django.db.models import Max

from .models import Activity

DEFAULT_ACTIVITIES = [
    "Agree the business objective and desired outcome",
    "Approve the business case",
    "Identify stakeholders, approvers and their approval criteria",
    "Agree the work plan and communication plan",
    "Approve the procurement strategy",
    "Market engagement",
    "Write the specification and evaluation criteria",
    "Approve the tender documents",
    "Issue the tender and answer clarifications",
    "Evaluation",
    "Contract award",
    "Sign the contract and mobilise the supplier",
    "Report progress to the board",
    "Manage risks and issues",
]


@transaction.atomic
def add_defaults(project, names) -> list[Activity]:
    """Add the chosen default activities (unknown names ignored) after any existing rows."""
    chosen = [name for name in DEFAULT_ACTIVITIES if name in set(names)]
    start = (project.raci_activities.aggregate(top=Max("position"))["top"] or 0) + 1
    return [Activity.objects.create(project=project, name=name, position=start + i) for i, name in enumerate(chosen)]
