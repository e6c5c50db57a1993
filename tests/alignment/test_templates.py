"""Workshop templates as versioned data (issue 19 points 1-3 and 6): version 1 is the seed's
content from a data migration; sessions keep the version they started with until a member moves
them; the advisory team tailors Guided and Partnered projects only, never what was agreed, and
proposes its tailoring back as a new version that it publishes with a change note."""

import pytest
from django.core.exceptions import ValidationError

from alignment import coverage, guidance, tailoring
from alignment.models import Minutes, Session
from alignment.template_seed import SEED
from alignment.templates_data import TemplateTailoring, TemplateTopic, TemplateVersion, WorkshopTemplate
from projects.models import Membership
from tests.factories import make_advisor, make_project, make_user

from .conftest import session_url
from .test_minutes import agree_session_1, minutes_url

OUTCOME_PROMPT = SEED[1]["topics"][0]["prompt"]  # "What will be different for the business…"


def tailor_url(project, number):
    return f"/projects/{project.slug}/sessions/{number}/tailor/"


def template_url(project, number):
    return f"/projects/{project.slug}/sessions/{number}/template/"


def support(project, level):
    Session.objects.update_or_create(project=project, number=3, defaults={"support_level": level})


def publish_reworded(number, key, prompt, by, note="Clearer wording"):
    """Version N+1 of session `number`'s template with topic `key`'s prompt reworded (as admin does)."""
    draft = tailoring.start_draft(template=WorkshopTemplate.objects.get(number=number), by=by)
    TemplateTopic.objects.filter(version=draft, key=key).update(prompt=prompt)
    return tailoring.publish(version=draft, by=by, change_note=note)


@pytest.fixture
def advisor(db):
    amy = make_advisor("amy")
    amy.first_name, amy.last_name = "Amy", "Adviser"
    amy.save()
    return amy


@pytest.fixture
def advisor_client(advisor, client_as):
    return client_as(advisor)


# Point 1: the templates are data, versioned ------------------------------------------------------


@pytest.mark.django_db
def test_version_1_of_each_template_is_the_seeds_content_on_the_sessions_structure():
    for number, template in guidance.TEMPLATES.items():
        version = TemplateVersion.objects.latest_for(number)
        assert version.number == 1 and version.is_published and version.change_note
        assert version.title == SEED[number]["title"] == template.title
        keys = [t.key for t in version.topics.all()]
        assert keys == [s.key for s in template.sections]  # every built-in topic, in order
        assert all(t.duration_minutes for t in version.topics.all())


@pytest.mark.django_db
def test_the_session_page_shows_the_versions_prompts_from_the_data(member_client, project):
    page = member_client.get(session_url(project, 1)).text
    assert OUTCOME_PROMPT in page
    assert "Workshop template:</span> version 1" in page
    version = TemplateVersion.objects.latest_for(1)
    TemplateTopic.objects.filter(version=version, key="desired_outcome").update(prompt="Changed in the data")
    assert "Changed in the data" in member_client.get(session_url(project, 1)).text


@pytest.mark.django_db
def test_a_published_version_and_its_topics_never_change():
    version = TemplateVersion.objects.latest_for(1)
    version.title = "Another title"
    with pytest.raises(ValidationError, match="never changes"):
        version.save()
    topic = version.topics.first()
    topic.prompt = "Another prompt"
    with pytest.raises(ValidationError, match="never changes"):
        topic.save()
    with pytest.raises(ValidationError, match="never changes"):
        topic.delete()
    assert TemplateTopic.objects.get(pk=topic.pk).prompt == OUTCOME_PROMPT


