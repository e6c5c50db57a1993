"""Invitations: the page an invited person opens from their email (no log-in), and the
buyer's revoke button on the members page. Sending is on the members page (views.members)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import access, invitations
from .models import Invitation


class JoinForm(forms.Form):
    username = forms.RegexField(
        label="Choose a username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Use letters, digits and @ . + - _ only.", "required": "Choose a username."},
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Choose a password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="The password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords differ: type the same one twice.")
        elif one:
            user = get_user_model()(
                username=data.get("username", ""),
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(one, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


def _not_valid(request):
    return render(request, "projects/invitation_invalid.html", status=404)


@login_not_required
@never_cache
def join(request, token):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        invitation = invitations.open_invitation(token)
    except Http404:
        return _not_valid(request)
    form = JoinForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, invitation = invitations.accept(
                token=token,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except Http404:
            return _not_valid(request)
        except invitations.InvitationRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.project.name}.")
            return redirect("projects:detail", invitation.project.slug)
    response = render(request, "projects/invitation_join.html", {"invitation": invitation, "form": form})
    # The token is in the address: never sent to another site. Not "no-referrer": that makes
    # the browser send "Origin: null" with the form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@access.methods("POST")
def revoke(request, slug, pk):
    project = access.project_for(request.user, slug, "members")
    invitation = access.obj_or_404(Invitation.objects.filter(project=project), pk=pk)
    if invitations.revoke(project=project, by=request.user, invitation=invitation):
        messages.success(request, f"The invitation to {invitation.email} is revoked: its link no longer works.")
    else:
        messages.info(request, f"The invitation to {invitation.email} was no longer open.")
    return redirect("projects:members", slug)
