"""An upload is read once: the preview and the confirmation use what the upload kept. Damaged
zips get the plain message; ten confirmations at once import once."""

import io
import struct
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mobilise.spreadsheets import pack_sheets, read_workbook, unpack_sheets
from projects.exchange import views
from projects.exchange.models import PendingImport
from projects.models import Membership
from tests.factories import make_project, make_user
from tests.spreadsheets.conftest import real_world, shared_strings_workbook

from .test_import_views import upload

PEOPLE = [["Name", "Organisation", "Role"]] + [[f"Person {i} Zephyrine", "Council", "Officer"] for i in range(3)]


def test_the_preview_and_the_confirmation_never_read_the_file_again(member_client, project, monkeypatch):
    preview_url = upload(member_client, project, "stakeholders", real_world("Ai-Catalysts_RACI.xlsx"))["Location"]

    def no_second_reading(*args, **kwargs):
        raise AssertionError("the workbook was read again")

    monkeypatch.setattr(views, "read_workbook", no_second_reading)
    assert "“Register”" in member_client.get(preview_url).text
    assert "No header row in sheet “Grid”" in member_client.get(preview_url, {"sheet": "Grid"}).text
    assert member_client.post(preview_url, {"confirm": "1", "sheet": "Register"}).status_code == 302
    assert project.stakeholders.count() == 8


def test_a_preview_get_writes_nothing_and_leaves_the_kept_cells_in_the_database(member_client, project):
    preview_url = upload(member_client, project, "milestones", real_world("kunalpatil3008_Programme_Milestones.xlsx"))[
        "Location"
    ]
    with CaptureQueriesContext(connection) as queries:
        page = member_client.get(preview_url).text
    assert "80 to add, 0 to update" in page
    sql = [q["sql"].lstrip().upper() for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert not [q for q in sql if "WORKBOOK" in q]  # the page is drawn from the kept preview alone


def test_the_upload_keeps_the_cells_not_the_file(member_client, project):
    data = real_world("kunalpatil3008_Risk_Register.xlsx")
    upload(member_client, project, "risks", data)
    pending = PendingImport.objects.get()
    assert [(s.title, s.rows, s.hidden, s.formulas) for s in unpack_sheets(pending.workbook)] == [
        (s.title, s.rows, s.hidden, s.formulas) for s in read_workbook(data)
    ]
    assert not hasattr(pending, "data") and pending.preview["row_count"] == 25


def test_packed_cells_keep_dates_times_numbers_and_blank_rows():
    from datetime import date, datetime, time, timedelta

    from mobilise.spreadsheets.opening import Sheet

    sheets = [
        Sheet(
            "A",
            [
                ("x", 1, 2.5, True, None),
                (),
                (datetime(2026, 5, 1, 9, 30), date(2026, 5, 2), time(8, 15), timedelta(days=1, seconds=5)),
            ],
            formulas=frozenset({(3, 1)}),
        )
    ]
    assert unpack_sheets(pack_sheets(sheets)) == sheets


def damaged(rows, marker: bytes, member: str) -> bytes:
    """A workbook whose `member` is stored uncompressed and has one byte changed after its CRC
    was written: the zip's directory is fine, reading that member to its end is not."""
    people = [[f"Person {i} Zephyrine", "Council", "Officer", 900000000 + i] for i in range(rows)]
    source = zipfile.ZipFile(io.BytesIO(shared_strings_workbook(["Name", "Organisation", "Role", "Phone"], people)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
    raw = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(member)
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    at = raw.rindex(marker, start, start + info.file_size)  # the last one: read only at the member's end
    raw[at] ^= 0x01
    with pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):
        zipfile.ZipFile(io.BytesIO(bytes(raw))).read(member)
    return bytes(raw)


DAMAGED_FILES = [
    pytest.param(3, b"Zephyrine", "xl/sharedStrings.xml", id="short member, caught by the first look"),
    pytest.param(400, b"Zephyrine", "xl/sharedStrings.xml", id="long list of texts, caught while reading it"),
    pytest.param(400, b"900000399", "xl/worksheets/sheet1.xml", id="long sheet, caught while reading its rows"),
]


@pytest.mark.parametrize("rows,marker,member", DAMAGED_FILES)
def test_a_member_with_a_bad_checksum_is_a_damaged_file_on_the_upload_page(
    member_client, project, rows, marker, member
):
    response = upload(member_client, project, "stakeholders", damaged(rows, marker, member))
    assert response.status_code == 200
    assert "The file is damaged: it is not a readable .xlsx workbook." in response.text
    assert not PendingImport.objects.exists() and not project.stakeholders.exists()


@pytest.mark.parametrize("rows,marker,member", DAMAGED_FILES)
def test_a_member_with_a_bad_checksum_is_a_damaged_file_on_the_command_line(project, tmp_path, rows, marker, member):
    path = tmp_path / "people.xlsx"
    path.write_bytes(damaged(rows, marker, member))
    with pytest.raises(CommandError) as caught:
        call_command("import_xlsx", project.slug, "stakeholders", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(caught.value) == "The file is damaged: it is not a readable .xlsx workbook. Nothing was imported."
    assert not project.stakeholders.exists()


@pytest.mark.django_db(transaction=True)
def test_ten_confirmations_at_once_import_the_rows_once_and_none_fails():
    buyer = make_user("buyer-ten")
    project = make_project(members={buyer: Membership.Role.BUYER}, name="Ten clicks", slug="ten-clicks")
    first = Client()
    first.force_login(buyer)
    preview_url = upload(first, project, "stakeholders", real_world("Ai-Catalysts_RACI.xlsx"))["Location"]
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(buyer)
        clients.append(client)
    start = threading.Barrier(10)

    def confirm(client):
        try:
            start.wait()
            response = client.post(preview_url, {"confirm": "1", "sheet": "Register"}, follow=True)
            return response.status_code, response.text
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(confirm, clients))
    assert [status for status, _ in results] == [200] * 10
    imported = [text for _, text in results if "Imported register.xlsx: 8 added" in text]
    told = [text for _, text in results if "register.xlsx has already been imported; nothing more was saved." in text]
    assert (len(imported), len(told)) == (1, 9)
    assert project.stakeholders.count() == 8
    assert PendingImport.objects.get().imported_at is not None
