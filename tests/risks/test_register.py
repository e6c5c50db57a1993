import json
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from projects import access
from projects.models import Membership
from risks.models import Risk, RiskSettings
from risks.views import risk_editor
from tests.factories import make_project, make_risk, make_stakeholder, make_user

from .conftest import risk_data

pytestmark = pytest.mark.django_db


def references(html):
    return re.findall(r'<th scope="row">(R\d+)</th>', html)


def test_the_register_lists_risks_highest_score_first(member_client, project, register_url):
    make_risk(project, likelihood=1, impact=4)  # R1: 4
    make_risk(project, likelihood=3, impact=3)  # R2: 9
    make_risk(project, likelihood=2, impact=4)  # R3: 8
    response = member_client.get(register_url)
    assert references(response.text) == ["R2", "R3", "R1"]
    assert "9 High" in re.sub(r"<[^>]+>", "", response.text)


def test_sorting_by_reference_or_residual(member_client, project, register_url):
    make_risk(project, likelihood=4, impact=4, residual_likelihood=1, residual_impact=1)
    make_risk(project, likelihood=2, impact=2)
    assert references(member_client.get(register_url, {"sort": "reference"}).text) == ["R1", "R2"]
    assert references(member_client.get(register_url, {"sort": "residual"}).text) == ["R2", "R1"]


def test_filter_by_band_status_and_owner(member_client, project, register_url):
    dana = make_stakeholder(project, name="Dana")
    make_risk(project, likelihood=1, impact=1)  # R1 low
    make_risk(project, likelihood=4, impact=4, owner=dana)  # R2 very high
    make_risk(project, likelihood=2, impact=4, status="closed")  # R3 high, closed
    make_risk(project, likelihood=2, impact=2, owner=dana)  # R4 medium
    get = lambda **params: references(member_client.get(register_url, params).text)  # noqa: E731
    assert get(band="very_high") == ["R2"]
    assert get(band="high") == ["R3"]
    assert get(status="closed") == ["R3"]
    assert get(kind="issue") == ["R2", "R3", "R4", "R1"]  # no kinds any more: the old parameter is ignored
    assert get(owner=str(dana.pk)) == ["R2", "R4"]
    assert get(owner="none") == ["R3", "R1"]
    assert get(owner=str(dana.pk), band="medium") == ["R4"]


def test_filter_by_review_past_due(member_client, project, register_url):
    from datetime import timedelta

    make_risk(project, next_review_date=timezone.localdate() - timedelta(days=1))
    make_risk(project, next_review_date=timezone.localdate() + timedelta(days=1))
    make_risk(project, next_review_date=timezone.localdate() - timedelta(days=1), status="closed")
    page = member_client.get(register_url, {"review": "overdue"}).text
    assert references(page) == ["R1"] and "live risks past their review date" in page


def test_unknown_filter_values_are_ignored_not_an_error(member_client, project, register_url):
    make_risk(project)
    response = member_client.get(
        register_url, {"band": "huge", "owner": "abc", "likelihood": "1e9", "impact": "-1", "sort": "x"}
    )
    assert response.status_code == 200
    assert references(response.text) == ["R1"]


def test_another_projects_stakeholder_as_owner_filter_shows_everything(member_client, project, register_url):
    other = make_stakeholder(make_project(), name="Stranger")
    make_risk(project)
    assert references(member_client.get(register_url, {"owner": str(other.pk)}).text) == ["R1"]


def test_a_heat_map_cell_link_filters_the_register_to_that_cell(member_client, project, register_url):
    make_risk(project, likelihood=3, impact=2)
    make_risk(project, likelihood=3, impact=2, status="closed")
    make_risk(project, likelihood=1, impact=1, residual_likelihood=1, residual_impact=1)
    make_risk(project, likelihood=4, impact=4, residual_likelihood=1, residual_impact=1)
    page = member_client.get(register_url).text
    assert f'href="{register_url}?likelihood=3&amp;impact=2"' in page
    assert references(member_client.get(register_url, {"likelihood": 3, "impact": 2}).text) == ["R1"]
    assert references(member_client.get(register_url, {"rl": 1, "ri": 1}).text) == ["R4", "R3"]
    assert (
        "live risks at likelihood 3, impact 2" in member_client.get(register_url, {"likelihood": 3, "impact": 2}).text
    )


def test_adding_a_risk_without_javascript(member_client, project, register_url):
    response = member_client.post(register_url, risk_data())
    assert response.status_code == 302
    page = member_client.get(response["Location"]).text
    assert "Supplier market shows little interest" in page and "R1" in page


