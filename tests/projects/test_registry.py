"""Areas register their dashboard panels, demo loaders and importers; nothing is looked up as optional."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mobilise.spreadsheets import SpreadsheetError
from projects.importing import importer_for
from projects.registry import Registry, dashboard_panels, demo_loaders, importers


def test_every_area_registers_its_dashboard_panel_in_order():
    assert dashboard_panels.names() == ["alignment", "advisory", "plan", "risks", "raci", "reports"]


def test_every_area_seeds_the_demo_and_reports_come_after_what_they_snapshot():
    names = demo_loaders.names()
    assert names == ["plan", "risks", "raci", "alignment", "advisory", "reports", "alignment-history"]


def test_every_area_registers_its_importer_in_the_sheet_order_of_a_whole_project_export():
    assert importers.names() == ["stakeholders", "milestones", "communications", "risks", "issues", "raci"]
    assert [cls.kind for cls in importers] == importers.names()


@pytest.mark.django_db
def test_an_unknown_kind_gets_a_plain_message(project):
    with pytest.raises(SpreadsheetError) as refused:
        importer_for("budgets", project)
    assert str(refused.value) == (
        "“budgets” is not something we import. Choose one of: stakeholders, milestones, communications, risks, issues, raci."
    )


def test_two_areas_cannot_register_one_name():
    registry = Registry("thing")
    registry.register("a", order=1)(lambda: None)
    with pytest.raises(ImproperlyConfigured):
        registry.register("a", order=2)(lambda: None)
