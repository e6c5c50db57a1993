"""Render HTML to PDF bytes with WeasyPrint, reading nothing but our own static files.

WeasyPrint's default fetcher reads file:// URLs (a `<link rel="attachment">` embeds a local
file in the PDF) and fetches http(s):// URLs. Ours serves `/static/...` from the staticfiles
finders and refuses every other URL, so user text can never make a PDF read or fetch
anything, even if escaping were ever to fail.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "file:///"


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/... from the staticfiles finders; refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = posixpath.normpath(unquote(parts.path))
        if parts.scheme != "file" or parts.netloc or not path.startswith("/static/"):
            raise ValueError(f"PDF rendering only reads static files, not {url[:100]!r}")
        relative = path.removeprefix("/static/")
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise ValueError(f"No static file {relative!r}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


# Every PDF is tagged PDF/UA-1 (structure tags, so screen readers follow headings, lists and
# table header cells). WeasyPrint takes the title, author, subject (<meta name=description>) and
# language (<html lang>) from the HTML: templates/pdf_base.html sets them for every PDF.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(pdf_variant=PDF_VARIANT)


def _child_main():
    """`python -m mobilise.pdf < page.html > page.pdf`: the child process a worker renders
    in, under a time limit and a memory ceiling (projects/reports/pdf.py)."""
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilise.settings")
    django.setup()
    html = sys.stdin.buffer.read().decode()
    sys.stdout.buffer.write(html_to_pdf(html))
    sys.stdout.buffer.flush()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))


if __name__ == "__main__":
    _child_main()
