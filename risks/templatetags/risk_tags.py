from django import template
from django.utils.html import format_html

from risks.scale import BAND_LABELS
from risks.trend import sparkline

register = template.Library()


@register.simple_tag
def risk_trend(trends, risk):
    """The risk's score across issued highlight reports; empty until a report is issued."""
    return sparkline(trends.get(risk.reference, []), max_score=risk.settings.max_score)


@register.simple_tag
def band_badge(score, band):
    """A score with its band in words (colour is never the only signal)."""
    if score is None:
        return format_html('<span class="text-body-secondary">{}</span>', "Not assessed")
    return format_html(
        '<span class="band band-{}"><span class="band-score">{}</span> {}</span>',
        band,
        score,
        BAND_LABELS.get(band, ""),
    )
