"""The form renderer builds select boxes in Python (mobilise/form_renderer.py): the markup must
be the same as Django's own templates give, for every form of the app with a select box, bound
and unbound, with choices that need escaping and with optgroups."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from mobilise.form_renderer import Renderer
from projects.models import Stakeholder
from tests.factories import make_project, make_stakeholder

pytestmark = pytest.mark.django_db


def all_forms():
    """Every form class in the apps' forms modules."""
    import importlib
    import inspect

    modules = [
        "projects.forms",
        "projects.plan.forms",
        "alignment.forms",
        "raci.forms",
        "risks.forms",
        "projects.reports.forms",
    ]
    for name in modules:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            abstract = issubclass(cls, forms.BaseModelForm) and cls._meta.model is None
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and cls.base_fields and not abstract:
                yield cls


def selects(form):
    return [name for name, field in form.fields.items() if isinstance(field.widget, forms.Select)]


def rendered(form, name, renderer):
    return (
        form[name].as_widget(attrs=None)
        if renderer is None
        else form[name].field.widget.render(
            form.add_prefix(name),
            form[name].value(),
            attrs=form[name].build_widget_attrs({"id": f"id_{name}"}),
            renderer=renderer,
        )
    )


def test_select_markup_is_the_same_as_djangos_for_every_form():
    project = make_project()
    make_stakeholder(project, name='Ann "A&B" <Lee>', kind=Stakeholder.Kind.SME)
    make_stakeholder(project, name="Bo Ng")
    checked = 0
    for cls in all_forms():
        form = None
        from risks.models import RiskSettings

        settings = RiskSettings.objects.get_or_create(project=project)[0]
        for kwargs in ({"project": project}, {"project": project, "session_number": 1}, {"settings": settings}, {}):
            try:
                form = cls(**kwargs)
                break
            except TypeError:
                continue
        assert form is not None, f"{cls.__name__}: add the arguments it needs here"
        for name in selects(form):
            ours, theirs = rendered(form, name, Renderer()), rendered(form, name, DjangoTemplates())
            assert str(ours) == str(theirs), f"{cls.__name__}.{name}"
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("multiple", [False, True])
def test_optgroups_selected_values_and_escaping(multiple):
    choices = [("", "---"), ("Group <1>", [("a&b", 'A "and" B'), ("c", "C")]), ("d", "D's")]
    widget = (forms.SelectMultiple if multiple else forms.Select)(
        choices=choices, attrs={"required": True, "data-x": "1>0"}
    )
    value = ["a&b", "d"] if multiple else "a&b"
    ours = widget.render("pick", value, attrs={"id": "id_pick", "disabled": False}, renderer=Renderer())
    theirs = widget.render("pick", value, attrs={"id": "id_pick", "disabled": False}, renderer=DjangoTemplates())
    assert ours == theirs
    assert "&lt;1&gt;" in ours and "a&amp;b" in ours and " selected" in ours
