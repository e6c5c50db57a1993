from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from projects import access
from projects.inline import inline_delete, inline_edit, inline_list

from . import scale as scales
from .forms import RiskForm, RiskSettingsForm, ScaleChangeForm
from .heatmap import project_heatmaps
from .models import Risk, settings_for
from .services import ScaleChangeRefused, outside_scale, planned_moves, risk_scale_change
from .trend import trends_for

TEMPLATE = "risks/register.html"
SORTS = {
    "score": ("Score, highest first", ["-score", "-impact", "number"]),
    "residual": ("Residual score, highest first", [Coalesce("residual_score", "score").desc(), "-score", "number"]),
    "reference": ("Reference", ["number"]),
    "review": ("Next review, soonest first", [Coalesce("next_review_date", date(9999, 12, 31)), "number"]),
}
CHANGED = "risks-changed"  # htmx event: the heat maps refresh when the register changes


def _scale_value(raw):
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= max(scales.SCALES) else None


def filtered_risks(project, params, stakeholders):
    """The register's risks for the filters in `params` and a list of the filters in words.
    Unknown filter values are ignored rather than failing."""
    settings = settings_for(project)
    risks = project.risks.select_related("owner")
    active = []
    band = params.get("band")
    if band in scales.BANDS:
        risks = risks.in_band(band, settings)
        active.append(f"band {scales.BAND_LABELS[band]}")
    status = params.get("status")
    if status in Risk.Status.values:
        risks = risks.filter(status=status)
        active.append(f"status {Risk.Status(status).label}")
    owner = params.get("owner", "")
    if owner == "none":
        risks = risks.filter(owner__isnull=True)
        active.append("no owner")
    elif owner.isdigit():
        name = next((s.name for s in stakeholders if s.pk == int(owner)), None)
        if name is not None:
            risks = risks.filter(owner_id=int(owner))
            active.append(f"owner {name}")
    if params.get("review") == "overdue":
        risks = risks.overdue_review(timezone.localdate())
        active.append("live risks past their review date")
    likelihood, impact = _scale_value(params.get("likelihood")), _scale_value(params.get("impact"))
    if likelihood and impact:
        risks = risks.open().filter(likelihood=likelihood, impact=impact)
        active.append(f"live risks at likelihood {likelihood}, impact {impact}")
    rl, ri = _scale_value(params.get("rl")), _scale_value(params.get("ri"))
    if rl and ri:
        risks = (
            risks.open()
            .alias(rl=Coalesce("residual_likelihood", "likelihood"), ri=Coalesce("residual_impact", "impact"))
            .filter(rl=rl, ri=ri)
        )
        active.append(f"live risks at residual likelihood {rl}, residual impact {ri}")
    sort = params.get("sort") if params.get("sort") in SORTS else "score"
    return risks.order_by(*SORTS[sort][1]), active, sort


def _next_url(request, next_url=None):
    target = next_url or request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _table_context(request, project, *, params, next_url=""):
    """Everything the `table` partial needs; a fixed number of queries whatever the size."""
    stakeholders = list(project.stakeholders.all())
    risks, active, sort = filtered_risks(project, params, stakeholders)
    query = urlencode(
        {
            k: v
            for k, v in params.items()
            if k in {"band", "status", "owner", "sort", "likelihood", "impact", "rl", "ri", "review"}
        }
    )
    register = reverse("risks:register", args=[project.slug])
    return {
        "risks": risks,
        "active_filters": active,
        "sort": sort,
        "settings": settings_for(project),
        "trends": trends_for(project),
        "stakeholders": stakeholders,
        "next_url": next_url,
        **_row_urls(project, next_url),
        "post_url": f"{register}?{query}" if query and not next_url else register,
        "today": timezone.localdate(),
    }


def _with_change_event(request, response):
    if request.method == "POST" and request.htmx:
        trigger_client_event(response, CHANGED)
    return response


@vary_on_headers("HX-Request")
@access.methods("GET", "POST")
def register(request, slug):
    project = access.project_for(request.user, slug, "view")
    params = request.GET
    next_url = _next_url(request)
    response = inline_list(
        request,
        project,
        form_class=RiskForm,
        template=TEMPLATE,
        list_url=request.get_full_path(),
        context=lambda: {
            **_table_context(request, project, params=params, next_url=next_url),
            **({} if request.htmx else _page_context(request, project)),
        },
    )
    return _with_change_event(request, response)


def _page_context(request, project):
    settings = settings_for(project)
    register_url = reverse("risks:register", args=[project.slug])
    maps = project_heatmaps(
        project,
        link_for=lambda l, i: f"{register_url}?likelihood={l}&impact={i}",
        residual_link_for=lambda l, i: f"{register_url}?rl={l}&ri={i}",
    )
    return {
        "maps": maps,
        "bands": settings.bands(),
        "statuses": Risk.Status.choices,
        "sorts": [(k, label) for k, (label, _) in SORTS.items()],
        "filter": request.GET,
        "can_manage": access.allowed(request.user, project, "manage"),
    }


