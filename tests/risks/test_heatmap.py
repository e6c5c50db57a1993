import subprocess

import pytest

from mobilise.pdf import html_to_pdf
from risks.heatmap import heatmap_counts, heatmap_svg, heatmap_table, project_heatmaps
from risks.models import RiskSettings
from risks.scale import band_for_score
from tests.factories import make_project, make_risk


def band_4x4(score):
    return band_for_score(score, (3, 6, 9))


def test_cells_carry_their_count_and_band_in_words_not_only_colour():
    svg = heatmap_svg({(3, 3): 2, (1, 4): 1}, scale=4, band_for=band_4x4, title="Inherent")
    assert svg.count("<rect") == 16
    assert "Likelihood 3, impact 3, score 9 (High): 2 risks" in svg
    assert "Likelihood 1, impact 4, score 4 (Medium): 1 risk<" in svg
    assert ">Very high</text>" in svg and ">Low</text>" in svg
    assert "style=" not in svg and "<style" not in svg  # presentation attributes only (CSP, WeasyPrint)


def test_cells_with_risks_link_to_the_filtered_register_and_empty_cells_do_not():
    svg = heatmap_svg({(2, 3): 1}, scale=4, band_for=band_4x4, title="T", link_for=lambda l, i: f"/r/?l={l}&i={i}")
    assert svg.count("<a ") == 1
    assert 'href="/r/?l=2&amp;i=3"' in svg


def test_without_link_for_there_are_no_links_for_the_pdf():
    assert "<a " not in heatmap_svg({(2, 3): 1}, scale=4, band_for=band_4x4, title="T")


def test_a_5x5_map_has_25_cells():
    svg = heatmap_svg({}, scale=5, band_for=lambda s: band_for_score(s, (4, 9, 14)), title="T")
    assert svg.count("<rect") == 25


def test_the_title_is_escaped():
    svg = heatmap_svg({}, scale=4, band_for=band_4x4, title="<script>x</script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_the_table_alternative_has_the_same_counts():
    table = heatmap_table({(4, 4): 3}, scale=4, band_for=band_4x4, caption="Inherent")
    assert "<caption>Inherent</caption>" in table
    assert '<th scope="row">Likelihood 4</th>' in table and '<th scope="col">Impact 4</th>' in table
    assert "3 (Very high, score 16)" in table


@pytest.mark.django_db
def test_counts_come_from_one_query_and_residual_falls_back_to_inherent(django_assert_num_queries):
    project = make_project()
    make_risk(project, likelihood=3, impact=3, residual_likelihood=1, residual_impact=2)
    make_risk(project, likelihood=3, impact=3)
    make_risk(project, likelihood=4, impact=4, status="closed")
    with django_assert_num_queries(1):
        inherent, residual = heatmap_counts(project.risks.open())
    assert inherent == {(3, 3): 2}
    assert residual == {(1, 2): 1, (3, 3): 1}


@pytest.mark.django_db
def test_the_same_svg_renders_in_a_pdf_with_its_words(tmp_path):
    project = make_project()
    RiskSettings.objects.create(project=project)
    make_risk(project, likelihood=3, impact=3)
    maps = project_heatmaps(project)
    assert "<a " not in maps["inherent_svg"]
    pdf = html_to_pdf(f"<html><body>{maps['inherent_svg']}{maps['residual_svg']}</body></html>")
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Inherent risk (before action)" in text and "Residual risk (after action)" in text
    assert "Very high" in text and "Medium" in text
