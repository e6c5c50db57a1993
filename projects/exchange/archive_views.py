"""The project archive's pages: download it (whoever manages the project) and restore one into
an empty project (its buyers only)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from projects import access

from .archive import ArchiveError, content_of, export_archive, restore_archive

MAX_ARCHIVE_UPLOAD = 200 * 1024 * 1024


class RestoreForm(forms.Form):
    file = forms.FileField(
        label="Project archive (.zip)",
        help_text="The .zip downloaded from a project's Data page (“Download the project archive”).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > MAX_ARCHIVE_UPLOAD:
            raise forms.ValidationError(f"The file is larger than the {MAX_ARCHIVE_UPLOAD // (1024 * 1024)} MB limit.")
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("Choose the project archive, a .zip file.")
        return upload


@access.methods("GET")
def download(request, slug):
    project = access.project_for(request.user, slug, "manage")
    response = HttpResponse(export_archive(project), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-archive.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.methods("GET", "POST")
def restore(request, slug):
    project = access.project_for(request.user, slug, "restore")
    form = RestoreForm(request.POST or None, request.FILES or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = restore_archive(project=project, content=upload.read(), by=request.user)
        except ArchiveError as exc:
            problem = str(exc)
        else:
            messages.success(
                request, f"Restored {upload.name[-200:]}: {sum(counts.values()):,} records in {project.name}."
            )
            return redirect("projects:detail", project.slug)
    return render(
        request,
        "exchange/restore.html",
        {"project": project, "form": form, "problem": problem, "filled": content_of(project)},
    )
