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


SCALE_CHOICES = [("3", "1-3"), ("4", "1-4"), ("5", "1-5"), ("10", "1-10")]
TRANSPOSE_CHOICES = [
    ("", "Not chosen yet"),
    ("no", "Activities are the rows, people the columns"),
    ("yes", "People are the rows, activities the columns (read it turned round)"),
]
DATE_ORDERS = [
    ("", "Not chosen yet"),
    ("dmy", "Day first: 3/1/27 is 3 January 2027"),
    ("mdy", "Month first (as MS Project in the US writes): 3/1/27 is 1 March 2027"),
]


def word_field(word) -> str:
    """The form field of a word on a scale column (words are normalised: a-z, 0-9, spaces)."""
    return "word_" + word.replace(" ", "_")


class ReadingForm(forms.Form):
    """How to read the uploaded file: header row, each field's column (or none), the file's
    scale and what its words mean, for RACIs which way round, for dates which order. Built
    from the preview's summary; `reading()` turns the answers into a projects.importing.Reading."""

    header_row = forms.IntegerField(
        label="Header row",
        min_value=1,
        max_value=10_000,
        required=False,
        help_text="The row that holds the column titles.",
    )

    def __init__(self, *args, summary, fields, scale_size=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary, self.choosable = summary, fields
        self.fields["header_row"].initial = summary.get("header_row") or None
        columns = summary.get("all_columns") or []
        options = [("", "Not imported")] + [
            (str(c["index"]), f"{c['letter']}: {c['header'] or '(blank)'}"[:90]) for c in columns
        ]
        self.column_fields = []
        if columns:
            for f in fields:
                name = f"column_{f.name}"
                current = next((str(c["index"]) for c in columns if c["field"] == f.name), "")
                self.fields[name] = forms.ChoiceField(
                    label=f.label + (" (needed)" if f.required else ""),
                    choices=options,
                    required=False,
                    initial=current,
                )
                self.column_fields.append(self[name])
        reading = summary.get("reading") or {}
        self.scale_field = self.words_fields = None
        if summary.get("scale_columns"):
            self.fields["scale"] = forms.ChoiceField(
                label="The file's scale",
                choices=[("", "Not chosen yet")] + SCALE_CHOICES,
                required=False,
                initial=str(reading.get("scale") or ""),
                help_text="Its headers do not say; the values alone cannot tell a 1-5 register from a 1-3 one.",
            )
            self.scale_field = self["scale"]
        self.word_fields = []
        if scale_size and summary.get("words_used"):
            numbers = [(str(n), str(n)) for n in range(1, scale_size + 1)]
            for word, value in sorted(summary["words_used"]):
                name = word_field(word)
                self.fields[name] = forms.ChoiceField(
                    label=f"“{word.capitalize()}” is", choices=numbers, initial=str(value)
                )
                self.word_fields.append(self[name])
        self.transpose_field = self.date_field = None
        if summary.get("transposable") or reading.get("transpose") is not None:
            initial = {True: "yes", False: "no"}.get(reading.get("transpose"), "")
            self.fields["transpose"] = forms.ChoiceField(
                label="Which way round", choices=TRANSPOSE_CHOICES, required=False, initial=initial
            )
            self.transpose_field = self["transpose"]
        if summary.get("dates_ambiguous") or reading.get("date_order"):
            self.fields["date_order"] = forms.ChoiceField(
                label="Dates written as numbers",
                choices=DATE_ORDERS,
                required=False,
                initial=reading.get("date_order", ""),
            )
            self.date_field = self["date_order"]

    def reading(self):
        from projects.importing import Reading

        # A choice the page did not post (an older page, a script) stays as the preview had it.
        data = {name: value for name, value in self.cleaned_data.items() if name in self.data}
        reading = Reading.from_json(self.summary.get("reading"))
        header_row = data.get("header_row") or reading.header_row
        if header_row != reading.header_row:
            reading.header_row, reading.columns = header_row, {}  # another header row: columns found afresh
        else:
            for f in self.choosable:
                if f"column_{f.name}" in data:
                    value = data[f"column_{f.name}"]
                    reading.columns[f.name] = int(value) if value not in (None, "") else None
        if "scale" in data:
            reading.scale = int(data["scale"]) if data["scale"] else None
        for word, _ in self.summary.get("words_used") or []:
            if word_field(word) in data:
                reading.words[word] = int(data[word_field(word)])
        if "transpose" in data:
            reading.transpose = {"yes": True, "no": False}.get(data["transpose"])
            if reading.transpose != (self.summary.get("reading") or {}).get("transpose"):
                reading.header_row, reading.columns = None, {}  # turned round: the table is found afresh
        if "date_order" in data:
            reading.date_order = data["date_order"]
        return reading
