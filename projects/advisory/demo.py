"""Demo data for the advisory review: the council project has been reviewed with advice."""

from datetime import date

from django.contrib.auth import get_user_model

from projects.advisory.models import AdvisoryReview
from projects.registry import demo_loaders

BUCKS_ADVICE = (
    "Good start: the board is in place and the terms of reference are agreed.\n"
    "1. The financial requirement fell from £50k to £30k: record in the business case what was descoped "
    "and confirm the roadmap still delivers the vision.\n"
    "2. Three of the four risks score high (8 and 9): agree an owner and a review date for each before the "
    "next board.\n"
    "3. Involve the Joint Improvement Board members early; their approval criteria are not yet recorded."
)


@demo_loaders.register("advisory", order=40)
def load(project, *, large: bool) -> None:
    advisor = get_user_model().objects.filter(username="advisor").first()
    if large:
        AdvisoryReview.objects.get_or_create(project=project, defaults={"status": AdvisoryReview.Status.IN_REVIEW})
        return
    AdvisoryReview.objects.get_or_create(
        project=project,
        defaults={
            "status": AdvisoryReview.Status.ADVICE_GIVEN,
            "advice": BUCKS_ADVICE,
            "reviewed_by": advisor,
            "reviewed_on": date(2008, 1, 7),
        },
    )
