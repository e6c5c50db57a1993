"""The dashboard's "Email me when it is my turn" switch (alignment/turns.py)."""

from django.contrib import messages
from django.shortcuts import redirect

from projects import access
from projects.models import Membership


@access.methods("POST")
def turn_email(request, slug):
    project = access.project_for(request.user, slug, "sign")
    wanted = request.POST.get("email_my_turn") == "1"
    membership = Membership.objects.select_for_update().get(project=project, user=request.user)
    if membership.email_my_turn != wanted:
        membership.email_my_turn = wanted
        membership._history_user = request.user
        membership.save(update_fields=["email_my_turn"])
    messages.success(
        request,
        "You will get an email when it is your turn." if wanted else "No more emails when it is your turn.",
    )
    return redirect("projects:detail", slug)
