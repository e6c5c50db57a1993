import pytest
from django.urls import reverse


@pytest.fixture
def register_url(project):
    return reverse("risks:register", args=[project.slug])


def risk_data(**overrides):
    """A valid add/edit form for the register."""
    data = {
        "event": "Supplier market shows little interest",
        "cause": "",
        "effect": "",
        "category": "commercial",
        "likelihood": "2",
        "impact": "3",
        "mitigating_action": "Market engagement day",
        "residual_likelihood": "",
        "residual_impact": "",
        "owner": "",
        "status": "open",
        "next_review_date": "",
        "date_raised": "2026-01-10",
    }
    data.update(overrides)
    return data
