"""The buying team's side of help requests: ask the advisory team, and see where requests are."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from projects import access, dates

from . import help
from .models import HelpRequest


class HelpRequestForm(forms.Form):
    what_for = forms.CharField(
        label="What do you need help with?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: leading session 1 with our approvers, or judging our risk appetite.",
        error_messages={"required": "Say what you need help with."},
    )
    needed_by = forms.DateField(
        label="Needed by", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_needed_by(self):
        value = self.cleaned_data.get("needed_by")
        if not dates.in_range(value):
            raise forms.ValidationError(dates.RANGE_MESSAGE)
        return value


@access.methods("GET", "POST")
def help_requests(request, slug):
    project = access.project_for(request.user, slug, "view")
    can_ask = access.allowed(request.user, project, "ask_help")
    form = HelpRequestForm()
    if request.method == "POST":
        access.require(request.user, project, "ask_help")
        form = HelpRequestForm(request.POST)
        if form.is_valid():
            try:
                help.ask(project=project, by=request.user, **form.cleaned_data)
            except help.HelpRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, "Sent to the innovation procurement advisory team. You will hear by email as it moves."
                )
                return redirect("advisory:help", slug)
    requests = project.help_requests.select_related("requested_by", "assigned_to")
    return render(
        request,
        "advisory/help.html",
        {"project": project, "form": form, "can_ask": can_ask, "requests": requests, "statuses": HelpRequest.Status},
    )
