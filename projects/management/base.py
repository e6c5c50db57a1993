"""The base of Mobilise's management commands: every failure is one line, never a traceback."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class MobiliseCommand(BaseCommand):
    def execute(self, *args, **options):
        # System checks already connect (PostgreSQL's GeneratedField check), so a database
        # that cannot be reached fails here, before handle().
        try:
            return super().execute(*args, **options)
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CommandError(f"The database failed: {reason}") from None
