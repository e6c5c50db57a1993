from django.core.management.base import CommandError

from projects.exchange.export import export_project
from projects.management.base import MobiliseCommand
from projects.models import Project


class Command(MobiliseCommand):
    help = "Export the whole project (every register) as one .xlsx workbook that import_xlsx reads back."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The project's slug.")
        parser.add_argument("file", help="Where to write the .xlsx file.")

    def handle(self, slug, file, **options):
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"No project has the slug “{slug}”.")
        data = export_project(project)
        try:
            with open(file, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Wrote {project.slug} to {file} ({len(data):,} bytes).")
