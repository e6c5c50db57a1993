"""Every Django admin URL with real ids, and the POST data a user would send to it.

The URLs come from `admin.site.get_urls()` and each ModelAdmin's own patterns, so a model or
view registered later is walked without editing this file; a pattern the walk cannot fill
fails loudly. The POST data is the form a superuser is shown on the same page (change form
with its inlines, delete confirmation, history version), with every text value changed, so
a POST that is let through really writes.
"""

from html.parser import HTMLParser

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session as DjangoSession
from django.urls import URLResolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from alignment.templates_data import TemplateTopic, TemplateVersion, WorkshopTemplate
from mobilise.models import LoginFailureCount
from projects.advisory.models import AdvisoryReview, HelpRequest, ReviewEntry

# Not records anyone edits: sessions (log-in and log-out), the log-in throttle.
IGNORED_MODELS = {DjangoSession, LoginFailureCount}
# Widgets whose value must stay as it is to be valid (dates, ids, numbers, slugs).
KEEP_CLASSES = (
    "vDateField",
    "vTimeField",
    "vForeignKeyRawIdAdminField",
    "vManyToManyRawIdAdminField",
    "vIntegerField",
    "vBigIntegerField",
    "vUUIDField",
)
KEEP_NAMES = (
    "TOTAL_FORMS",
    "INITIAL_FORMS",
    "MIN_NUM_FORMS",
    "MAX_NUM_FORMS",
    "csrfmiddlewaretoken",
    "post",
    "seen_version",
    "field_prompts",  # JSON
)


class _FormFields(HTMLParser):
    """name -> [values] of the first POST form on an admin page other than log-out."""

    def __init__(self):
        super().__init__()
        self.fields, self.found, self.inside, self.select, self.textarea = [], False, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found and a.get("method", "").lower() == "post" and a.get("id") != "logout-form":
            self.found = self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            value = a.get("value", "")
            # Free text only (codes such as a currency or RACI letters have short limits).
            free_text = int(a.get("maxlength") or 0) >= 50 and len(value) < int(a.get("maxlength") or 0)
            if (
                kind == "text"
                and value
                and free_text
                and not name.endswith(KEEP_NAMES)
                and not any(c in a.get("class", "") for c in KEEP_CLASSES)
            ):
                value += "x"
            self.fields.append((name, value))
        elif tag == "select" and name:
            self.select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value", ""))
            if "selected" in a:
                self.select["selected"].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["selected"] or self.select["options"][:1]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            text = text.removeprefix("\n")
            self.fields.append((name, text if name.endswith(KEEP_NAMES) else text + " x"))
            self.textarea = None


