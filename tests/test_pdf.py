"""The shared PDF renderer reads our static files and nothing else."""

import pytest

from mobilise.pdf import StaticOnlyFetcher, html_to_pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file:///static/../etc/hostname",
        "http://127.0.0.1:9/x",
        "https://example.org/a.css",
        "http://169.254.169.254/latest/meta-data/",
        "file://host/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files():
    response = StaticOnlyFetcher().fetch("file:///static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_an_attachment_link_to_a_local_file_embeds_nothing():
    from io import BytesIO

    from pypdf import PdfReader

    pdf = html_to_pdf('<p>Hi</p><link rel="attachment" href="file:///etc/hostname">')
    reader = PdfReader(BytesIO(pdf))
    assert reader.attachments == {}
    assert "Hi" in reader.pages[0].extract_text()