@pytest.mark.django_db(transaction=True)
def test_a_session_keeps_its_version_until_a_member_moves_it_after_seeing_what_changes(member_client, project, buyer):
    session = Session.objects.create(project=project, number=1)
    v1 = session.template_version
    assert v1.number == 1
    v2 = publish_reworded(1, "desired_outcome", "What will residents notice first?", buyer)
    assert v2.number == 2

    page = member_client.get(session_url(project, 1)).text
    assert OUTCOME_PROMPT in page and "What will residents notice first?" not in page
    assert "Version 2 is published (Clearer wording). It would change: “Buyer&#x27;s desired outcome” (changed)" in page
    about = member_client.get(template_url(project, 1)).text
    assert "What version 2 would change" in about
    assert OUTCOME_PROMPT in about and "What will residents notice first?" in about  # side by side

    # A session started now takes the latest; another project's session 1 stays where it is.
    other = make_project(members={buyer: Membership.Role.BUYER})
    assert Session.objects.create(project=other, number=1).template_version == v2

    response = member_client.post(template_url(project, 1), {"version": v2.pk}, follow=True)
    assert "now uses version 2" in response.text
    assert "What will residents notice first?" in response.text
    assert Session.objects.get(pk=session.pk).template_version == v2
    # Moving back, or to another session's template, is refused.
    response = member_client.post(template_url(project, 1), {"version": v1.pk}, follow=True)
    assert "already uses version 2" in response.text
    assert Session.objects.get(pk=session.pk).template_version == v2


@pytest.mark.django_db
def test_only_members_who_edit_move_a_session_and_strangers_get_404(project, client_as, buyer):
    Session.objects.create(project=project, number=1)
    v2 = publish_reworded(1, "desired_outcome", "New words", buyer)
    viewer = make_user()
    Membership.objects.create(project=project, user=viewer, role=Membership.Role.VIEWER)
    assert client_as(viewer).post(template_url(project, 1), {"version": v2.pk}).status_code == 403
    assert client_as(make_user()).get(template_url(project, 1)).status_code == 404
    assert client_as(make_advisor()).post(template_url(project, 1), {"version": v2.pk}).status_code == 403
    assert Session.objects.get(project=project, number=1).template_version.number == 1


@pytest.mark.django_db(transaction=True)
def test_a_template_change_leaves_an_agreed_session_and_its_minutes_byte_identical(
    member_client, officer_client, project, buyer, advisor_client
):
    session = agree_session_1(member_client, officer_client, project)
    minutes = Minutes.objects.get(session=session)
    frozen = bytes(minutes.pdf)
    assert member_client.get(minutes_url(project, 1, 1)).content == frozen

    v2 = publish_reworded(1, "desired_outcome", "A reworded prompt for everyone", buyer)
    support(project, "guided")
    refused = advisor_client.post(tailor_url(project, 1), {"topic": "concerns", "hidden": "1"}, follow=True)
    assert "Session 1 is agreed: what was agreed is not tailored. Nothing was changed." in refused.text
    moved = member_client.post(template_url(project, 1), {"version": v2.pk}, follow=True)
    assert "Session 1 is agreed: what was agreed is not moved to another template version." in moved.text

    session.refresh_from_db()
    assert session.status == Session.Status.AGREED and session.template_version.number == 1
    assert not TemplateTailoring.objects.exists()
    assert member_client.get(minutes_url(project, 1, 1)).content == frozen
    assert bytes(Minutes.objects.get(pk=minutes.pk).pdf) == frozen and Minutes.objects.count() == 1
    assert "A reworded prompt for everyone" not in member_client.get(session_url(project, 1)).text


