"""Writes that touch every risk of a project at once."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from . import scale as scales
from .models import Risk, RiskSettings

VALUE_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


class ScaleChangeRefused(Exception):
    """The change would leave values outside the new scale, or someone changed the settings first."""


@dataclass
class Move:
    risk: Risk
    before: tuple  # (likelihood, impact, residual_likelihood, residual_impact)
    after: tuple


def outside_scale(project, new_scale):
    """Risks (closed ones included) holding any value the new scale cannot express."""
    over = Q()
    for name in VALUE_FIELDS:
        over |= Q(**{f"{name}__gt": new_scale})
    return project.risks.filter(over).order_by("number")


def planned_moves(project, new_scale, mapping_key, old_scale) -> list[Move]:
    """What `mapping_key` would do to each risk whose values change (for the preview)."""
    _, table = scales.MAPPINGS[(old_scale, new_scale)][mapping_key]
    moves = []
    for risk in project.risks.order_by("number"):
        before = tuple(getattr(risk, n) for n in VALUE_FIELDS)
        after = tuple(None if v is None else table.get(v, v) for v in before)
        if after != before:
            moves.append(Move(risk, before, after))
    return moves


@transaction.atomic
def risk_scale_change(*, project, new_scale: int, mapping_key: str, expected_version: int) -> int:
    """Move the project to `new_scale`, mapping every risk's values (history keeps each
    change), and reset the band thresholds to the new scale's defaults. Returns how many
    risks changed. Raises ScaleChangeRefused and changes nothing when values would fall
    outside the new scale or the settings changed since the page was opened."""
    settings, _ = RiskSettings.objects.get_or_create(project=project)
    settings = RiskSettings.objects.select_for_update().get(pk=settings.pk)
    if settings.version != expected_version or settings.scale == new_scale:
        raise ScaleChangeRefused("Someone else changed this project's risk scale meanwhile. Check it and try again.")
    options = scales.MAPPINGS.get((settings.scale, new_scale), {})
    if mapping_key not in options:
        raise ScaleChangeRefused("Choose one of the listed ways to move existing scores.")
    _, table = options[mapping_key]
    moves = planned_moves(project, new_scale, mapping_key, settings.scale)
    stranded = [m.risk.reference for m in moves if any(v is not None and v > new_scale for v in m.after)]
    if mapping_key == "keep":
        stranded = list(outside_scale(project, new_scale).values_list("number", flat=True))
        stranded = [f"R{n}" for n in stranded]
    if stranded:
        raise ScaleChangeRefused(
            f"{len(stranded)} risk(s) ({', '.join(stranded[:20])}{'…' if len(stranded) > 20 else ''}) have values above "
            f"{new_scale}, which the {new_scale}x{new_scale} scale cannot hold. Nothing was changed: choose another "
            "way to move them, or lower those values first."
        )
    # One save per risk (not a bulk update) so history records each score change.
    for move in moves:
        risk = move.risk
        for name, value in zip(VALUE_FIELDS, move.after):
            setattr(risk, name, value)
        risk.version += 1
        risk.save()
    settings.scale = new_scale
    settings.low_max, settings.medium_max, settings.high_max = scales.DEFAULT_THRESHOLDS[new_scale]
    settings.version += 1
    settings.save()
    project.risk_settings = settings
    return len(moves)
