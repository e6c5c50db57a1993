import os

from django.core.management.base import CommandError

from mobilise.spreadsheets import MAX_UPLOAD_BYTES, SpreadsheetError
from projects.importing import Reading, available_kinds, importer_for
from projects.management.base import MobiliseCommand
from projects.models import Project


class Command(MobiliseCommand):
    help = (
        "Import a register from an .xlsx file: prints the sheet, header and value mapping, then saves all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The project's slug.")
        parser.add_argument("kind", choices=available_kinds(), help="What the file holds.")
        parser.add_argument("file", help="Path to the .xlsx file.")
        parser.add_argument("--sheet", help="Read this sheet instead of finding the table.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; save nothing.")
        parser.add_argument(
            "--scale", type=int, choices=(3, 4, 5, 10), help="The file's scale when its headers do not say (1-N)."
        )
        parser.add_argument(
            "--date-order", choices=("dmy", "mdy"), help="Text dates such as 3/1/27: day or month first."
        )
        parser.add_argument(
            "--people-as-rows", action="store_true", help="RACI: people are the rows and activities the columns."
        )

    def handle(self, slug, kind, file, sheet=None, dry_run=False, **options):
        try:
            size = os.path.getsize(file)
            if size > MAX_UPLOAD_BYTES:
                raise CommandError(f"{file} is larger than the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit.")
            with open(file, "rb") as handle:
                data = handle.read(MAX_UPLOAD_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from None
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"No project has the slug “{slug}”.")
        try:
            importer = importer_for(kind, project)
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from None
        reading = Reading(
            scale=options.get("scale"),
            date_order=options.get("date_order") or "",
            transpose=True if options.get("people_as_rows") else None,
        )
        preview = importer.preview(data, os.path.basename(file), sheet, reading)
        self.describe(preview)
        if preview.problems:
            count = len(preview.problems)
            first = str(preview.problems[0]).rstrip(".")
            if count == 1:  # the reason line says it; listing it as well printed it twice
                raise CommandError(f"{first}. Nothing was imported.")
            for problem in preview.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{count} problems, the first: {first}. Nothing was imported.")
        if not preview.rows:
            raise CommandError("No rows to import: the table has a header and no data.")
        if preview.questions:
            needed = [
                option
                for option, asked in (
                    ("--scale 3|4|5|10", not preview.scale_stated),
                    ("--date-order dmy|mdy", preview.dates_ambiguous),
                    ("--people-as-rows, if so", preview.transposable),
                )
                if asked
            ]
            raise CommandError(f"{preview.questions[0]} Give {' and '.join(needed)}. Nothing was imported.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            counts = importer.apply(preview)
        except SpreadsheetError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from None
        self.stdout.write(
            f"Imported {counts['created']} new and {counts['updated']} updated {kind} into {project.slug}."
        )

    def describe(self, preview):
        out = self.stdout.write
        if preview.sheet:
            out(
                f"Sheet: {preview.sheet} (header in row {preview.header_row}; sheets in the file: {', '.join(preview.sheets)})"
            )
            out("Header mapping:")
            for column in preview.mapped_columns:
                target = column.field.label if column.field else "(not imported)"
                out(f"  {column.letter}: {column.header or '(blank)'} -> {target}")
        if preview.value_maps:
            out("Value mapping:")
            for label, pairs in preview.value_maps.items():
                out(f"  {label}: " + "; ".join(f"{raw} -> {ours}" for raw, ours in pairs.items()))
        if preview.sheet:
            out(f"Rows: {len(preview.rows)} ({preview.created} to add, {preview.updated} to update)")
        if preview.new_stakeholders:
            out(f"New stakeholders: {', '.join(preview.new_stakeholders)}")
        for note in preview.notes:
            out(f"Note: {note}")
        for warning in preview.warnings:
            out(f"Check: {warning}")
