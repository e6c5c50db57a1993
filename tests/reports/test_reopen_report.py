from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.advisory.conftest import make_report
from tests.factories import make_project

pytestmark = pytest.mark.django_db(transaction=True)

ISSUED = datetime(2026, 2, 1, tzinfo=UTC)


def reopen(*args):
    out = StringIO()
    call_command("reopen_report", *args, stdout=out)
    return out.getvalue()


def test_reopening_the_latest_issued_report_makes_it_a_draft_with_the_reason_in_its_history():
    project = make_project(slug="council")
    report = make_report(project, 1, issued_at=ISSUED)
    assert "is a draft again" in reopen("council", "1", "--reason", "Issued with last month's figures")
    report.refresh_from_db()
    assert report.issued_at is None and report.pdf is None and report.pdf_sha256 == ""
    latest = report.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Reopened as a draft: Issued with last month's figures"
    assert report.history.order_by("-history_id")[1].issued_at == ISSUED  # the issued state is kept


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere", "1", "--reason", "x"], "No project has the slug 'nowhere'."),
        (["council", "9", "--reason", "x"], "has no highlight report 9"),
        (["council", "2", "--reason", "x"], "is a draft already"),
        (["council", "1", "--reason", "   "], "Give a reason"),
        (["council", "1", "--reason", "y" * 80], "keep it to 79"),
        (["council", "1", "--reason", "x"], "Report 2 (a draft) follows report 1"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(args, message):
    project = make_project(slug="council")
    issued = make_report(project, 1, issued_at=ISSUED)
    make_report(project, 2)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        reopen(*args)
    issued.refresh_from_db()
    assert issued.issued_at == ISSUED and issued.history.count() == 1
