"""Remind the awaited party of sessions waiting for a second signature (alignment/turns.py).
Run once a day by a scheduler, e.g. cron: `15 8 * * * cd /srv/mobilise && .venv/bin/python
manage.py remind_signatures`."""

from django.conf import settings
from django.core.management.base import CommandError

from alignment import turns
from projects.management.base import MobiliseCommand


class Command(MobiliseCommand):
    help = "Email the other party of every session that has waited for their signature for N days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SIGNATURE_REMINDER_DAYS,
            help=f"days a signature waits before a reminder (default SIGNATURE_REMINDER_DAYS, {settings.SIGNATURE_REMINDER_DAYS})",
        )

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        sessions, sent = turns.remind(days=days)
        self.stdout.write(f"Reminded {sent} people about {sessions} sessions waiting {days} days or more.")
