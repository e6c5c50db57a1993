import pytest
from django.urls import reverse

from projects.models import Membership
from risks.models import Risk, RiskSettings, settings_for
from tests.factories import make_risk, make_user

from .conftest import risk_data

pytestmark = pytest.mark.django_db


def scale_url(project):
    return reverse("risks:scale", args=[project.slug])


def test_the_page_asks_how_to_map_existing_scores(member_client, project):
    make_risk(project, likelihood=3, impact=4)
    page = member_client.get(scale_url(project)).text
    assert "from 4x4 to 5x5" in page
    assert "Keep every value as it is" in page and "Stretch to the new scale" in page
    assert "R1 3×4 → 4×5" in page


def test_4x4_to_5x5_keeping_values(member_client, project):
    risk = make_risk(project, likelihood=3, impact=4)
    response = member_client.post(scale_url(project), {"mapping": "keep", "version": 1})
    assert response.status_code == 302
    settings = RiskSettings.objects.get(project=project)
    assert (settings.scale, settings.thresholds) == (5, (4, 9, 14))
    assert Risk.objects.get(pk=risk.pk).score == 12


def test_4x4_to_5x5_stretching_records_history(member_client, project):
    risk = make_risk(project, likelihood=3, impact=4, residual_likelihood=1, residual_impact=2)
    member_client.post(scale_url(project), {"mapping": "stretch", "version": 1})
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.residual_likelihood, risk.residual_impact) == (4, 5, 1, 2)
    assert risk.score == 20
    assert [h.score for h in risk.history.order_by("history_id")] == [12, 20]


def test_5x5_to_4x4_is_refused_while_values_of_5_exist_and_nothing_changes(member_client, project):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    five = make_risk(project, likelihood=5, impact=2, event="Too big")
    make_risk(project, likelihood=2, impact=2, status="closed", residual_likelihood=1, residual_impact=1)
    page = member_client.get(scale_url(project)).text
    assert "cannot be kept as they are" in page and "Too big" in page
    response = member_client.post(scale_url(project), {"mapping": "keep", "version": 1})
    assert response.status_code == 200
    assert "1 risk(s) (R1) have values above 4" in response.text
    assert settings_for(project).scale == 5
    assert Risk.objects.get(pk=five.pk).likelihood == 5


def test_5x5_to_4x4_with_a_mapping(member_client, project):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    risk = make_risk(project, likelihood=5, impact=4, residual_likelihood=3, residual_impact=5)
    member_client.post(scale_url(project), {"mapping": "squeeze", "version": 1})
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.residual_likelihood, risk.residual_impact) == (4, 3, 3, 4)
    assert RiskSettings.objects.get(project=project).thresholds == (3, 6, 9)


def test_5x5_to_4x4_keep_works_when_nothing_is_above_4(member_client, project):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    risk = make_risk(project, likelihood=4, impact=4)
    member_client.post(scale_url(project), {"mapping": "keep", "version": 1})
    assert settings_for(project).scale == 4 or RiskSettings.objects.get(project=project).scale == 4
    assert Risk.objects.get(pk=risk.pk).score == 16


def test_a_stale_scale_page_changes_nothing(member_client, project):
    RiskSettings.objects.create(project=project, version=3)
    response = member_client.post(scale_url(project), {"mapping": "keep", "version": 2})
    assert "Someone else changed" in response.text
    assert RiskSettings.objects.get(project=project).scale == 4


def test_an_unknown_mapping_is_refused(member_client, project):
    response = member_client.post(scale_url(project), {"mapping": "squeeze", "version": 1})
    assert "Choose one of the listed ways" in response.text
    assert settings_for(project).scale == 4


def test_a_form_opened_on_5x5_cannot_save_a_5_after_the_switch_to_4x4(member_client, project):
    register = reverse("risks:register", args=[project.slug])
    response = member_client.post(register, risk_data(likelihood="5"))
    assert "between 1 and 4" in response.text


def test_only_managers_change_the_scale(client_as, project):
    officer = make_user()
    Membership.objects.create(project=project, user=officer, role=Membership.Role.OFFICER)
    assert client_as(officer).post(scale_url(project), {"mapping": "keep", "version": 1}).status_code == 403
    assert not RiskSettings.objects.filter(project=project, scale=5).exists()


def test_band_thresholds_can_be_set_and_must_rise(member_client, project):
    url = reverse("risks:settings", args=[project.slug])
    response = member_client.post(url, {"low_max": "6", "medium_max": "4", "high_max": "9", "version": "1"})
    assert "Thresholds must rise" in response.text
    response = member_client.post(url, {"low_max": "2", "medium_max": "4", "high_max": "16", "version": "1"})
    assert "Thresholds must rise" in response.text
    response = member_client.post(url, {"low_max": "2", "medium_max": "4", "high_max": "8", "version": "1"})
    assert response.status_code == 302
    assert make_risk(project, likelihood=3, impact=3).band == "very_high"


def test_scale_page_and_risk_history_query_counts_are_flat(member_client, project, django_assert_max_num_queries):
    from projects.models import Project

    def fill(n):
        for _ in range(n):
            make_risk(project, likelihood=4, impact=3)

    def count(url):
        with django_assert_max_num_queries(12) as captured:
            assert member_client.get(url).status_code == 200
        return len(captured.captured_queries)

    fill(5)
    first = Project.objects.get(pk=project.pk).risks.order_by("number").first()
    history = reverse("risks:history", args=[project.slug, first.pk])
    small = count(scale_url(project)), count(history)
    fill(50)
    for _ in range(10):
        first.likelihood = 5 - first.likelihood % 4
        first.save()
    assert (count(scale_url(project)), count(history)) == small
