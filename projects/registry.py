"""Where a lower app lists what higher apps add, without knowing them.

projects/ is below every feature app, yet the dashboard shows each area's panel, the demo
loader seeds each area's records and the spreadsheet import reads each area's registers. So
each area registers itself: its `dashboard.py` or `demo.py` decorates a function, its
`xlsx.py` decorates its Importer class, and ProjectsConfig.ready() imports those modules of
every installed app (Django's `autodiscover_modules`, as admin does). A module that fails to
import stops the start-up; nothing is looked up as "optional".
"""

from django.core.exceptions import ImproperlyConfigured


class Registry:
    def __init__(self, what):
        self.what = what
        self._entries = {}

    def register(self, name, *, order):
        """Decorator: add the function under `name`; entries run in `order`."""

        def decorator(function):
            if name in self._entries and self._entries[name][1] is not function:
                raise ImproperlyConfigured(f"Two {self.what}s are registered as “{name}”.")
            self._entries[name] = (order, function)
            return function

        return decorator

    def get(self, name):
        """The entry registered as `name`, or None."""
        entry = self._entries.get(name)
        return entry[1] if entry else None

    def names(self):
        return [name for name, _ in sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))]

    def __iter__(self):
        return iter([self._entries[name][1] for name in self.names()])


dashboard_panels = Registry("dashboard panel")  # function(request, project) -> HTML or None
demo_loaders = Registry("demo loader")  # function(project, *, large) -> None; reports last
# Importer subclass (projects.importing) by kind; the order is the order of the sheets in a
# whole-project export: stakeholders, milestones, communications, risks, issues, raci.
importers = Registry("importer")


def discover():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("dashboard", "demo", "xlsx")