# Point 2: tailoring per project ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_advisor_tailors_a_guided_projects_session_and_the_page_says_who(advisor_client, member_client, project):
    support(project, "guided")
    Session.objects.create(project=project, number=1)
    url = tailor_url(project, 1)
    advisor_client.post(url, {"topic": "desired_outcome", "prompt": "What will drivers see?", "duration_minutes": "20"})
    advisor_client.post(url, {"topic": "strategic_drivers", "hidden": "1"})
    advisor_client.post(
        url,
        {"add": "1", "title": "Data sharing", "prompt": "Who owns the sensor data?", "duration_minutes": "10"},
    )
    rows = {t.topic_key: t for t in TemplateTailoring.objects.filter(project=project)}
    assert set(rows) == {"desired_outcome", "strategic_drivers", "added-data-sharing"}
    assert rows["desired_outcome"].prompt == "What will drivers see?" and rows["desired_outcome"].duration_minutes == 20
    assert rows["desired_outcome"].title == ""  # unchanged words are not kept as tailoring

    page = member_client.get(session_url(project, 1)).text
    assert "What will drivers see?" in page and OUTCOME_PROMPT not in page
    assert "About 20 minutes" in page
    assert "Tailored for this project</span> (prompt, duration) by Amy Adviser" in page
    assert 'id="field-strategic_drivers"' not in page  # hidden
    assert "Data sharing" in page and "Who owns the sensor data?" in page
    assert "tailored for this project by the advisory team" in page
    # The hidden topic needs nothing before sign-off; the added one is agreed like the others.
    session = Session.objects.get(project=project, number=1)
    assert "Strategic drivers" not in [m.label for m in coverage.missing(session)]
    assert [s.key for s in session.template.sections][-1] == "added-data-sharing"
    # Another project's session 1 is not tailored.
    other = make_project()
    assert OUTCOME_PROMPT in [s.fields[0].prompts[0] for s in Session(project=other, number=1).template.sections[:1]]

    history = member_client.get(f"/projects/{project.slug}/history/").text
    rows = [row for row in history.split('<li class="history-item">') if "template tailoring" in row]
    assert len(rows) == 3 and all("Amy Adviser</strong> added template tailoring" in row for row in rows), rows
    assert '“<span class="wrap">Session 1: Strategic drivers</span>”' in history


@pytest.mark.django_db(transaction=True)
def test_words_put_back_as_the_template_has_them_remove_the_tailoring(advisor_client, project):
    support(project, "partnered")
    url = tailor_url(project, 2)
    advisor_client.post(url, {"topic": "risks", "prompt": "Reworded"})
    row = TemplateTailoring.objects.get(project=project)
    prompt = SEED[2]["topics"][1]["prompt"]
    advisor_client.post(url, {"topic": "risks", "prompt": prompt, "seen_version": str(row.version)})
    assert not TemplateTailoring.objects.filter(project=project).exists()


@pytest.mark.parametrize("level", ["", "self_guided", "advised"])
@pytest.mark.django_db
def test_tailoring_is_refused_plainly_for_projects_without_guided_or_partnered_support(advisor_client, project, level):
    if level:
        support(project, level)
    page = advisor_client.get(tailor_url(project, 1)).text
    assert "tailors the sessions of projects with Guided or Partnered support only" in page
    response = advisor_client.post(tailor_url(project, 1), {"topic": "concerns", "hidden": "1"}, follow=True)
    assert "Guided or Partnered support only" in response.text and "Nothing was changed." in response.text
    assert not TemplateTailoring.objects.exists()


@pytest.mark.django_db
def test_only_the_advisory_team_tailors(project, member_client, client_as):
    support(project, "guided")
    assert member_client.get(tailor_url(project, 1)).status_code == 403
    assert member_client.post(tailor_url(project, 1), {"topic": "concerns", "hidden": "1"}).status_code == 403
    assert client_as(make_user(is_staff=True)).get(tailor_url(project, 1)).status_code == 404
    assert member_client.post(tailor_url(project, 1) + "propose/").status_code == 403
    assert not TemplateTailoring.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"topic": "concerns", "duration_minutes": "0"}, "whole number of minutes from 1 to 240"),
        ({"topic": "concerns", "duration_minutes": "241"}, "whole number of minutes from 1 to 240"),
        ({"topic": "concerns", "duration_minutes": "3.5"}, "whole number of minutes from 1 to 240"),
        ({"topic": "concerns", "prompt": "x" * 1001}, "The prompt is 1,001 characters; the limit is 1,000."),
        ({"topic": "no-such-topic", "prompt": "x"}, "Session 1 has no topic “no-such-topic”"),
        ({"topic": "concerns", "prompt": "x", "seen_version": "7"}, "Someone else tailored this topic"),
        ({"add": "1", "title": "   "}, "An added topic needs a title."),
    ],
)
@pytest.mark.django_db
def test_bad_tailoring_gets_a_clear_message_and_changes_nothing(advisor_client, project, data, message):
    support(project, "guided")
    response = advisor_client.post(tailor_url(project, 1), data, follow=True)
    assert message in response.text
    assert not TemplateTailoring.objects.exists()


