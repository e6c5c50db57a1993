"""Areas register their dashboard panels and demo loaders; nothing is looked up as optional."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from projects.registry import Registry, dashboard_panels, demo_loaders


def test_every_area_registers_its_dashboard_panel_in_order():
    assert dashboard_panels.names() == ["alignment", "advisory", "plan", "risks", "raci", "reports"]


def test_every_area_seeds_the_demo_and_reports_come_after_what_they_snapshot():
    names = demo_loaders.names()
    assert names == ["plan", "risks", "raci", "alignment", "advisory", "reports", "alignment-history"]


def test_two_areas_cannot_register_one_name():
    registry = Registry("thing")
    registry.register("a", order=1)(lambda: None)
    with pytest.raises(ImproperlyConfigured):
        registry.register("a", order=2)(lambda: None)
