from django import forms

from mobilise.spreadsheets import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel workbook (.xlsx)",
        help_text=f"Up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Nothing is saved until you confirm the preview.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    sheet = forms.CharField(
        label="Sheet (optional)",
        required=False,
        max_length=100,
        help_text="Leave blank and we find the sheet with the table.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit.")
        if name.endswith((".xlsm", ".xltm")):
            raise forms.ValidationError(
                "Workbooks with macros (.xlsm) are not accepted. Save it as an Excel Workbook (.xlsx)."
            )
        if name.endswith((".xls", ".csv", ".ods", ".numbers")):
            raise forms.ValidationError(
                "Only Excel Workbooks (.xlsx) are accepted. Open the file and save it as .xlsx."
            )
        if not name.endswith(".xlsx"):
            raise forms.ValidationError("Choose an Excel Workbook (.xlsx).")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