@pytest.mark.django_db
def test_tailored_text_is_shown_as_text(advisor_client, member_client, project):
    support(project, "guided")
    advisor_client.post(tailor_url(project, 1), {"topic": "concerns", "prompt": "<script>alert(1)</script>{{7*7}}"})
    page = member_client.get(session_url(project, 1)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page and "<script>alert(1)" not in page


@pytest.mark.django_db
def test_a_session_keeps_at_least_one_topic(advisor_client, project):
    support(project, "guided")
    for key in ("raci", "support"):
        advisor_client.post(tailor_url(project, 3), {"topic": key, "hidden": "1"})
    response = advisor_client.post(tailor_url(project, 3), {"topic": "notes", "hidden": "1"}, follow=True)
    assert "A session keeps at least one topic." in response.text
    assert TemplateTailoring.objects.filter(project=project, kind="hide").count() == 2


# Point 3: improvements back into the master template ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_advisor_proposes_a_projects_tailoring_and_publishes_it_as_the_next_version(
    advisor_client, member_client, project, buyer, client_as
):
    support(project, "guided")
    other = make_project(members={buyer: Membership.Role.BUYER})
    Session.objects.create(project=other, number=2)
    advisor_client.post(tailor_url(project, 2), {"topic": "assumptions", "title": "Assumptions, questions, unknowns"})
    advisor_client.post(tailor_url(project, 2), {"topic": "notes", "hidden": "1"})

    response = advisor_client.post(tailor_url(project, 2) + "propose/", follow=True)
    draft = TemplateVersion.objects.get(published_at__isnull=True)
    assert draft.proposed_from == project and draft.based_on.number == 1 and draft.number is None
    assert [t.key for t in draft.topics.all()] == ["milestones", "risks", "assumptions"]
    text = response.text
    assert "Version 1 and this draft, side by side" in text
    assert "Assumptions and questions" in text and "Assumptions, questions, unknowns" in text
    assert "Removed" in text  # "Other agreements", hidden for the project, leaves the template

    refused = advisor_client.post(f"/templates/versions/{draft.pk}/", {"change_note": "  "}, follow=True)
    assert "Say what this version changes" in refused.text
    assert TemplateVersion.objects.get(pk=draft.pk).number is None
    assert member_client.get(f"/templates/versions/{draft.pk}/").status_code == 404  # the team only

    done = advisor_client.post(
        f"/templates/versions/{draft.pk}/", {"change_note": "Name unknowns; notes are actions now"}, follow=True
    )
    assert "Published version 2 of the session 2 template." in done.text
    draft.refresh_from_db()
    assert draft.number == 2 and draft.published_by.username == "amy"
    again = advisor_client.post(f"/templates/versions/{draft.pk}/", {"change_note": "Again"}, follow=True)
    assert "published already, as version 2" in again.text

    # Every project says which version it uses and what the newer one would change.
    page = member_client.get(session_url(other, 2)).text
    assert "version 1" in page and "Version 2 is published (Name unknowns; notes are actions now)" in page
    assert "“Assumptions, questions, unknowns” (changed)" in page and "“Other agreements” (removed)" in page


