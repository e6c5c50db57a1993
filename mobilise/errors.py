"""Error pages: plain words, never a stack trace, whatever DEBUG says in production.

htmx requests get a small fragment instead (mobilise.middleware.HtmxErrorMiddleware turns
every 4xx/5xx answer to an htmx request into one), which app.js shows in the #htmx-error
banner of base.html.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# The message an htmx request shows in the banner, by status code.
HTMX_MESSAGES = {
    400: "The request could not be understood. Reload the page and try again.",
    403: "Your role on this project does not allow that change. Nothing was saved.",
    404: "That item is no longer there (someone may have removed it). Reload the page to see the latest.",
    405: "That action is not available here. Reload the page and try again.",
    413: "That upload is too large. Nothing was saved.",
    429: "Too many requests in a short time. Wait a minute, then try again.",
}
HTMX_DEFAULT = "Something went wrong and your last change may not have been saved. Reload the page and try again."
CSRF_MESSAGE = (
    "This page was open too long or your session has ended, so the change was not saved. "
    "Reload the page (log in again if asked) and make the change once more."
)


def htmx_message(status: int) -> str:
    return HTMX_MESSAGES.get(status, HTMX_DEFAULT)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    response = render(request, "403.html", {"csrf_failed": True, "message": CSRF_MESSAGE}, status=403)
    response.htmx_error_message = CSRF_MESSAGE
    return response


def server_error(request):
    # No request context: the failure may be in the database, the session or a context
    # processor, and the error page must not fail the same way.
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:
        logger.exception("The 500 page itself failed to render")
        return HttpResponseServerError(
            "<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>"
            "<p>Please try again in a moment.</p>"
        )
