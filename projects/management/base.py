"""The base of Mobilise's management commands: every failure is one line, never a traceback."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from projects.models import Project


class MobiliseCommand(BaseCommand):
    def execute(self, *args, **options):
        # System checks already connect (PostgreSQL's GeneratedField check), so a database
        # that cannot be reached fails here, before handle().
        try:
            return super().execute(*args, **options)
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"The database failed: {reason}") from None

    def project(self, slug) -> Project:
        """The project at `slug`, or the one-line error every command gives."""
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"No project has the slug {slug!r}.")
        return project
