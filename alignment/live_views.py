"""The session page's poll (alignment/live.py): POST for members who may edit (they are
recorded as here), GET for read-only roles (it writes nothing)."""

from django.http import Http404, JsonResponse

from projects import access

from . import guidance, live


@access.methods("GET", "POST")
def session_live(request, slug, number):
    project = access.project_for(request.user, slug, "view")
    if number not in guidance.TEMPLATES:
        raise Http404("No such session.")
    if request.method == "POST":
        access.require(request.user, project, "edit")
    seen = (request.POST if request.method == "POST" else request.GET).get("v", "")
    data = live.answer(project, number, request.user, seen, present=request.method == "POST")
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
