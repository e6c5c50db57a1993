"""Risk dates hold (issue 16, point 8): no review before the risk was raised, no year 1; a
residual score above the inherent one is saved but warned about."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from risks.models import Risk
from tests.factories import make_risk

from .conftest import risk_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_review_before_the_risk_was_raised_is_refused_on_the_field(member_client, project, register_url, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    data = risk_data(date_raised="2026-03-10", next_review_date="2026-03-09")
    response = member_client.post(register_url, data, headers=headers)
    assert response.status_code == 200
    assert "The next review cannot be before the risk was raised (10 Mar 2026)." in response.text
    assert not Risk.objects.exists()


def test_a_review_on_the_day_raised_is_fine(member_client, project, register_url):
    response = member_client.post(register_url, risk_data(date_raised="2026-03-10", next_review_date="2026-03-10"))
    assert response.status_code == 302
    assert Risk.objects.get().next_review_date == date(2026, 3, 10)


@pytest.mark.parametrize("field", ["date_raised", "next_review_date"])
def test_year_1_or_9999_is_refused(member_client, project, register_url, field):
    for value in ("0001-01-01", "9999-12-31"):
        response = member_client.post(register_url, risk_data(**{field: value}))
        assert "Use a date between 1900 and 2199." in response.text
    assert not Risk.objects.exists()


def test_editing_a_risk_to_a_review_before_it_was_raised_changes_nothing(member_client, project):
    from django.urls import reverse

    risk = make_risk(project, date_raised=date(2026, 3, 10), next_review_date=date(2026, 4, 1))
    edit = reverse("risks:edit", args=[project.slug, risk.pk])
    data = risk_data(event=risk.event, date_raised="2026-03-10", next_review_date="2026-01-01", version=risk.version)
    response = member_client.post(edit, data)
    assert "The next review cannot be before the risk was raised" in response.text
    risk.refresh_from_db()
    assert (risk.next_review_date, risk.version) == (date(2026, 4, 1), 1)


def test_the_database_refuses_a_review_before_the_risk_was_raised(project):
    risk = make_risk(project, date_raised=date(2026, 3, 10))
    for sql in (
        "UPDATE risks_risk SET next_review_date = '2026-03-01' WHERE id = %s",
        "UPDATE risks_risk SET date_raised = '0001-01-01' WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [risk.pk])
    risk.refresh_from_db()
    assert (risk.date_raised, risk.next_review_date) == (date(2026, 3, 10), None)


def test_a_residual_score_above_the_inherent_one_is_saved_with_a_warning(member_client, project, register_url):
    data = risk_data(likelihood="2", impact="2", residual_likelihood="3", residual_impact="3")
    assert member_client.post(register_url, data).status_code == 302
    risk = Risk.objects.get()
    assert (risk.score, risk.residual_score, risk.residual_above_inherent) == (4, 9, True)
    page = member_client.get(register_url).text
    assert "Warning: residual 9 is above the inherent 4; check the action." in page


def test_no_warning_when_the_action_lowers_or_keeps_the_score(member_client, project, register_url):
    make_risk(project, likelihood=3, impact=3, residual_likelihood=3, residual_impact=3)
    make_risk(project, likelihood=3, impact=3, residual_likelihood=1, residual_impact=2)
    assert "Warning: residual" not in member_client.get(register_url).text
