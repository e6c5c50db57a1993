"""The brief as PDF bytes, from the same data as the web page."""

from mobilise.pdf import render_pdf

from .brief import brief_context


def brief_pdf(project) -> bytes:
    return render_pdf("alignment/brief_pdf.html", brief_context(project))
