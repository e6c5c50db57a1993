"""The shared PDF renderer reads our static files and nothing else."""

import subprocess

import pytest

from mobilise.pdf import StaticOnlyFetcher, html_to_pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file:///static/../etc/hostname",
        "http://127.0.0.1:9/x",
        "https://example.org/a.css",
        "http://169.254.169.254/latest/meta-data/",
        "file://host/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files():
    response = StaticOnlyFetcher().fetch("file:///static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_an_attachment_link_to_a_local_file_embeds_nothing():
    from io import BytesIO

    from pypdf import PdfReader

    pdf = html_to_pdf('<p>Hi</p><link rel="attachment" href="file:///etc/hostname">')
    reader = PdfReader(BytesIO(pdf))
    assert reader.attachments == {}
    assert "Hi" in reader.pages[0].extract_text()


# Accessible PDFs: every PDF is tagged PDF/UA with title, author, subject and language ----------


def pdf_info(data: bytes) -> dict:
    """`pdfinfo`'s fields as a dict ("Tagged" -> "yes")."""
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def pdf_root(data: bytes):
    from io import BytesIO

    from pypdf import PdfReader

    return PdfReader(BytesIO(data)).trailer["/Root"]


def structure_tags(data: bytes) -> set[str]:
    """Every structure element type in the PDF's tag tree (P, H1, Table, TH, TD...)."""
    found, stack = set(), [pdf_root(data)["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "/S" in node:
                found.add(str(node["/S"]).lstrip("/"))
            if "/K" in node:
                stack.append(node["/K"])
    return found


def assert_accessible(data: bytes, *, title: str, subject: str, author: str):
    info = pdf_info(data)
    assert info["Tagged"] == "yes"
    assert title in info["Title"]
    assert subject in info["Subject"]
    assert info["Author"] == author
    assert pdf_root(data)["/Lang"] == "en-GB"  # pdfinfo does not print the document language


@pytest.fixture
def named_project(project):
    project.name, project.project_manager, project.sponsor = "Missed bins", "Pat Manager", "Sam Sponsor"
    project.save()
    return project


@pytest.mark.django_db
def test_the_brief_and_the_plan_pdfs_are_tagged_with_title_author_subject_and_language(member_client, named_project):
    from django.urls import reverse

    brief = member_client.get(reverse("alignment:brief-pdf", args=[named_project.slug])).content
    assert_accessible(brief, title="Project brief: Missed bins", subject="Missed bins", author="Pat Manager")
    plan = member_client.get(reverse("plan:plan-pdf", args=[named_project.slug])).content
    assert_accessible(
        plan, title="Missed bins: work plan", subject="The work plan of Missed bins", author="Pat Manager"
    )


@pytest.mark.django_db
def test_the_report_pdf_is_tagged_and_its_tables_have_header_cells(named_project):
    from projects.reports.pdf import report_pdf
    from tests.factories import make_report, make_risk

    make_risk(named_project, event="Supplier delay")
    pdf, _html = report_pdf(make_report(named_project))
    assert_accessible(
        pdf,
        title="Highlight report 1: Missed bins",
        subject="Highlight report 1 of Missed bins to the project board, 1 Mar 2026 to 31 Mar 2026",
        author="Pat Manager",
    )
    assert {"Table", "TH", "TD", "H1", "H2"} <= structure_tags(pdf)


@pytest.mark.django_db
def test_frozen_minutes_are_tagged_and_named_after_their_session(named_project):
    from alignment import minutes
    from alignment.models import Session
    from tests.factories import fill_session, make_user

    session = fill_session(Session.objects.get_or_create(project=named_project, number=1)[0])
    Session.objects.filter(pk=session.pk).update(status="agreed")
    for username, first, role in (("b1", "Bea", "buyer"), ("o1", "Olu", "officer")):
        user = make_user(username, first_name=first, last_name="Signer")
        session.signoffs.create(project=named_project, user=user, role=role)
    frozen = minutes.freeze(Session.objects.get(pk=session.pk))
    assert_accessible(
        bytes(frozen.pdf),
        title="Minutes of session 1: Missed bins",
        subject="Minutes of alignment session 1",
        author="Bea Signer and Olu Signer",  # the people who signed them
    )
