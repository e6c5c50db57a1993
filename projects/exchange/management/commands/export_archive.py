from django.core.management.base import CommandError

from projects.exchange.archive import export_archive
from projects.management.base import MobiliseCommand


class Command(MobiliseCommand):
    help = "Write the whole project (every record, every issued PDF) as one .zip archive that restore_archive reads."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The project's slug.")
        parser.add_argument("file", help="Where to write the .zip file.")

    def handle(self, slug, file, **options):
        project = self.project(slug)
        data = export_archive(project)
        try:
            with open(file, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Wrote {project.slug} to {file} ({len(data):,} bytes).")
