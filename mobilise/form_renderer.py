"""The form renderer (settings.FORM_RENDERER): Django's own, except that select boxes are
built in Python.

Django renders each <option> by including a template: a milestone form with 80 options (owner,
depends on) took 21 ms, most of it in those includes, and the inline editors show such a form
on every page. `Renderer` writes the same markup as django/forms/widgets/select.html,
select_option.html and attrs.html (tests/test_form_renderer.py compares the two on every form
of the app), with the same escaping. Any other template goes to Django's renderer unchanged.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def attrs_html(attrs) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def option_html(option) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def select_html(widget) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name", OPTION) != OPTION:
                raise ValueError(f"an option with its own template ({option['template_name']}) needs Django's renderer")
            parts.append("\n  " + option_html(option) + "\n")  # the option template ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return mark_safe(select_html(context["widget"]))
        return super().render(template_name, context, request=request)