def test_adding_with_htmx_returns_the_table_and_tells_the_heat_maps_to_refresh(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(likelihood="4", impact="4"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="risks-table"')
    assert "<html" not in response.text
    assert "risks-changed" in json.loads(response["HX-Trigger"])
    risk = Risk.objects.get()
    assert (risk.reference, risk.score, risk.band) == ("R1", 16, "very_high")


def test_the_page_shows_inherent_and_residual_maps_side_by_side_with_tables(member_client, project, register_url):
    make_risk(project, likelihood=2, impact=2, residual_likelihood=1, residual_impact=1)
    page = member_client.get(register_url).text
    assert page.index("Inherent risk (before action)") < page.index("Residual risk (after action)")
    assert "<caption>Inherent risk: live risks by likelihood and impact</caption>" in page
    assert "<caption>Residual risk: live risks by residual likelihood and impact</caption>" in page


def test_the_heat_map_fragment_without_htmx_sends_people_to_the_register(member_client, project, register_url):
    response = member_client.get(reverse("risks:heatmaps", args=[project.slug]))
    assert response.status_code == 302 and response["Location"] == register_url + "#risk-heatmaps"


def test_the_heat_map_endpoint_reflects_the_new_risk(member_client, project):
    make_risk(project, likelihood=4, impact=1)
    response = member_client.get(reverse("risks:heatmaps", args=[project.slug]), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="risk-heatmaps"')
    assert "Likelihood 4, impact 1, score 4 (Medium): 1 risk" in response.text


@pytest.mark.parametrize("value", ["0", "5", "-1", "1e9", "3.5", "three", "1000000000"])
def test_out_of_range_likelihood_is_refused_with_a_plain_message(member_client, project, register_url, value):
    response = member_client.post(register_url, risk_data(likelihood=value), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Likelihood must be between 1 and 4 on this project&#x27;s scale." in response.text
    assert not Risk.objects.exists()


def test_blank_impact_asks_for_one(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(impact=" "))
    assert "Enter the impact: a whole number from 1 to 4." in response.text
    assert not Risk.objects.exists()


def test_a_5x5_project_accepts_5_and_refuses_6(member_client, project, register_url):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    response = member_client.post(register_url, risk_data(impact="6"))
    assert "Impact must be between 1 and 5 on this project&#x27;s scale." in response.text
    member_client.post(register_url, risk_data(likelihood="5", impact="5"))
    assert Risk.objects.get().score == 25


def test_half_a_residual_assessment_is_refused(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(residual_likelihood="2"))
    assert "Give both the residual likelihood and the residual impact, or neither." in response.text
    assert not Risk.objects.exists()


def test_blank_event_is_refused(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(event="   \n "))
    assert "Describe the event: what may or may not occur." in response.text
    assert not Risk.objects.exists()


def test_200kb_in_the_action_is_refused(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(mitigating_action="x" * 200_000))
    assert "Ensure this value has at most 5000 characters" in response.text
    assert not Risk.objects.exists()


def test_an_owner_from_another_project_is_refused(member_client, project, register_url):
    stranger = make_stakeholder(make_project(), name="Stranger")
    response = member_client.post(register_url, risk_data(owner=str(stranger.pk)))
    assert "Select a valid choice" in response.text
    assert not Risk.objects.exists()


def test_hostile_text_is_shown_as_text(member_client, project, register_url):
    make_risk(project, event="<script>alert(1)</script>", mitigating_action='"><img src=x onerror=alert(1)> {{7*7}}')
    page = member_client.get(register_url).text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "{{7*7}}" in page


def test_control_characters_are_stripped(member_client, project, register_url):
    member_client.post(register_url, risk_data(event="Late\x0b delivery\x1f"))
    assert Risk.objects.get().event == "Late delivery"


def test_inline_edit_swaps_the_row_and_keeps_the_score_history(member_client, project):
    risk = make_risk(project, likelihood=1, impact=1, event="Old event")
    url = reverse("risks:edit", args=[project.slug, risk.pk])
    response = member_client.get(url, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith(f'<tr id="risk-{risk.pk}" class="editing">')
    response = member_client.post(
        url,
        risk_data(event="New event", likelihood="3", impact="3", version=risk.version),
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith(f'<tr id="risk-{risk.pk}">')
    assert "New event" in response.text and "risks-changed" in json.loads(response["HX-Trigger"])
    assert [h.score for h in risk.history.order_by("history_id")] == [1, 9]
    history = member_client.get(reverse("risks:history", args=[project.slug, risk.pk])).text
    assert "Changed" in history and "Added" in history


def test_a_stale_edit_shows_a_conflict_and_changes_nothing(member_client, project):
    risk = make_risk(project, likelihood=1, impact=1)
    stale = risk.version
    Risk.objects.filter(pk=risk.pk).update(likelihood=2, version=stale + 1)
    response = member_client.post(
        reverse("risks:edit", args=[project.slug, risk.pk]), risk_data(likelihood="4", version=stale)
    )
    assert "Someone else saved this record" in response.text
    assert Risk.objects.get(pk=risk.pk).likelihood == 2


def test_delete_asks_first_without_javascript_and_the_reference_is_not_reused(member_client, project, register_url):
    risk = make_risk(project)
    url = reverse("risks:delete", args=[project.slug, risk.pk])
    assert "Delete risk" in member_client.get(url).text
    member_client.post(url)
    assert not Risk.objects.exists()
    member_client.post(register_url, risk_data())
    assert Risk.objects.get().reference == "R2"


def test_viewers_see_the_register_but_cannot_add(client_as, project, register_url):
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    client = client_as(viewer)
    make_risk(project, event="Visible risk")
    page = client.get(register_url).text
    assert "Visible risk" in page and "Add a risk" not in page
    assert client.post(register_url, risk_data()).status_code == 403
    assert Risk.objects.count() == 1


def test_another_projects_risk_id_is_a_404(member_client, project):
    theirs = make_risk(make_project(), event="Secret")
    assert member_client.get(reverse("risks:edit", args=[project.slug, theirs.pk])).status_code == 404
    assert member_client.post(reverse("risks:delete", args=[project.slug, theirs.pk])).status_code == 404
    assert member_client.get(reverse("risks:history", args=[project.slug, theirs.pk])).status_code == 404
    assert Risk.objects.filter(pk=theirs.pk).exists()


def test_the_embedded_editor_carries_next_and_returns_there(buyer, member_client, project, register_url):
    make_risk(project, event="Embedded risk")
    request = RequestFactory().get("/projects/water-sensors/sessions/2/")
    request.user, request.htmx = buyer, False
    project = access.project_for(buyer, project.slug, "view")  # as the embedding view has it
    html = risk_editor(request, project, next_url="/projects/water-sensors/sessions/2/")
    assert '<div id="risks-table"' in html and "Embedded risk" in html
    assert 'name="next" value="/projects/water-sensors/sessions/2/"' in html
    assert f'hx-post="{register_url}"' in html
    response = member_client.post(register_url, risk_data(next="/projects/water-sensors/sessions/2/"))
    assert response["Location"] == "/projects/water-sensors/sessions/2/"
    response = member_client.post(register_url, risk_data(next="https://evil.example/"))
    assert response["Location"] == register_url


def test_the_embedded_editor_keeps_its_compact_rows_through_edit_and_cancel(member_client, project):
    risk = make_risk(project, event="Compact")
    url = reverse("risks:edit", args=[project.slug, risk.pk])
    session = "/projects/water-sensors/sessions/2/"
    htmx = {"HX-Request": "true"}
    form = member_client.get(url, {"next": session}, headers=htmx).text
    assert 'colspan="8"' in form and 'name="next" value="/projects/water-sensors/sessions/2/"' in form
    assert "Not assessed" not in member_client.get(url, {"cancel": 1, "next": session}, headers=htmx).text
    saved = member_client.post(
        url, risk_data(event="Compact edited", version=risk.version, next=session), headers=htmx
    ).text
    assert "Compact edited" in saved and "Not assessed" not in saved
    full = member_client.get(url, {"cancel": 1}, headers=htmx).text
    assert "Not assessed" in full  # the register's own rows show residual risk


def _fill(project, n):
    people = [make_stakeholder(project) for _ in range(3)]
    Risk.objects.bulk_create(
        Risk(
            project=project,
            number=k + 1,
            event=f"E{k}",
            likelihood=k % 4 + 1,
            impact=(k * 3) % 4 + 1,
            residual_likelihood=1 if k % 2 else None,
            residual_impact=1 if k % 2 else None,
            owner=people[k % 3],
            next_review_date=None,
        )
        for k in range(n)
    )


def _queries(client, url, django_assert_max_num_queries, limit, **kwargs):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url, **kwargs).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_register_query_count_is_flat_from_5_to_500_risks(
    member_client, project, register_url, django_assert_max_num_queries, headers
):
    # session, user, project, membership, settings, stakeholders (filter + owner choices),
    # reports (trends), risks with owners, heat map counts
    _fill(project, 5)
    small = _queries(member_client, register_url, django_assert_max_num_queries, 14, headers=headers)
    Risk.objects.all().delete()
    _fill(project, 500)
    large = _queries(member_client, register_url, django_assert_max_num_queries, 14, headers=headers)
    assert small == large


def test_heat_map_query_count_is_flat_from_5_to_500_risks(member_client, project, django_assert_max_num_queries):
    url = reverse("risks:heatmaps", args=[project.slug])
    _fill(project, 5)
    htmx = {"HX-Request": "true"}
    small = _queries(member_client, url, django_assert_max_num_queries, 7, headers=htmx)
    Risk.objects.all().delete()
    _fill(project, 500)
    assert _queries(member_client, url, django_assert_max_num_queries, 7, headers=htmx) == small