def _row_urls(project, next_url):
    # Row links are built from one reversed prefix: reversing three URLs per row was a third
    # of the register's rendering time.
    return {
        "risks_url": reverse("risks:register", args=[project.slug]),
        "next_query": f"?{urlencode({'next': next_url})}" if next_url else "",
    }


def _row_context(request, project):
    next_url = _next_url(request)
    return lambda: {
        "settings": settings_for(project),
        "trends": trends_for(project),
        "today": timezone.localdate(),
        "next_url": next_url,
        **_row_urls(project, next_url),
    }


@access.methods("GET", "POST")
def risk_edit(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.risks.select_related("owner"), pk=pk)
    response = inline_edit(
        request,
        project,
        obj,
        form_class=RiskForm,
        template=TEMPLATE,
        list_url=reverse("risks:register", args=[slug]),
        context=_row_context(request, project),
    )
    return _with_change_event(request, response)


@access.methods("GET", "POST")
def risk_delete(request, slug, pk):
    project = access.project_for(request.user, slug, "view")
    obj = access.obj_or_404(project.risks, pk=pk)
    response = inline_delete(request, project, obj, list_url=reverse("risks:register", args=[slug]), what="risk")
    return _with_change_event(request, response)


@vary_on_headers("HX-Request")
@access.methods("GET")
def heatmaps(request, slug):
    """The two heat maps alone: the register page refreshes them after each change."""
    project = access.project_for(request.user, slug, "view")
    if not request.htmx:  # a fragment is no page: send people to the register
        return redirect(reverse("risks:register", args=[slug]) + "#risk-heatmaps")
    return render(request, f"{TEMPLATE}#heatmaps", {"project": project, **_page_context(request, project)})


@access.methods("GET")
def risk_history(request, slug, pk):
    """Every recorded version of one risk: how its scores moved, who changed them, when."""
    project = access.project_for(request.user, slug, "view")
    risk = access.obj_or_404(project.risks, pk=pk)
    records = list(risk.history.select_related("history_user", "owner").order_by("-history_date", "-history_id"))
    return render(
        request,
        "risks/history.html",
        {"project": project, "risk": risk, "records": records, "trend": trends_for(project).get(risk.reference, [])},
    )


@access.methods("GET", "POST")
def risk_settings(request, slug):
    project = access.project_for(request.user, slug, "view")
    settings = settings_for(project)
    form = RiskSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST":
        access.require(request.user, project, "manage")
        if form.is_valid() and form.save_versioned():
            messages.success(request, "Saved the band thresholds.")
            return redirect("risks:settings", slug)
    return render(
        request,
        "risks/settings.html",
        {
            "project": project,
            "form": form,
            "settings": settings,
            "can_manage": access.allowed(request.user, project, "manage"),
            "defaults": scales.DEFAULT_THRESHOLDS,
        },
    )


@access.methods("GET", "POST")
def scale_change(request, slug):
    """Change 4x4 <-> 5x5: asks how to map existing values, or refuses while they would not fit."""
    project = access.project_for(request.user, slug, "view")
    settings = settings_for(project)
    form = ScaleChangeForm(request.POST or None, settings=settings)
    if request.method == "POST":
        access.require(request.user, project, "manage")
        if form.is_valid():
            try:
                changed = risk_scale_change(
                    project=project,
                    new_scale=form.new_scale,
                    mapping_key=form.cleaned_data["mapping"],
                    expected_version=form.cleaned_data["version"],
                )
            except ScaleChangeRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    f"The project now scores risks {form.new_scale}x{form.new_scale}; {changed} risk(s) "
                    "were re-scored and the band thresholds reset to that scale's defaults.",
                )
                return redirect("risks:register", slug)
    options = []
    for key, (label, table) in scales.MAPPINGS[(settings.scale, form.new_scale)].items():
        moves = planned_moves(project, form.new_scale, key, settings.scale)
        options.append({"key": key, "label": label, "table": sorted(table.items()), "moves": moves})
    stranded = list(outside_scale(project, form.new_scale))
    return render(
        request,
        "risks/scale.html",
        {
            "project": project,
            "form": form,
            "settings": settings,
            "options": options,
            "stranded": stranded,
            "can_manage": access.allowed(request.user, project, "manage"),
        },
    )


def risk_editor(request, project, next_url=None, auto_id="id_%s") -> str:
    """The inline risk editor (register table and add form), for embedding in another page
    such as alignment session 2 ("risk mitigants"). `project` is the one the embedding view
    got from access.project_for. Posts go to the register's URLs; without JavaScript they
    come back to `next_url`. `auto_id` makes the add form's element ids unique on a page that
    shows other forms (its field names stay as they are)."""
    context = {
        "project": project,
        "form": RiskForm(project=project, auto_id=auto_id),
        "can_edit": access.allowed(request.user, project, "edit"),
        **_table_context(request, project, params={}, next_url=_next_url(request, next_url)),
        "embedded": True,
    }
    return render_to_string(f"{TEMPLATE}#table", context, request=request)
