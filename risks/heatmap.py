"""The LxI heat map: one server-side SVG for the web page and the PDF, plus a table alternative.

WeasyPrint renders inline SVG but not CSS from the page, so every colour and position is a
presentation attribute. Each cell carries its count and its band in words: colour is never
the only signal. On the page, cells link to the register filtered to that cell; in the PDF,
`link_for` is None and there are no links.
"""

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .scale import BAND_FILLS, BAND_LABELS, BAND_TEXT

CELL = 64
LEFT = 76  # room for the likelihood axis
TOP = 34  # room for the title
BOTTOM = 52  # room for the impact axis


def heatmap_svg(counts, *, scale, band_for, title, link_for=None) -> SafeString:
    """An SVG grid, likelihood up the side (highest at the top), impact along the bottom.

    counts: {(likelihood, impact): n}; band_for(score) -> band name; link_for(l, i) -> URL
    or None for a cell without a link.
    """
    width = LEFT + scale * CELL + 8
    height = TOP + scale * CELL + BOTTOM
    total = sum(counts.get((l, i), 0) for l in range(1, scale + 1) for i in range(1, scale + 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="group" aria-label="{escape(title)}: {total} risk{"" if total == 1 else "s"}; '
        f'a table of the same counts follows" font-family="Helvetica, Arial, sans-serif">',
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold" fill="#1d1d1d">{escape(title)}</text>',
    ]
    for likelihood in range(scale, 0, -1):
        y = TOP + (scale - likelihood) * CELL
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + CELL / 2 + 5:g}" font-size="13" text-anchor="end" fill="#1d1d1d">{likelihood}</text>'
        )
        for impact in range(1, scale + 1):
            x = LEFT + (impact - 1) * CELL
            parts.append(_cell(x, y, likelihood, impact, counts.get((likelihood, impact), 0), band_for, link_for))
    axis_y = TOP + scale * CELL
    for impact in range(1, scale + 1):
        x = LEFT + (impact - 1) * CELL + CELL / 2
        parts.append(
            f'<text x="{x:g}" y="{axis_y + 18}" font-size="13" text-anchor="middle" fill="#1d1d1d">{impact}</text>'
        )
    parts.append(
        f'<text x="{LEFT + scale * CELL / 2:g}" y="{axis_y + 40}" font-size="13" text-anchor="middle" '
        f'fill="#1d1d1d">Impact →</text>'
    )
    mid = TOP + scale * CELL / 2
    parts.append(
        f'<text x="16" y="{mid:g}" font-size="13" text-anchor="middle" fill="#1d1d1d" '
        f'transform="rotate(-90 16 {mid:g})">Likelihood →</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _cell(x, y, likelihood, impact, count, band_for, link_for):
    band = band_for(likelihood * impact)
    label = BAND_LABELS.get(band, str(band).replace("_", " ").capitalize())
    fill, ink = BAND_FILLS.get(band, "#e9ecef"), BAND_TEXT.get(band, "#1d1d1d")
    noun = "risk" if count == 1 else "risks"
    description = f"Likelihood {likelihood}, impact {impact}, score {likelihood * impact} ({label}): {count} {noun}"
    body = (
        f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{fill}" stroke="#ffffff" stroke-width="2"/>'
        f'<text class="heatmap-count" x="{x + CELL / 2:g}" y="{y + 30}" font-size="{20 if count else 16}" font-weight="bold" '
        f'text-anchor="middle" fill="{ink}">{count}</text>'
        f'<text x="{x + CELL / 2:g}" y="{y + 50}" font-size="10" text-anchor="middle" fill="{ink}">{label}</text>'
    )
    # Empty cells are not links: fewer tab stops, and no link to an empty list.
    url = link_for(likelihood, impact) if (link_for and count) else None
    if url:
        return (
            f'<a href="{escape(url)}" class="heatmap-cell" aria-label="{escape(description)}: show them">'
            f"<title>{escape(description)}</title>{body}</a>"
        )
    return f'<g class="heatmap-cell"><title>{escape(description)}</title>{body}</g>'


def heatmap_table(counts, *, scale, band_for, caption, link_for=None) -> SafeString:
    """The same counts as a table: the alternative for screen readers and for print."""
    head = format_html_join("", '<th scope="col">Impact {}</th>', ((i,) for i in range(1, scale + 1)))
    rows = []
    for likelihood in range(scale, 0, -1):
        cells = []
        for impact in range(1, scale + 1):
            count = counts.get((likelihood, impact), 0)
            band = band_for(likelihood * impact)
            label = BAND_LABELS.get(band, str(band).replace("_", " ").capitalize())
            url = link_for(likelihood, impact) if (link_for and count) else None
            text = format_html("{} ({}, score {})", count, label, likelihood * impact)
            cells.append(
                format_html('<td><a href="{}">{}</a></td>', url, text) if url else format_html("<td>{}</td>", text)
            )
        rows.append(format_html('<tr><th scope="row">Likelihood {}</th>{}</tr>', likelihood, mark_safe("".join(cells))))
    return format_html(
        '<table class="table table-sm heatmap-table"><caption>{}</caption><thead><tr><td></td>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        caption,
        head,
        mark_safe("".join(rows)),
    )


def heatmap_counts(risks):
    """(inherent, residual) counts {(l, i): n} of a queryset of risks in one query.

    A risk without a residual assessment counts at its inherent position on the residual map.
    """
    rows = (
        risks.order_by()
        .values(
            "likelihood",
            "impact",
            rl=Coalesce("residual_likelihood", "likelihood"),
            ri=Coalesce("residual_impact", "impact"),
        )
        .annotate(n=Count("id"))
    )
    inherent, residual = {}, {}
    for row in rows:
        key = (row["likelihood"], row["impact"])
        inherent[key] = inherent.get(key, 0) + row["n"]
        key = (row["rl"], row["ri"])
        residual[key] = residual.get(key, 0) + row["n"]
    return inherent, residual


def project_counts(project):
    """Counts for the project's live risks (open or occurred), inherent and residual."""
    return heatmap_counts(project.risks.open())


def project_heatmaps(project, *, link_for=None, residual_link_for=None) -> dict:
    """Both heat maps of a project and their tables, ready for a page or a PDF (no links
    unless given). Two queries at most: the settings (once per project) and the counts."""
    from .models import settings_for

    settings = settings_for(project)
    inherent, residual = project_counts(project)
    common = {"scale": settings.scale, "band_for": settings.band_for}
    return {
        "inherent_svg": heatmap_svg(inherent, title="Inherent risk (before action)", link_for=link_for, **common),
        "residual_svg": heatmap_svg(
            residual, title="Residual risk (after action)", link_for=residual_link_for, **common
        ),
        "inherent_table": heatmap_table(
            inherent, caption="Inherent risk: live risks by likelihood and impact", link_for=link_for, **common
        ),
        "residual_table": heatmap_table(
            residual,
            caption="Residual risk: live risks by residual likelihood and impact",
            link_for=residual_link_for,
            **common,
        ),
        "total": sum(inherent.values()),
    }
