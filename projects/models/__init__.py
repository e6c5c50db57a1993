"""Projects, the people in them, and the records every other area hangs from.

One module per concern so that areas can grow without stepping on each other:
core (project, membership, stakeholders), plan (milestones, communications),
reports (board highlight reports).
"""

from .core import (  # noqa: F401
    Membership,
    Project,
    Stakeholder,
    Versioned,
)
from .plan import CommunicationItem, Milestone  # noqa: F401
from .reports import HighlightReport  # noqa: F401
from .review import AdvisoryReview  # noqa: F401
