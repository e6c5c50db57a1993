"""The project archive: both demo projects restore into empty projects with every field of
every record as it was; restoring is all or nothing, into empty projects only, by buyers only."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from alignment.models import Session
from projects.demo import load_demo
from projects.exchange import archive
from projects.models import Membership, Project
from raci.models import Activity, Assignment
from risks.models import Risk
from tests.factories import (
    make_advisor,
    make_issue,
    make_milestone,
    make_project,
    make_risk,
    make_stakeholder,
    make_user,
)

# The only columns that differ after a restore, and why: the restored project is its own row
# (its id and slug are its address; it was created, and last saved, when it was made and
# restored). Every other record's id and links are compared through what they point at (the
# place of the linked record in its project), never by database id.
PROJECT_OWN_COLUMNS = {"id", "slug", "created_at", "updated_at"}
# Models that point at a project but are not its content (projects/exchange/archive.py says why).
NOT_CONTENT = {
    "alignment.TemplateVersion",
    "alignment.TemplateTopic",
    "advisory.AdvisoryReview",
    "advisory.ReviewEntry",
    "advisory.HelpRequest",
    "alignment.ShareLink",
    "alignment.ShareLinkOpening",
    "exchange.PendingImport",
    "exchange.ImportReading",
    "projects.Invitation",
    "alignment.SessionPresence",
    "alignment.TopicTimer",
    "alignment.SignatureReminder",
}


def _historical(model):
    return model.__name__.startswith("Historical")


def content_models():
    """{model: lookup to its project}: every model with a link to Project, and every model whose
    required link points at one of those (a RACI cell through its activity), found from the
    models themselves so a model added later is compared too."""
    found = {}
    for model in apps.get_models():
        if _historical(model) or model is Project:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Project:
                found[model] = field.name
    for model in apps.get_models():
        if _historical(model) or model in found or model is Project:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and not field.null and field.related_model in found:
                found[model] = f"{field.name}__{found[field.related_model]}"
    return {m: path for m, path in found.items() if m._meta.label not in NOT_CONTENT}


def describe(project):
    """Every field of every record of the project, links as (model, place in its project)."""
    paths = content_models()
    rows = {
        model: list(model._default_manager.filter(**{path: project}).order_by("pk")) for model, path in paths.items()
    }
    place = {(model, row.pk): (model._meta.label, index) for model, rs in rows.items() for index, row in enumerate(rs)}
    user_model = get_user_model()

    def value(field, row):
        raw = getattr(row, field.attname)
        if raw is None or not field.is_relation:
            return bytes(raw) if isinstance(raw, memoryview) else raw
        if field.related_model is user_model:
            return ("user", raw)  # the same accounts on both sides
        if field.related_model._meta.label == "alignment.TemplateVersion":
            return ("template version", raw)  # shared by every project: the same on both sides
        return place[(field.related_model, raw)]

    described = {
        "projects.Project": [
            {f.name: value(f, project) for f in Project._meta.concrete_fields if f.name not in PROJECT_OWN_COLUMNS}
        ]
    }
    for model in paths:
        records = []
        for row in rows[model]:
            record = {
                f.name: value(f, row)
                for f in model._meta.concrete_fields
                if not f.primary_key and not (f.is_relation and f.related_model is Project)
            }
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                linked = (
                    through.objects.filter(**{source: row.pk}).order_by("pk").values_list(f"{target}_id", flat=True)
                )
                record[field.name] = [place[(field.related_model, pk)] for pk in linked]
            records.append(record)
        described[model._meta.label] = records
    return described


def differences(before, after):
    found = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, []), after.get(label, [])
        if len(old) != len(new):
            found.append(f"{label}: {len(old)} records, restored {len(new)}")
            continue
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found.extend(
                f"{label}[{index}].{name}: {a.get(name)!r} != {b.get(name)!r}" for name in a if a[name] != b.get(name)
            )
    return found


def field_count(described):
    return sum(len(record) for records in described.values() for record in records)


def empty_project(slug, owner):
    return make_project(members={owner: Membership.Role.BUYER}, name=f"Empty {slug}", slug=slug)


def awkward_names(project):
    """Two stakeholders and two milestones with the same name, names with ';', and links that
    must land on the right one of each pair."""
    first = make_stakeholder(project, name="Smith; Jones LLP", organisation="A; B")
    second = make_stakeholder(project, name="Smith; Jones LLP", organisation="A; B")
    early = make_milestone(project, name="Gate; review", baseline_end=date(2026, 3, 1))
    late = make_milestone(project, name="Gate; review", baseline_end=date(2026, 6, 1))
    late.depends_on.add(early)
    make_risk(project, event="Owned by the second Smith", owner=second)
    activity = Activity.objects.create(project=project, name="Sign; seal", milestone=late, position=99)
    Assignment.objects.create(activity=activity, stakeholder=second, letters="A")
    Assignment.objects.create(activity=activity, stakeholder=first, letters="R")


@pytest.mark.django_db(transaction=True)
def test_both_demo_projects_restore_into_empty_projects_with_no_field_different():
    load_demo(large=True)
    owner = get_user_model().objects.get(username="buyer")
    awkward_names(Project.objects.get(slug="bucks-procurement"))
    for slug in ("bucks-procurement", "large-demo"):
        source = Project.objects.get(slug=slug)
        content = archive.export_archive(source)
        target = empty_project(f"restored-{slug}", owner)
        counts = archive.restore_archive(project=target, content=content, by=owner)
        before, after = describe(source), describe(Project.objects.get(pk=target.pk))
        assert differences(before, after) == [], slug
        # Not vacuous: the records that went missing before are there, and many fields were compared.
        assert counts["reports"] == source.reports.count() > 0
        assert field_count(before) > 250
        assert len(before["risks.RiskSettings"]) == 1
    large = Project.objects.get(slug="restored-large-demo")
    assert large.risk_settings.scale == Project.objects.get(slug="large-demo").risk_settings.scale


@pytest.mark.django_db(transaction=True)
def test_the_comparison_finds_a_lost_field():
    """The comparison above can fail: a restore that loses the risk scale is caught."""
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    make_risk(source, likelihood=5, impact=5)
    from risks.models import RiskSettings

    RiskSettings.objects.filter(project=source).update(scale=5, low_max=5, medium_max=12, high_max=19)
    target = empty_project("target", owner)
    archive.restore_archive(project=target, content=archive.export_archive(source), by=owner)
    RiskSettings.objects.filter(project=target).update(scale=4)
    target.refresh_from_db()
    assert differences(describe(source), describe(target)) == ["risks.RiskSettings[0].scale: 5 != 4"]


@pytest.mark.django_db(transaction=True)
def test_the_archive_names_records_by_keys_of_its_own_never_database_ids():
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    person = make_stakeholder(source, name="Priya", user=owner)
    make_risk(source, owner=person)
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive.export_archive(source))).read("archive.json"))
    (risk,) = data["parts"]["risks"]
    assert risk["owner"] == "stakeholders/1" and "id" not in risk and "project" not in risk
    assert data["parts"]["stakeholders"][0]["user"] == {"username": "owner", "email": owner.email}


@pytest.mark.django_db(transaction=True)
def test_a_project_with_records_is_refused_and_keeps_what_it_had():
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    make_risk(source, event="From the archive")
    target = empty_project("target", owner)
    make_stakeholder(target, name="Already here")
    with pytest.raises(archive.ArchiveError, match="already has stakeholders.*Nothing was restored"):
        archive.restore_archive(project=target, content=archive.export_archive(source), by=owner)
    assert list(target.stakeholders.values_list("name", flat=True)) == ["Already here"]
    assert not Risk.objects.filter(project=target).exists()


@pytest.mark.django_db(transaction=True)
def test_a_bad_record_late_in_the_archive_undoes_the_whole_restore():
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source", name="Source")
    make_stakeholder(source, name="Priya")
    make_risk(source, event="Fine")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive.export_archive(source))) as original, zipfile.ZipFile(buffer, "w") as copy:
        data = json.loads(original.read("archive.json"))
        data["parts"]["risks"][0]["likelihood"] = 9  # off every scale
        copy.writestr("archive.json", json.dumps(data))
    target = empty_project("target", owner)
    with pytest.raises(archive.ArchiveError, match="risks/1 cannot be restored.*likelihood"):
        archive.restore_archive(project=target, content=buffer.getvalue(), by=owner)
    target.refresh_from_db()
    assert target.name == "Empty target" and not target.stakeholders.exists()


@pytest.mark.django_db(transaction=True)
def test_an_archive_naming_an_account_this_site_lacks_is_refused_by_name():
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    gone = make_user("gone-user", email="gone@example.org")
    Membership.objects.create(project=source, user=gone, role=Membership.Role.VIEWER)
    content = archive.export_archive(source)
    gone.delete()
    target = empty_project("target", owner)
    with pytest.raises(archive.ArchiveError, match=r"gone-user \(gone@example.org\).*Nothing was restored"):
        archive.restore_archive(project=target, content=content, by=owner)
    assert list(target.memberships.values_list("user__username", flat=True)) == ["owner"]


@pytest.mark.django_db(transaction=True)
def test_an_account_is_found_by_email_when_its_username_changed():
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    member = make_user("old-name", email="same@example.org")
    Membership.objects.create(project=source, user=member, role=Membership.Role.OFFICER)
    content = archive.export_archive(source)
    get_user_model().objects.filter(pk=member.pk).update(username="new-name")
    target = empty_project("target", owner)
    archive.restore_archive(project=target, content=content, by=owner)
    assert target.memberships.get(user=member).role == Membership.Role.OFFICER


@pytest.mark.parametrize(
    "content", [b"", b"not a zip", b"PK\x03\x04broken", None], ids=["empty", "text", "broken zip", "zip without json"]
)
@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_an_archive_is_refused_in_words(content):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("other.txt", "hello")
        content = buffer.getvalue()
    with pytest.raises(archive.ArchiveError, match="not a Mobilise project archive"):
        archive.read_archive(content)


def test_every_model_with_project_content_is_archived_or_named_as_not_archived():
    archived = {part.model for part in archive.PARTS}
    assert set(content_models()) == archived
    assert set(archive.NOT_ARCHIVED) == NOT_CONTENT


# The pages ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_buyer_downloads_the_archive_and_restores_it_into_an_empty_project(client_as):
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source", name="Source")
    make_stakeholder(source, name="Priya")
    client = client_as(owner)
    response = client.get(reverse("exchange:archive", args=["source"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert 'filename="source-archive.zip"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    target = empty_project("target", owner)
    archive_file = io.BytesIO(content)
    archive_file.name = "source-archive.zip"
    response = client.post(reverse("exchange:archive-restore", args=["target"]), {"file": archive_file})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "Source" and list(target.stakeholders.values_list("name", flat=True)) == ["Priya"]
    page = client.get(response["Location"])
    assert "Restored source-archive.zip" in page.text
    data_page = client.get(reverse("exchange:data", args=["target"])).text
    assert reverse("exchange:archive", args=["target"]) in data_page
    assert reverse("exchange:archive-restore", args=["target"]) in data_page
    viewer = make_user("viewer")
    Membership.objects.create(project=target, user=viewer, role=Membership.Role.VIEWER)
    assert (
        reverse("exchange:archive", args=["target"])
        not in client_as(viewer).get(reverse("exchange:data", args=["target"])).text
    )


@pytest.mark.django_db(transaction=True)
def test_restoring_into_a_project_with_records_says_so_on_the_page_and_saves_nothing(client_as):
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source", name="Source")
    make_risk(source)
    target = empty_project("target", owner)
    make_stakeholder(target, name="Already here")
    archive_file = io.BytesIO(archive.export_archive(source))
    archive_file.name = "a.zip"
    response = client_as(owner).post(reverse("exchange:archive-restore", args=["target"]), {"file": archive_file})
    assert response.status_code == 200
    assert "already has stakeholders" in response.text and "Nothing was restored" in response.text
    target.refresh_from_db()
    assert target.name == "Empty target" and not Risk.objects.filter(project=target).exists()


@pytest.mark.parametrize("role", [Membership.Role.OFFICER, Membership.Role.MANAGER, Membership.Role.VIEWER])
@pytest.mark.django_db(transaction=True)
def test_only_a_buyer_may_restore(client_as, role):
    owner, other = make_user("owner"), make_user("other")
    target = empty_project("target", owner)
    Membership.objects.create(project=target, user=other, role=role)
    archive_file = io.BytesIO(archive.export_archive(make_project(members={owner: "buyer"}, slug="source")))
    archive_file.name = "a.zip"
    client = client_as(other)
    assert client.get(reverse("exchange:archive-restore", args=["target"])).status_code == 403
    assert client.post(reverse("exchange:archive-restore", args=["target"]), {"file": archive_file}).status_code == 403
    assert Project.objects.get(pk=target.pk).name == "Empty target"


@pytest.mark.django_db(transaction=True)
def test_the_advisory_team_may_not_restore_nor_download_and_strangers_get_404(client_as):
    owner = make_user("owner")
    target = empty_project("target", owner)
    make_stakeholder(target)
    advisor, stranger = make_advisor("adviser"), make_user("stranger")
    for url in (reverse("exchange:archive-restore", args=["target"]), reverse("exchange:archive", args=["target"])):
        assert client_as(stranger).get(url).status_code == 404
        assert client_as(stranger).post(url, {}).status_code == 404
        assert client_as(advisor).get(url).status_code == 403
    assert client_as(advisor).post(reverse("exchange:archive-restore", args=["target"]), {}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_restore_page_explains_and_works_without_javascript(client_as):
    owner = make_user("owner")
    empty_project("target", owner)
    page = client_as(owner).get(reverse("exchange:archive-restore", args=["target"]))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'for="id_file"' in page.text
    assert "empty project" in page.text


def test_sessions_are_restored_after_the_records_they_embed():
    """Writing a milestone or risk re-opens an agreed topic: the sessions and their agreements
    must come after everything they show (and the restore writes no signals anyway)."""
    order = [part.model for part in archive.PARTS]
    for embedded in (Risk, Activity, Assignment, apps.get_model("plan.Milestone")):
        assert order.index(embedded) < order.index(Session)


# The readable workbook ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_readable_workbook_reimported_into_its_own_project_changes_nothing():
    """Every sheet of the whole-project export, imported back into the project it came from,
    writes nothing: no value, no version, no history row. (Two records with one name, and ';'
    inside a name, are the spreadsheet importer's to read right: issue 17 point 2.)"""
    from projects.exchange.export import export_project
    from projects.importing import available_kinds, importer_for

    load_demo(large=True)
    make_issue(Project.objects.get(slug="bucks-procurement"), title="Supplier went quiet", priority="high")
    for slug in ("bucks-procurement", "large-demo"):
        project = Project.objects.get(slug=slug)
        before, history = describe(project), history_count()
        data = export_project(project)
        for kind in available_kinds():
            importer = importer_for(kind, project)
            result = importer.preview(data, f"{project.slug}.xlsx")
            assert [str(p) for p in result.problems] == [], kind
            assert result.created == 0, kind
            if result.rows:  # large-demo has no issues: an empty sheet is not imported
                importer.apply(result)
        assert differences(before, describe(Project.objects.get(pk=project.pk))) == [], slug
        assert history_count() == history, slug


def history_count():
    return sum(m._default_manager.count() for m in apps.get_models() if _historical(m))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data["parts"]["risks"][0].update(date_raised="not a date"),
        lambda data: data["parts"]["risks"][0].update(owner="stakeholders/99"),
        lambda data: data["parts"]["risks"].append(dict(data["parts"]["risks"][0], key="risks/2")),  # number twice
        lambda data: data["parts"]["stakeholders"][0].pop("name"),
        lambda data: data["parts"].update(risks="nonsense"),
    ],
    ids=["bad date", "unknown link", "duplicate risk number", "missing field", "wrong shape"],
)
@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_in_words_and_restores_nothing(damage):
    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source", name="Source")
    person = make_stakeholder(source, name="Priya")
    make_risk(source, owner=person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive.export_archive(source))) as original, zipfile.ZipFile(buffer, "w") as copy:
        data = json.loads(original.read("archive.json"))
        damage(data)
        copy.writestr("archive.json", json.dumps(data))
    target = empty_project("target", owner)
    with pytest.raises(archive.ArchiveError, match="Nothing was restored"):
        archive.restore_archive(project=target, content=buffer.getvalue(), by=owner)
    target.refresh_from_db()
    assert target.name == "Empty target" and not target.stakeholders.exists()
    assert not Risk.objects.filter(project=target).exists()


