"""Project-wide middleware: request size limit and error fragments for htmx."""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from .errors import htmx_message


def is_htmx(request) -> bool:
    # HtmxMiddleware runs later in the chain, so read the header itself.
    return request.headers.get("HX-Request") == "true"


class HtmxErrorMiddleware:
    """Answer every failing htmx request (4xx/5xx) with a small HTML fragment in plain words.

    htmx 2 does not swap error responses; app.js reads the fragment's text into the
    #htmx-error banner. A full error page or a traceback is never what the banner shows.
    Responses that steer htmx themselves (HX-Retarget/HX-Reswap) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_htmx(request) or response.status_code < 400 or response.streaming:
            return response
        if "HX-Retarget" in response or "HX-Reswap" in response:
            return response
        message = getattr(response, "htmx_error_message", None) or htmx_message(response.status_code)
        response.content = render_to_string(
            "includes/htmx_error.html", {"message": message, "status": response.status_code}
        )
        response["Content-Type"] = "text/html; charset=utf-8"
        # CommonMiddleware (further in) has already set the length of the old body.
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["HX-Request"])
        return response


class RequestSizeLimitMiddleware:
    """Refuse request bodies over MAX_REQUEST_BYTES before anything reads them.

    DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields but not files; without this an upload
    of any size would be spooled to disk before a view could say no. The limit sits above
    MAX_UPLOAD_BYTES so that a file just over the spreadsheet limit still reaches the
    import page and gets its specific message there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            megabytes = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            message = f"That upload is too large: files may be up to {megabytes} MB. Nothing was saved."
            response = render(request, "400.html", {"heading": "Upload too large", "message": message}, status=413)
            response.htmx_error_message = message
            return response
        return self.get_response(request)
