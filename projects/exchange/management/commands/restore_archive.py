from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from projects.exchange.archive import ArchiveError, restore_archive
from projects.management.base import MobiliseCommand


class Command(MobiliseCommand):
    help = "Restore a project archive (.zip from export_archive) into an empty project, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The slug of the empty project to restore into.")
        parser.add_argument("file", help="The archive (.zip).")
        parser.add_argument("--by", required=True, help="Username recorded in the history as having restored it.")

    def handle(self, slug, file, by, **options):
        project = self.project(slug)
        user = get_user_model()._default_manager.filter(username=by).first()
        if user is None:
            raise CommandError(f"No account has the username {by!r}.")
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None
        try:
            counts = restore_archive(project=project, content=content, by=user)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        total = sum(counts.values())
        self.stdout.write(f"Restored {total:,} records into {project.slug}.")