def form_data(html: str) -> dict:
    parser = _FormFields()
    parser.feed(html)
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def dump(*, without_review=False):
    """Every row of every table (sessions and the log-in throttle aside), comparable with ==.

    `without_review` leaves out what advisors may write in admin: the advisory review, the help
    requests, the review log and the workshop templates' drafts, their history and admin's log
    of them."""
    written = (AdvisoryReview, HelpRequest, ReviewEntry, WorkshopTemplate, TemplateVersion, TemplateTopic)
    skip = {m for model in written for m in (model, model.history.model)} if without_review else set()
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model in IGNORED_MODELS or model in skip:
            continue
        queryset = model._base_manager.order_by()
        if without_review and model is LogEntry:
            queryset = queryset.exclude(
                content_type__model__in=["advisoryreview", "helprequest", "reviewentry"],
                content_type__app_label="advisory",
            ).exclude(
                content_type__model__in=["workshoptemplate", "templateversion", "templatetopic"],
                content_type__app_label="alignment",
            )
        rows[model._meta.label] = {
            row[model._meta.pk.attname]: {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
            for row in queryset.values()
        }
    return rows


def _versions(model, obj):
    """History ids to revert to: the object's oldest version, and a deleted object's."""
    if not hasattr(model, "history"):
        return []
    history = model.history.model.objects
    found = []
    oldest = history.filter(**{model._meta.pk.attname: obj.pk}).order_by("history_date", "history_id").first()
    if oldest:
        found.append((obj.pk, oldest.history_id))
    live = model._base_manager.values("pk")
    deleted = (
        history.exclude(**{f"{model._meta.pk.attname}__in": live})
        .exclude(history_type="-")
        .order_by("-history_id")
        .first()
    )
    if deleted:
        found.append((getattr(deleted, model._meta.pk.attname), deleted.history_id))
    return found


def _objects(model):
    """The first and the last record (the demo's issued report among them)."""
    manager = model._base_manager.order_by("pk")
    return [obj for obj in {o.pk: o for o in [manager.first(), manager.last()] if o is not None}.values()]


def _fill_route(route: str, values: dict) -> str:
    import re

    def value(match):
        name = match.group(2)
        assert name in values, f"the admin walk cannot fill <{name}> in {route!r}: teach tests/advisory/walk.py"
        return str(values[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def model_urls(model, model_admin):
    """[(kind, url)] for one registered model: every pattern of its ModelAdmin, real ids."""
    prefix = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    objects = _objects(model)
    assert objects, f"no {model._meta.label} record to walk with: create one in the walk's fixture"
    urls = []
    for pattern in model_admin.get_urls():
        if isinstance(pattern.pattern, RegexPattern):
            assert pattern.name and pattern.name.endswith("_simple_history"), (
                f"unknown admin URL pattern {pattern.pattern} of {model._meta.label}: teach tests/advisory/walk.py"
            )
            for obj in objects:
                for object_id, history_id in _versions(model, obj):
                    urls.append(("history version", reverse(f"admin:{pattern.name}", args=[object_id, history_id])))
            continue
        assert isinstance(pattern.pattern, RoutePattern)
        route = str(pattern.pattern)
        last_part = route.rstrip("/").split("/")[-1]
        kind = {"": "changelist", "add/": "add"}.get(route) or ("redirect" if last_part.startswith("<") else last_part)
        if "<" not in route:
            urls.append((kind, prefix + route))
            continue
        for obj in objects:
            urls.append((kind, prefix + _fill_route(route, {"object_id": obj.pk, "id": obj.pk})))
    return urls


def site_urls():
    """[(kind, url)] for the site's own patterns (index, app lists, view on site, log-out last)."""
    from django.contrib.contenttypes.models import ContentType

    from projects.models import Stakeholder

    stakeholder = Stakeholder.objects.order_by("pk").first()
    values = {"content_type_id": ContentType.objects.get_for_model(Stakeholder).pk, "object_id": stakeholder.pk}
    urls, last = [], []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            continue  # a model's patterns: model_urls
        if isinstance(pattern.pattern, RegexPattern):
            groups = pattern.pattern.regex.groupindex
            if "app_label" in groups:
                labels = sorted({m._meta.app_label for m in admin.site._registry})
                urls.extend(("app list", reverse("admin:app_list", args=[label])) for label in labels)
            elif set(groups) == {"url"}:
                urls.append(("catch-all", "/admin/no-such-page/"))
            else:
                raise AssertionError(f"unknown admin URL pattern {pattern.pattern}: teach tests/advisory/walk.py")
            continue
        url = "/admin/" + _fill_route(str(pattern.pattern), values)
        (last if pattern.name == "logout" else urls).append((pattern.name, url))
    return urls + last


def every_url():
    urls = []
    for model, model_admin in admin.site._registry.items():
        urls.extend((model, kind, url) for kind, url in model_urls(model, model_admin))
    urls.extend((None, kind, url) for kind, url in site_urls())
    return urls


def action_posts(model, model_admin, superuser_request):
    """[(action name, data)] selecting every record, confirmed (bulk delete's "post": "yes")."""
    pks = [str(pk) for pk in model._base_manager.values_list("pk", flat=True)]
    return [
        (name, {"action": name, "_selected_action": pks, "index": "0", "post": "yes"})
        for name in model_admin.get_actions(superuser_request)
    ]
