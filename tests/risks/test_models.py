from datetime import date

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from risks.models import Risk, RiskSettings, settings_for
from tests.factories import make_project, make_risk

pytestmark = pytest.mark.django_db


def test_the_database_computes_the_score_as_likelihood_times_impact(project):
    risk = make_risk(project, likelihood=3, impact=4)
    assert risk.score == 12
    Risk.objects.filter(pk=risk.pk).update(likelihood=2)
    assert Risk.objects.get(pk=risk.pk).score == 8


def test_residual_score_is_empty_until_both_residual_values_are_given(project):
    risk = make_risk(project, likelihood=3, impact=3)
    assert risk.residual_score is None and risk.residual_band is None
    risk.residual_likelihood, risk.residual_impact = 1, 3
    risk.save()
    risk.refresh_from_db()
    assert risk.residual_score == 3 and risk.residual_band == "low"


@pytest.mark.parametrize(
    "score_li, band",
    [
        ((1, 3), "low"),
        ((1, 4), "medium"),
        ((2, 3), "medium"),
        ((2, 4), "high"),
        ((3, 3), "high"),
        ((3, 4), "very_high"),
        ((4, 4), "very_high"),
    ],
)
def test_default_4x4_bands(project, score_li, band):
    assert make_risk(project, likelihood=score_li[0], impact=score_li[1]).band == band


def test_bands_follow_the_projects_own_thresholds(project):
    RiskSettings.objects.create(project=project, low_max=2, medium_max=4, high_max=8)
    risk = make_risk(project, likelihood=3, impact=3)
    assert Risk.objects.get(pk=risk.pk).band == "very_high"


def test_5x5_defaults(project):
    RiskSettings.objects.create(project=project, scale=5, low_max=4, medium_max=9, high_max=14)
    bands = [make_risk(project, likelihood=l, impact=i).band for l, i in [(2, 2), (1, 5), (2, 5), (3, 5), (5, 5)]]
    assert bands == ["low", "medium", "high", "very_high", "very_high"]


def test_references_count_up_per_project_and_are_never_reused(project):
    first, second = make_risk(project), make_risk(project)
    assert (first.reference, second.reference) == ("R1", "R2")
    second.delete()
    assert make_risk(project).reference == "R3"
    assert make_risk(make_project()).reference == "R1"


def test_an_unsaved_project_setting_is_the_documented_4x4_default(project):
    settings = settings_for(project)
    assert (settings.scale, settings.thresholds) == (4, (3, 6, 9))
    assert settings.pk is None


@pytest.mark.parametrize(
    "column, value", [("likelihood", 0), ("likelihood", 6), ("impact", -1), ("impact", 1_000_000_000)]
)
def test_a_raw_insert_out_of_range_is_refused_by_the_database(project, column, value):
    values = {"likelihood": 2, "impact": 2, column: value}
    sql = (
        "INSERT INTO risks_risk (version, project_id, number, event, cause, effect, category, likelihood, impact, "
        "mitigating_action, status, date_raised) VALUES (1, %s, 99, 'e', '', '', 'other', %s, %s, '', 'open', %s)"
    )
    # PostgreSQL refuses 1e9 in a smallint column before the CHECK constraint sees it (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [project.pk, values["likelihood"], values["impact"], date(2026, 1, 1)])
    assert not Risk.objects.exists()


def test_the_database_refuses_half_a_residual_assessment(project):
    risk = make_risk(project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(residual_likelihood=2)


def test_the_database_refuses_bands_out_of_order(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskSettings.objects.create(project=project, low_max=6, medium_max=4, high_max=9)


def test_queryset_methods(project):
    today = date(2026, 6, 1)
    high = make_risk(project, likelihood=3, impact=3, next_review_date=date(2026, 5, 1))
    low = make_risk(project, likelihood=1, impact=1, next_review_date=date(2026, 7, 1))
    closed = make_risk(project, likelihood=4, impact=4, status="closed", next_review_date=date(2026, 1, 1))
    occurred = make_risk(project, likelihood=2, impact=4, status="occurred")
    assert list(project.risks.open().by_score()) == [high, occurred, low]
    assert list(project.risks.overdue_review(today)) == [high]
    assert set(project.risks.at_least(8)) == {high, closed, occurred}
    assert list(project.risks.by_score())[0] == closed


def test_every_change_of_score_is_kept_in_history(project):
    risk = make_risk(project, likelihood=1, impact=4)
    risk.likelihood = 3
    risk.save()
    assert [h.score for h in risk.history.order_by("history_date", "history_id")] == [4, 12]


def test_the_project_history_names_risks_by_reference(member_client, project):
    from django.urls import reverse

    risk = make_risk(project, likelihood=1, impact=1)
    risk.impact = 3
    risk.save()
    page = member_client.get(reverse("projects:history", args=[project.slug])).text
    assert "R1" in page