@pytest.mark.django_db(transaction=True)
def test_a_draft_from_an_older_version_is_not_published_over_a_newer_one(advisor, project, buyer):
    support(project, "guided")
    draft_a = tailoring.start_draft(template=WorkshopTemplate.objects.get(number=1), by=advisor)
    publish_reworded(1, "concerns", "Published first", buyer)
    with pytest.raises(tailoring.TailoringRefused, match="Version 2 was published after this draft"):
        tailoring.publish(version=draft_a, by=advisor, change_note="Late")
    assert TemplateVersion.objects.get(pk=draft_a.pk).number is None


@pytest.mark.django_db(transaction=True)
def test_the_minutes_say_which_version_and_keep_a_tailored_sessions_added_topic(
    member_client, officer_client, project, advisor_client
):
    from tests.pdfs import pdf_text

    support(project, "guided")
    advisor_client.post(tailor_url(project, 1), {"add": "1", "title": "Data sharing", "prompt": "Who owns the data?"})
    session = agree_session_1(member_client, officer_client, project)
    assert session.status == Session.Status.AGREED  # the added topic was agreed by the sign-offs
    assert set(session.topic_agreements.filter(topic="added-data-sharing").values_list("role", flat=True)) == {
        Membership.Role.BUYER,
        Membership.Role.OFFICER,
    }
    text = pdf_text(member_client.get(minutes_url(project, 1, 1)).content, squeeze=True)
    assert "version 1 tailored for this project" in text
    assert "Data sharing" in text and "Who owns the data?" in text


@pytest.mark.django_db
def test_the_advisory_team_edits_template_drafts_in_admin_and_other_staff_only_read(advisor_client, client_as):
    template = WorkshopTemplate.objects.get(number=3)
    v1 = TemplateVersion.objects.latest_for(3)
    action = {"action": "start_version", "_selected_action": [template.pk]}
    staff = client_as(make_user(is_staff=True))
    staff.post("/admin/alignment/workshoptemplate/", action)
    assert not TemplateVersion.objects.filter(published_at__isnull=True).exists()

    advisor_client.post("/admin/alignment/workshoptemplate/", action)
    draft = TemplateVersion.objects.get(published_at__isnull=True)
    assert [t.key for t in draft.topics.all()] == [t.key for t in v1.topics.all()]
    page = advisor_client.get(f"/admin/alignment/templateversion/{draft.pk}/change/").text
    assert "See the difference and publish" in page and f"/templates/versions/{draft.pk}/" in page
    # A published version is shown, never saved; other staff cannot open the publishing page.
    assert advisor_client.post(f"/admin/alignment/templateversion/{v1.pk}/change/", {"title": "X"}).status_code == 403
    assert staff.get(f"/templates/versions/{draft.pk}/").status_code == 404
    assert TemplateVersion.objects.get(pk=v1.pk).title == SEED[3]["title"]


@pytest.mark.django_db(transaction=True)
def test_a_tailored_project_archives_and_restores_with_its_tailoring_and_template_version(advisor, buyer):
    from projects.exchange import archive

    project = make_project(members={buyer: Membership.Role.BUYER})
    support(project, "guided")
    tailoring.tailor_topic(project=project, number=2, key="risks", by=advisor, data={"prompt": "Reworded"})
    content = archive.export_archive(project)
    target = make_project(members={buyer: Membership.Role.BUYER})
    archive.restore_archive(project=target, content=content, by=buyer)
    restored = TemplateTailoring.objects.get(project=target)
    assert (restored.topic_key, restored.prompt, restored.by) == ("risks", "Reworded", advisor)
    assert Session.objects.get(project=target, number=3).template_version == TemplateVersion.objects.latest_for(3)
    # A site without that version of the template says so and restores nothing.
    Session.objects.filter(project=project).update(template_version=publish_reworded(3, "raci", "New", buyer))
    content = archive.export_archive(project)
    TemplateVersion.objects.filter(number=2).update(number=9)
    empty = make_project(members={buyer: Membership.Role.BUYER})
    with pytest.raises(archive.ArchiveError, match="uses version 2 of its workshop template, which this site does not"):
        archive.restore_archive(project=empty, content=content, by=buyer)
    assert not Session.objects.filter(project=empty).exists()
