import pytest
from django.urls import reverse

from tests.factories import make_activity, make_assignment, make_stakeholder


@pytest.fixture
def small_matrix(project):
    """One activity, 'Evaluation': Ann is responsible, no one accountable yet; Bob holds nothing."""
    ann = make_stakeholder(project, name="Ann Officer", position=0)
    bob = make_stakeholder(project, name="Bob Board", kind="approver", position=1)
    row = make_activity(project, name="Evaluation", position=0)
    make_assignment(row, ann, "R")
    return row, ann, bob


def url(project, name="raci:matrix", *args):
    return reverse(name, args=[project.slug, *args])


HTMX = {"HX-Request": "true"}
