"""Sending one email now, loudly: the one place that knows how a send fails."""

import logging

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send(subject: str, body: str, to: list[str], *, about: str) -> str:
    """Send from DEFAULT_FROM_EMAIL. Returns "" when sent, else the failure in a line (for the
    record that asked, to show), logged as an error naming `about`."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        logger.error("%s: the email could not be sent: %s", about, error)
        return f"{type(error).__name__}: {error}"[:300]
    return ""
