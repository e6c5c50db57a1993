"""Spreadsheet benchmarks: a 5,000-row risk register in (dry run and real), the worst-case
upload within the limits through the web pages, large-demo out."""

import io
import random
import time
import tracemalloc
from datetime import date, timedelta

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from projects.exchange.export import export_project
from projects.importing import importer_for
from projects.models import Membership, Project
from tests.bench.conftest import median_seconds, report
from tests.factories import make_project, make_user
from tests.spreadsheets.conftest import shared_strings_workbook

ROWS = 5000


def register_bytes():
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Risk register"
    ws.append(["Risk register 2026"])
    ws.append(
        [
            "Risk ID",
            "Risk Description",
            "Category",
            "Likelihood (1-5)",
            "Impact (1-5)",
            "Mitigation",
            "Owner",
            "Status",
            "Review date",
        ]
    )
    for i in range(ROWS):
        ws.append(
            [
                f"RSK-{i}",
                f"Risk number {i}: supplier capacity may not meet demand",
                "Commercial",
                i % 5 + 1,
                (i * 3) % 5 + 1,
                "Engage the market early",
                f"Owner {i % 40}",
                "Open",
                date(2026, 1, 1) + timedelta(days=i % 300),
            ]
        )
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


WORST_ROWS = 20_000  # the row limit
WORDS = [
    "supplier",
    "capacity",
    "delay",
    "budget",
    "market",
    "data",
    "licence",
    "contract",
    "staff",
    "audit",
    "sensor",
    "council",
    "network",
    "vendor",
    "schedule",
    "approval",
    "scope",
    "training",
]


def worst_case_bytes(notes=11):
    """A risk register at the row limit, every row a valid risk and every text different, so
    the shared-string table, the sheet and the plan are all as big as a ~3.6 MB file allows
    (it unpacks to about 25 MB, half the 50 MB limit: text this varied compresses ~7:1)."""
    rnd = random.Random(1)

    def text():
        return " ".join(rnd.choice(WORDS) for _ in range(3)) + f" {rnd.randrange(10**6)}"

    header = [
        "Reference",
        "Event",
        "Cause",
        "Effect",
        "Category",
        "Likelihood (1-5)",
        "Impact (1-5)",
        "Action to mitigate",
        "Owner",
        "Status",
    ] + [f"Note {i}" for i in range(notes)]
    rows = [
        [
            f"RSK-{i}",
            f"Risk {i}: {text()}",
            text(),
            text(),
            "Commercial",
            i % 5 + 1,
            (i * 3) % 5 + 1,
            text(),
            f"Owner {i % 40}",
            "Open",
        ]
        + [text() for _ in range(notes)]
        for i in range(WORST_ROWS)
    ]
    return shared_strings_workbook(header, rows, title="Risk register")


def test_import_worst_case_upload_preview_confirm(db):
    """Upload, one preview page, confirm: the time per import and the peak of memory it takes
    (tracemalloc: Python allocations, which is what grows a worker)."""
    data = worst_case_bytes()
    buyer = make_user("bench-importer")
    counter = iter(range(100))

    def one_import():
        project = make_project(members={buyer: Membership.Role.BUYER}, slug=f"bench-worst-{next(counter)}")
        client = Client()
        client.force_login(buyer)
        url = reverse("exchange:risks-import", args=[project.slug])
        timings = {}
        start = time.perf_counter()
        response = client.post(url, {"file": SimpleUploadedFile("worst.xlsx", data)})
        assert response.status_code == 302, response.text[:2000]
        timings["upload"] = time.perf_counter() - start
        start = time.perf_counter()
        page = client.get(response["Location"])
        assert f"{WORST_ROWS} to add" in page.text
        timings["preview"] = time.perf_counter() - start
        start = time.perf_counter()
        assert client.post(response["Location"], {"confirm": "1"}).status_code == 302
        timings["confirm"] = time.perf_counter() - start
        assert project.risks.count() == WORST_ROWS
        return timings

    runs = [one_import() for _ in range(3)]
    tracemalloc.start()
    one_import()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("import_worst_case_file_mb", len(data) / 1024 / 1024)
    for step in ("upload", "preview", "confirm"):
        report(f"import_worst_case_{step}_s", sorted(r[step] for r in runs)[1])
    report("import_worst_case_s", sorted(sum(r.values()) for r in runs)[1])
    report("import_worst_case_mb", peak / 1024 / 1024)
