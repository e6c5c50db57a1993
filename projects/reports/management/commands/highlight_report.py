from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from projects.management.base import MobiliseCommand
from projects.reports import rendering, services
from projects.reports.pdf import ReportRenderError, report_pdf


class Command(MobiliseCommand):
    help = (
        "Write the PDF of a project's latest issued highlight report, or else a draft of the current "
        "period (nothing is saved for a draft)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The project's slug, e.g. bucks-procurement.")
        parser.add_argument("--output", "-o", help="Where to write the PDF (default: SLUG-highlight-report-N.pdf).")

    def handle(self, *args, slug, output=None, **options):
        project = self.project(slug)
        report = project.reports.latest_issued().first()
        try:
            if report is not None:
                pdf = rendering.stored_pdf(report)
                if pdf is None:
                    pdf, _ = report_pdf(report)
                what = f"issued report {report.number}"
            elif (report := project.reports.drafts().first()) is not None:
                pdf, _ = report_pdf(report)  # the draft already started (one at a time)
                what = f"draft report {report.number}"
            else:
                # A draft of the current period, rolled back: the command changes nothing.
                with transaction.atomic():
                    start, end = services.next_period(project)
                    report = services.report_create(project=project, period_start=start, period_end=end)
                    pdf, _ = report_pdf(report)
                    transaction.set_rollback(True)
                what = f"a draft for {start:%d %b %Y} to {end:%d %b %Y}"
        except ReportRenderError as error:
            raise CommandError(str(error)) from None
        path = Path(output or f"{slug}-highlight-report-{report.number}.pdf")
        try:
            path.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {what} of {project.name} to {path} ({len(pdf):,} bytes).")
