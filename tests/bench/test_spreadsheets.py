"""Spreadsheet benchmarks: a 5,000-row risk register in (dry run and real), large-demo out."""

import io
from datetime import date, timedelta

import openpyxl

from mobilise.spreadsheets import export_project, importer_for
from projects.models import Project
from tests.bench.conftest import median_seconds, report

ROWS = 5000


def register_bytes():
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Risk register"
    ws.append(["Risk register 2026"])
    ws.append(["Risk ID", "Risk Description", "Category", "Likelihood (1-5)", "Impact (1-5)", "Mitigation",
               "Owner", "Status", "Review date"])
    for i in range(ROWS):
        ws.append([f"RSK-{i}", f"Risk number {i}: supplier capacity may not meet demand", "Commercial", i % 5 + 1,
                   (i * 3) % 5 + 1, "Engage the market early", f"Owner {i % 40}", "Open",
                   date(2026, 1, 1) + timedelta(days=i % 300)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def openpyxl_alone(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return rows


def test_import_5000_risks(db):
    data = register_bytes()
    project = Project.objects.create(name="Bench import", slug="bench-import")

    def dry_run():
        result = importer_for("risks", project).preview(data, "bench.xlsx")
        assert result.problems == [] and len(result.rows) == ROWS
        return result

    dry = median_seconds(dry_run, runs=5, warmup=1)
    alone = median_seconds(lambda: openpyxl_alone(data), runs=5, warmup=1)
    counter = iter(range(100))

    def real():
        target = Project.objects.create(name="Bench", slug=f"bench-{next(counter)}")
        importer = importer_for("risks", target)
        importer.apply(importer.preview(data, "bench.xlsx"))
        assert target.risks.count() == ROWS

    saved = median_seconds(real, runs=3, warmup=0)
    report("import_5000_risks_dry_run_s", dry)
    report("import_5000_risks_s", saved)
    report("openpyxl_read_5000_rows_s", alone)
    report("import_vs_openpyxl_ratio", dry / alone)


def test_export_large(db):
    project = Project.objects.get(slug="large-demo")
    export = median_seconds(lambda: export_project(project), runs=7)
    report("export_large_s", export)
    workbook = openpyxl.load_workbook(io.BytesIO(export_project(project)))
    sheets = [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in workbook.worksheets]

    def openpyxl_write():
        out = openpyxl.Workbook(write_only=True)
        for title, rows in sheets:
            ws = out.create_sheet(title)
            for row in rows:
                ws.append(row)
        out.save(io.BytesIO())

    report("export_vs_openpyxl_ratio", export / median_seconds(openpyxl_write, runs=7))
