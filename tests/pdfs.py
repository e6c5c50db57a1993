"""Reading PDFs back in tests: the text as poppler's pdftotext extracts it."""

import subprocess


def pdf_text(data: bytes, *, layout=False, squeeze=False) -> str:
    """The PDF's text; `squeeze` makes every run of white space one space (headings may wrap)."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split()) if squeeze else text
