from django.core.management.base import CommandError
from django.db import transaction

from projects.management.base import MobiliseCommand
from projects.reports.models import HighlightReport

PREFIX = "Reopened as a draft: "
MAX_REASON = 100 - len(PREFIX)  # simple-history's change reason holds 100 characters


class Command(MobiliseCommand):
    help = (
        "Turn a project's latest issued highlight report back into a draft (it was issued by mistake). "
        "Its PDF and snapshot are dropped; the reason is kept in the report's history. Admin never does this."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The project's slug, e.g. bucks-procurement.")
        parser.add_argument("number", type=int, help="The report's number within the project.")
        parser.add_argument("--reason", required=True, help="Why, in words; kept in the report's history.")

    def handle(self, *args, slug, number, reason, **options):
        reason = " ".join(reason.split())
        if not reason:
            raise CommandError('Give a reason (--reason "..."): it is kept in the report\'s history.')
        if len(reason) > MAX_REASON:
            raise CommandError(f"The reason is {len(reason)} characters long; keep it to {MAX_REASON}.")
        project = self.project(slug)
        with transaction.atomic():
            report = HighlightReport.objects.select_for_update().filter(project=project, number=number).first()
            if report is None:
                raise CommandError(f"{project.name} has no highlight report {number}.")
            if not report.is_issued:
                raise CommandError(f"Highlight report {number} of {project.name} is a draft already.")
            later = project.reports.filter(number__gt=number).order_by("number").first()
            if later is not None:
                state = "issued" if later.is_issued else "a draft"
                raise CommandError(
                    f"Report {later.number} ({state}) follows report {number}: only the latest report may be "
                    f"reopened, and a project holds one draft at a time."
                )
            report.issued_at = report.issued_by = report.pdf = None
            report.pdf_sha256 = ""
            report.snapshot = {}
            report.version += 1
            report._change_reason = PREFIX + reason
            report.save()
        self.stdout.write(f"Highlight report {number} of {project.name} is a draft again ({reason}).")
