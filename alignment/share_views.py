"""Share links: the buyer's page to make and revoke them, and the pages they open for people
without an account (the brief and the agreed minutes, read-only)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from projects import access

from . import sharing
from .brief import brief_context
from .models import Minutes, ShareLink


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Who is it for?",
        max_length=200,
        help_text="For example: Chris Furness, sponsor. They see the brief and the agreed minutes, nothing else.",
        error_messages={"required": "Say who the link is for."},
    )
    days = forms.IntegerField(
        label="Lasts (days)",
        min_value=1,
        max_value=ShareLink.MAX_DAYS,
        initial=30,
        error_messages={"max_value": f"A link lasts at most {ShareLink.MAX_DAYS} days."},
    )


def _private(response):
    """A shared page carries its token in the address: never cached, indexed or sent on."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@access.methods("GET", "POST")
def share_links(request, slug):
    project = access.project_for(request.user, slug, "manage")
    form = ShareLinkForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            link, token = sharing.create(project=project, by=request.user, **form.cleaned_data)
        except sharing.ShareRefused as refused:
            form.add_error(None, str(refused))
        else:
            made = {"link": link, "url": request.build_absolute_uri(f"/share/{token}/")}
            form = ShareLinkForm()
    links = project.share_links.select_related("created_by", "revoked_by").prefetch_related("openings")
    response = render(
        request,
        "alignment/share_links.html",
        {"project": project, "form": form, "links": links, "made": made, "now": timezone.now()},
    )
    return _private(response) if made else response


@access.methods("POST")
def share_revoke(request, slug, pk):
    project = access.project_for(request.user, slug, "manage")
    link = access.obj_or_404(project.share_links, pk=pk)
    if sharing.revoke(link=link, by=request.user):
        messages.success(request, f"Revoked the link for {link.label}: it opens nothing now.")
    else:
        messages.info(request, f"The link for {link.label} was already revoked.")
    return redirect("alignment:share-links", slug)


# What a link opens (no log-in) -----------------------------------------------------------------


@login_not_required
def shared(request, token):
    if request.method != "GET":
        return HttpResponse(status=405)
    link = sharing.open_link(token, "brief")
    project = link.project
    minutes = Minutes.objects.filter(project=project).select_related("session").defer("snapshot", "pdf")
    context = {
        **brief_context(project),
        "shared": True,
        "link": link,
        "token": token,
        "minutes": minutes.order_by("session__number", "-number"),
    }
    return _private(render(request, "alignment/shared.html", context))


@login_not_required
def shared_brief_pdf(request, token):
    from .pdf import brief_pdf as render_brief

    if request.method != "GET":
        return HttpResponse(status=405)
    link = sharing.open_link(token, "brief PDF")
    response = HttpResponse(render_brief(link.project), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{link.project.slug}-brief.pdf"'
    return _private(response)


@login_not_required
def shared_minutes_pdf(request, token, number, version):
    if request.method != "GET":
        return HttpResponse(status=405)
    link = sharing.open_link(token, f"minutes of session {number}, version {version}")
    minutes = access.obj_or_404(Minutes.objects.filter(project=link.project, session__number=number), number=version)
    response = HttpResponse(bytes(minutes.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{link.project.slug}-session-{number}-minutes-v{version}.pdf"'
    return _private(response)
