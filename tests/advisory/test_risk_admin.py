"""Risks in Django admin: even a superuser cannot put a score off the project's scale."""

import pytest
from django.urls import reverse

from risks.models import Risk, RiskSettings
from tests.factories import make_project, make_risk

pytestmark = pytest.mark.django_db


def risk_post(risk, **changes):
    data = {
        "project": risk.project_id,
        "event": risk.event,
        "cause": "",
        "effect": "",
        "category": risk.category,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "mitigating_action": risk.mitigating_action,
        "residual_likelihood": "",
        "residual_impact": "",
        "owner": "",
        "status": risk.status,
        "next_review_date": "",
        "date_raised": "2026-01-01",
        "version": risk.version,
    }
    return {**data, **changes}


def test_a_superuser_cannot_give_a_risk_a_five_on_a_four_point_scale(admin_user, client_as):
    risk = make_risk(make_project(), likelihood=2, impact=2)
    client = client_as(admin_user)
    response = client.post(reverse("admin:risks_risk_change", args=[risk.pk]), risk_post(risk, likelihood=5))
    assert response.status_code == 200
    assert "Likelihood must be between 1 and 4 on this project&#x27;s scale." in response.text
    risk.refresh_from_db()
    assert risk.likelihood == 2


def test_the_scale_is_read_only_in_admin_and_points_to_the_scale_page(admin_user, client_as):
    project = make_project()
    settings = RiskSettings.objects.create(project=project)
    client = client_as(admin_user)
    url = reverse("admin:risks_risksettings_change", args=[settings.pk])
    page = client.get(url).text
    assert reverse("risks:scale", args=[project.slug]) in page
    response = client.post(
        url,
        {"project": project.pk, "scale": 5, "low_max": 3, "medium_max": 6, "high_max": 9, "version": settings.version},
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert settings.scale == 4 and settings.high_max == 9


def test_thresholds_outside_the_scale_are_refused_in_admin(admin_user, client_as):
    settings = RiskSettings.objects.create(project=make_project())
    response = client_as(admin_user).post(
        reverse("admin:risks_risksettings_change", args=[settings.pk]),
        {"project": settings.project_id, "low_max": 3, "medium_max": 6, "high_max": 16, "version": settings.version},
    )
    assert "Thresholds must rise" in response.text
    settings.refresh_from_db()
    assert settings.high_max != 16
    assert Risk.objects.count() == 0
