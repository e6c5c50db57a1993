"""Facilitation mode (issue 18 point 1): the agenda with the seed's durations split across the
topics, server-kept timers, over-time in words, the presenter view and the close. Timer writes
run with real commits (PostgreSQL in CI)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment import facilitation
from alignment.models import Session, TopicTimer
from projects.models import Membership
from tests.factories import fill_session, make_advisor, make_membership, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def url(name, project, number=1, *rest):
    return reverse(f"alignment:{name}", args=[project.slug, number, *rest])


def press(client, project, topic, action, number=1, **extra):
    return client.post(url("facilitate-timer", project, number, topic), {"action": action, **extra})


def test_each_topic_has_its_templates_minutes(project):
    one = facilitation.agenda(project, 1)
    assert [i.minutes for i in one] == [10, 5, 5, 15, 5, 5, 10] and sum(i.minutes for i in one) == 55
    assert [i.position for i in one] == list(range(1, 8))
    assert sum(i.minutes for i in facilitation.agenda(project, 2)) == 30
    assert sum(i.minutes for i in facilitation.agenda(project, 3)) == 30
    assert facilitation.split(7, 3) == [3, 2, 2] and facilitation.split(5, 0) == []


def test_one_timer_runs_at_a_time_and_the_time_is_kept_on_the_server(client_as, project, buyer, officer):
    first, second = [i.topic for i in facilitation.agenda(project, 1)][:2]
    assert press(client_as(buyer), project, first, "start").status_code == 302
    TopicTimer.objects.filter(topic=first).update(started_at=timezone.now() - timedelta(minutes=4))
    press(client_as(officer), project, second, "start")
    timers = {t.topic: t for t in TopicTimer.objects.all()}
    assert timers[first].started_at is None and 239 <= timers[first].elapsed_seconds <= 245
    assert timers[second].started_at is not None
    state = client_as(buyer).get(url("facilitate-state", project)).json()["timers"]
    assert state[first]["running"] is False and state[first]["elapsed"] >= 239
    assert state[second]["running"] is True
    press(client_as(buyer), project, second, "pause")
    press(client_as(buyer), project, first, "reset")
    timers = {t.topic: t for t in TopicTimer.objects.all()}
    assert timers[second].started_at is None and (timers[first].elapsed_seconds, timers[first].started_at) == (0, None)


def test_over_time_is_said_in_words(client_as, project, buyer):
    first = facilitation.agenda(project, 1)[0]
    press(client_as(buyer), project, first.topic, "start")
    TopicTimer.objects.filter(topic=first.topic).update(
        started_at=timezone.now() - timedelta(minutes=first.minutes + 3)
    )
    page = client_as(buyer).get(url("facilitate", project)).text
    assert '<strong>Over time</strong><span class="over-by"> by 3 min</span>' in page
    assert page.count("is-over") == 1


def test_bad_timer_requests_change_nothing(client_as, project, buyer):
    assert press(client_as(buyer), project, "no-such-topic", "start").status_code == 302
    assert press(client_as(buyer), project, "concerns", "explode").status_code == 302
    assert not TopicTimer.objects.exists()
    assert press(client_as(buyer), project, "concerns", "start", number=4).status_code == 404


def test_only_editors_run_timers_and_strangers_get_404(client_as, project):
    viewer = make_user("vic")
    make_membership(project, viewer, Membership.Role.VIEWER)
    for reader in (viewer, make_advisor("amy")):
        assert press(client_as(reader), project, "concerns", "start").status_code == 403
        for page in (url("facilitate", project), url("present", project, 1, "concerns"), url("present-close", project)):
            assert client_as(reader).get(page).status_code == 200
        client_as(reader).get(url("facilitate-state", project))
    assert not TopicTimer.objects.exists() and not Session.objects.exists()  # reading wrote nothing
    eve = make_user("eve")
    for page in (url("facilitate", project), url("present", project, 1, "concerns"), url("facilitate-state", project)):
        assert client_as(eve).get(page).status_code == 404
    assert press(client_as(eve), project, "concerns", "start").status_code == 404


def test_the_presenter_view_shows_one_topic_with_previous_and_next(client_as, project, buyer):
    project.desired_outcome = "Residents see bins collected within two days"
    project.save()
    keys = [i.topic for i in facilitation.agenda(project, 1)]
    page = client_as(buyer).get(url("present", project, 1, keys[0])).text
    assert "Topic 1 of 7" in page and "Residents see bins collected within two days" in page
    assert f'rel="next" id="present-next" href="{url("present", project, 1, keys[1])}"' in page
    assert f'id="present-prev" rel="prev" href="{url("facilitate", project)}"' in page
    last = client_as(buyer).get(url("present", project, 1, keys[-1])).text
    assert f'href="{url("present-close", project)}">Close the session' in last
    assert client_as(buyer).get(url("present", project, 1, "nope")).status_code == 404


def test_the_close_shows_what_is_open_and_offers_the_sign_off(client_as, project, buyer):
    page = client_as(buyer).get(url("present-close", project)).text
    assert "Still open" in page and "needs" in page and "Go to the sign-off" in page
    fill_session(Session.objects.get_or_create(project=project, number=1)[0])
    page = client_as(buyer).get(url("present-close", project)).text
    assert "written, not yet agreed by both" in page and "Signed so far: nobody." in page


def test_a_tailored_duration_is_used_and_an_added_topic_shares_what_is_left(project):
    from alignment import tailoring

    advisor = make_advisor("amy")
    Session.objects.update_or_create(project=project, number=3, defaults={"support_level": "guided"})
    keys = [i.topic for i in facilitation.agenda(project, 1)]
    tailoring.tailor_topic(project=project, number=1, key=keys[0], by=advisor, data={"duration_minutes": "20"})
    tailoring.add_topic(project=project, number=1, by=advisor, data={"title": "Data sharing"})
    minutes = {i.title: i.minutes for i in facilitation.agenda(project, 1)}
    assert minutes[facilitation.agenda(project, 1)[0].title] == 20
    # 10 + 5 + 5 + 15 + 5 + 5 + 10 with the first re-timed to 20 is 65: past the seed's 60, the
    # added topic still gets a minute.
    assert minutes["Data sharing"] == 1