# Commands and cost -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_commands_write_and_restore_an_archive_and_refuse_in_one_line(tmp_path):
    from django.core.management import CommandError, call_command

    owner = make_user("owner")
    source = make_project(members={owner: Membership.Role.BUYER}, slug="source", name="Source")
    make_stakeholder(source, name="Priya")
    empty_project("target", owner)
    file = tmp_path / "source.zip"
    out = io.StringIO()
    call_command("export_archive", "source", str(file), stdout=out)
    assert "Wrote source to" in out.getvalue()
    call_command("restore_archive", "target", str(file), "--by", "owner", stdout=out)
    assert "Restored 2 records into target." in out.getvalue()  # the member and the stakeholder
    assert Project.objects.get(slug="target").stakeholders.get().name == "Priya"
    with pytest.raises(CommandError, match="^Source already has stakeholders"):
        call_command("restore_archive", "target", str(file), "--by", "owner")
    with pytest.raises(CommandError, match="No project has the slug 'nowhere'"):
        call_command("restore_archive", "nowhere", str(file), "--by", "owner")
    with pytest.raises(CommandError, match="No account has the username 'nobody'"):
        call_command("restore_archive", "target", str(file), "--by", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore_archive", "target", str(tmp_path / "missing.zip"), "--by", "owner")


def fill(project, n):
    people = [make_stakeholder(project, name=f"Person {i}") for i in range(n)]
    for i in range(n):
        milestone = make_milestone(project, owner=people[i])
        milestone.depends_on.add(*project.milestones.exclude(pk=milestone.pk)[:1])
        make_risk(project, owner=people[i])


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.django_db
def test_the_archive_download_query_count_does_not_grow_with_rows(client_as, rows, django_assert_max_num_queries):
    owner = make_user("owner")
    project = make_project(members={owner: Membership.Role.BUYER}, slug="source")
    fill(project, rows)
    client = client_as(owner)
    # session, user, project + membership; one query per archived part (19), one per
    # many-to-many field (3) and the accounts named
    with django_assert_max_num_queries(4 + len(archive.PARTS) + 3 + 1):
        response = client.get(reverse("exchange:archive", args=["source"]))
    assert response.status_code == 200
