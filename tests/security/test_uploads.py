"""Global limits on what a request may carry (the import pages check workbooks themselves)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_a_form_post_larger_than_the_memory_limit_is_refused_and_changes_nothing(member_client, project, settings):
    url = f"/projects/{project.slug}/stakeholders/"
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = member_client.post(url, {"name": "Huge", "kind": "approver", "approval_criteria": big})
    assert response.status_code == 400
    assert "could not be understood" in response.text
    assert not project.stakeholders.exists()


def test_a_post_with_thousands_of_fields_is_refused(member_client, project):
    fields = {f"f{n}": "x" for n in range(1500)}
    response = member_client.post(f"/projects/{project.slug}/stakeholders/", {"name": "Many", **fields})
    assert response.status_code == 400
    assert not project.stakeholders.exists()


def test_the_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.MAX_UPLOAD_BYTES <= 10 * 1024 * 1024
    assert settings.MAX_UPLOAD_BYTES < settings.MAX_REQUEST_BYTES <= 4 * settings.MAX_UPLOAD_BYTES


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024, MAX_REQUEST_BYTES=2 * 1024 * 1024)
def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(member_client, project):
    upload = SimpleUploadedFile("risks.xlsx", b"PK" + b"\0" * (2 * 1024 * 1024 + 10))
    response = member_client.post(
        f"/projects/{project.slug}/stakeholders/", {"name": "Attached", "kind": "approver", "file": upload}
    )
    assert response.status_code == 413
    assert "too large: files may be up to 1 MB" in response.text
    assert not project.stakeholders.exists()


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024, MAX_REQUEST_BYTES=2 * 1024 * 1024)
def test_an_htmx_upload_over_the_limit_gets_the_message_as_a_fragment(member_client, project):
    upload = SimpleUploadedFile("risks.xlsx", b"\0" * (3 * 1024 * 1024))
    response = member_client.post(
        f"/projects/{project.slug}/stakeholders/", {"file": upload}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 413
    assert response.text.startswith('<div class="htmx-error-fragment"')
    assert "too large" in response.text


# What each import page refuses, whatever the file claims to be.
WRONG_FILES = [
    ("people.csv", b"name,kind\nDana,approver\n", "Only Excel Workbooks (.xlsx)"),
    ("macros.xlsm", b"PK\x03\x04", "macros"),
    ("setup.exe", b"MZ\x90\x00", "Choose an Excel Workbook"),
    ("renamed.xlsx", b"name,kind\nDana,approver\n", ""),  # a CSV renamed: not a workbook inside
    ("empty.xlsx", b"", ""),
]


def import_kinds():
    from projects.importing import available_kinds

    return available_kinds()


def pending_imports(project):
    from projects.exchange.models import PendingImport

    return PendingImport.objects.filter(project=project).count()


@pytest.mark.parametrize("filename,content,message", WRONG_FILES)
def test_every_import_page_refuses_files_that_are_not_workbooks_and_keeps_nothing(
    filename, content, message, member_client, project
):
    kinds = import_kinds()
    assert kinds, "the import pages exist"
    for kind in kinds:
        upload = SimpleUploadedFile(filename, content)
        response = member_client.post(f"/projects/{project.slug}/import/{kind}/", {"file": upload})
        assert response.status_code == 200, kind  # the form again, with the reason
        assert message in response.text, kind
        assert 'class="invalid-feedback' in response.text or "alert-danger" in response.text, kind
    assert pending_imports(project) == 0
    assert not project.stakeholders.exists()


def test_a_workbook_just_over_the_import_limit_reaches_the_import_page_and_gets_its_message(
    member_client, project, settings
):
    # Below the global request limit, so the import page itself explains the 5 MB limit.
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * (settings.MAX_UPLOAD_BYTES + 10))
    response = member_client.post(f"/projects/{project.slug}/import/{import_kinds()[0]}/", {"file": upload})
    assert response.status_code == 200
    assert "larger than the 5 MB limit" in response.text
    assert pending_imports(project) == 0
