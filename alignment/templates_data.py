"""The workshop templates as data (issue 19 points 1-3): each alignment session's template has
numbered versions, each a list of topics with their words; a project's sessions record the
version they use, and the advisory team tailors a Guided or Partnered project's sessions with
per-project overrides (`TemplateTailoring`). `resolve(session)` turns all of that and the
structure in guidance.py into the `guidance.Template` every page, the coverage rule, the topics
and the minutes read.

A published version never changes (its `save()` refuses, and so do its topics'): a change is a
new version, published with a change note. Sessions keep their version until someone moves
them (alignment/tailoring.py), and agreed minutes are frozen PDFs, so neither a new version nor
a tailoring ever touches what was agreed.
"""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_migrate
from simple_history.models import HistoricalRecords

from projects.models import SHORT_TEXT, Project, Versioned, long_text

from . import guidance
from .template_seed import CHANGE_NOTE, SEED

MAX_MINUTES = 240


def lines(text) -> tuple:
    """A one-per-line text as its non-blank lines."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class WorkshopTemplate(models.Model):
    """The template of one alignment session (1, 2 or 3): the versions hang from it."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1), MaxValueValidator(3)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Alignment session {self.number} template"

    def latest(self):
        return self.versions.published().order_by("-number").first()


class TemplateVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def latest_for(self, number):
        return self.published().filter(template__number=number).order_by("-number").first()


class TemplateVersion(models.Model):
    """One version of a session's template. A draft (no number yet) is edited in admin or made
    from a tailored project; publishing gives it the next number and freezes it."""

    template = models.ForeignKey(WorkshopTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(null=True, blank=True, editable=False, help_text="Given when published.")
    title = models.CharField(max_length=SHORT_TEXT)
    duration = models.CharField("estimated duration", max_length=100)
    aligns_on = long_text("the pair align on", "One per line.", max_length=2000)
    change_note = long_text("change note", "What this version changes, and why.", max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version it started from.",
    )
    proposed_from = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The tailored project whose changes it proposes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = TemplateVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "-published_at", "-number", "-id"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="one_number_per_template_version")]

    def __str__(self):
        if self.number:
            return f"Session {self.template.number} template, version {self.number}"
        return f"Session {self.template.number} template, draft {self.pk or ''}".rstrip()

    @property
    def is_published(self):
        return self.published_at is not None

    def save(self, *args, **kwargs):
        # Publishing (tailoring.publish) is the last save a version gets.
        if self.pk and not getattr(self, "_publishing", False):
            if TemplateVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists():
                raise ValidationError("A published template version never changes; start a new version from it.")
        super().save(*args, **kwargs)


class TemplateTopic(models.Model):
    """One topic of a template version: what the pair discuss and agree on. A key of a built-in
    topic (guidance.py) brings its fields and embedded records; any other key is a topic to
    discuss and agree with no field of its own."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="topics")
    key = models.SlugField(max_length=40, help_text="Built-in topics keep their key (desired_outcome, risks, raci…).")
    title = models.CharField(max_length=SHORT_TEXT)
    prompt = long_text("prompt", "The topic's first question.", max_length=1000)
    helper_questions = long_text("helper questions", "One per line.", max_length=3000)
    field_prompts = models.JSONField(
        "prompts beside each field",
        default=dict,
        blank=True,
        help_text="For topics with several fields: {field name: [prompts]}.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    needs_before_signoff = models.CharField("what it needs before sign-off", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_topic_key_per_version")]

    def __str__(self):
        return self.title

    @property
    def prompts(self):
        return lines(self.prompt) + lines(self.helper_questions)

    def clean(self):
        if self.version_id and self.version.is_published:
            raise ValidationError("A published template version never changes; start a new version from it.")
        fields = [
            f.name for f in (guidance.built_in(self.version.template.number, self.key) or guidance.Section("")).fields
        ]
        if not isinstance(self.field_prompts, dict) or set(self.field_prompts) - set(fields):
            raise ValidationError(
                {"field_prompts": f"Give prompts only for this topic's fields: {', '.join(fields) or 'none'}."}
            )

    def save(self, *args, **kwargs):
        if TemplateVersion.objects.filter(pk=self.version_id, published_at__isnull=False).exists():
            raise ValidationError("A published template version never changes; start a new version from it.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if TemplateVersion.objects.filter(pk=self.version_id, published_at__isnull=False).exists():
            raise ValidationError("A published template version never changes; start a new version from it.")
        return super().delete(*args, **kwargs)


class TemplateTailoring(Versioned):
    """The advisory team's tailoring of one topic of a project's session: its words reworded
    (a blank field keeps the template's), the topic hidden, or a topic added. One row per
    topic; it is in the project's history with who and when."""

    class Kind(models.TextChoices):
        CHANGE = "change", "Reworded"
        HIDE = "hide", "Hidden"
        ADD = "add", "Added"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="template_tailorings")
    session_number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    topic_key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.CHANGE)
    title = models.CharField(max_length=SHORT_TEXT, blank=True)
    prompt = long_text("prompt", max_length=1000)
    helper_questions = long_text("helper questions", "One per line.", max_length=3000)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    needs_before_signoff = models.CharField("what it needs before sign-off", max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)
    # What the project's history calls it ("Session 1: Strategic drivers"), kept with each version.
    name = models.CharField(max_length=SHORT_TEXT + 20, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "session_number", "id"]
        verbose_name = "template tailoring"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "session_number", "topic_key"], name="one_tailoring_per_project_topic"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    def what_changed(self) -> list[str]:
        """What it changes, in words: ["hidden"], ["prompt", "duration"]…"""
        if self.kind == self.Kind.HIDE:
            return ["hidden"]
        if self.kind == self.Kind.ADD:
            return ["added"]
        names = [("title", "title"), ("prompt", "prompt"), ("helper_questions", "helper questions")]
        found = [label for attr, label in names if getattr(self, attr)]
        return found + (["duration"] if self.duration_minutes else [])


def version_for(session) -> TemplateVersion:
    """The version the session uses: its own, or (not started yet) the latest published."""
    if session.template_version_id:
        return session.template_version
    version = TemplateVersion.objects.latest_for(session.number)
    if version is None:
        raise LookupError(f"No published template for session {session.number}: run `manage.py migrate`.")
    return version


def _section(number, topic, tailoring=None) -> guidance.Section:
    """A topic as the page shows it: the structure of a built-in key, the version's words, then
    the project's tailoring over them."""
    base = guidance.built_in(number, topic.key)
    title, prompt, helpers = topic.title, topic.prompt, topic.helper_questions
    duration, needs = topic.duration_minutes, topic.needs_before_signoff
    if tailoring is not None:
        title = tailoring.title or title
        prompt = tailoring.prompt or prompt
        helpers = tailoring.helper_questions or helpers
        duration = tailoring.duration_minutes or duration
        needs = tailoring.needs_before_signoff or needs
    prompts = lines(prompt) + lines(helpers)
    fields = base.fields if base else ()
    if len(fields) == 1 and not base.embed:
        # A one-field topic shows its prompts beside its field, as the seed's pages did.
        fields, prompts = (_with_prompts(fields[0], prompts),), ()
    else:
        fields = tuple(_with_prompts(f, tuple(topic.field_prompts.get(f.name, ()))) for f in fields)
    return guidance.Section(
        title,
        fields,
        prompts,
        embed=base.embed if base else "",
        topic_key="" if base else topic.key,
        duration_minutes=duration,
        needs_before_signoff=needs,
        tailoring=tailoring,
    )


def _with_prompts(spec, prompts):
    return replace(spec, prompts=tuple(prompts))


def _added(tailoring):
    """A topic the tailoring adds, as if it were the version's (no field of its own)."""
    return TemplateTopic(
        key=tailoring.topic_key,
        title=tailoring.title,
        prompt=tailoring.prompt,
        helper_questions=tailoring.helper_questions,
        duration_minutes=tailoring.duration_minutes,
        needs_before_signoff=tailoring.needs_before_signoff,
    )


def tailorings_of(project_id, number) -> dict:
    if not project_id:
        return {}
    rows = TemplateTailoring.objects.filter(project_id=project_id, session_number=number).select_related("by")
    return {row.topic_key: row for row in rows}


def build(number, version, topics, tailorings) -> guidance.Template:
    """The Template of `version` (its `topics`), with the project's `tailorings` over it."""
    shown, hidden = [], []
    keys = {topic.key for topic in topics}
    for topic in topics:
        tailoring = tailorings.get(topic.key)
        section = _section(number, topic, tailoring)
        (hidden if tailoring is not None and tailoring.kind == TemplateTailoring.Kind.HIDE else shown).append(section)
    for tailoring in tailorings.values():
        if tailoring.kind == TemplateTailoring.Kind.ADD and tailoring.topic_key not in keys:
            shown.append(_section(number, _added(tailoring), tailoring))
    return guidance.Template(
        number,
        version.title,
        version.duration,
        lines(version.aligns_on),
        tuple(shown),
        version=version,
        hidden=tuple(hidden),
    )


def resolve(session, version=None, tailored=True) -> guidance.Template:
    """The session's template: its version (or `version`), with its project's tailoring."""
    if version is None and session.template_version_id:
        # One query for the version and its topics (a version is published with at least one).
        topics = list(TemplateTopic.objects.filter(version_id=session.template_version_id).select_related("version"))
        version = topics[0].version if topics else session.template_version
    else:
        version = version or version_for(session)
        topics = list(version.topics.all())
    tailorings = tailorings_of(session.project_id, session.number) if tailored else {}
    return build(session.number, version, topics, tailorings)


def load_seed(WorkshopTemplate, TemplateVersion, TemplateTopic, using="default"):
    """Version 1 of each session's template from template_seed.SEED, where a session has no
    template yet (the data migration, and the post_migrate handler below after a flush)."""
    from django.utils import timezone

    for number, data in SEED.items():
        template, _ = WorkshopTemplate.objects.using(using).get_or_create(number=number)
        if TemplateVersion.objects.using(using).filter(template=template).exists():
            continue
        version = TemplateVersion.objects.using(using).create(
            template=template,
            number=1,
            title=data["title"],
            duration=data["duration"],
            aligns_on="\n".join(data["aligns_on"]),
            change_note=CHANGE_NOTE,
            published_at=timezone.now(),
        )
        # bulk_create: a published version's topics refuse save() one by one.
        TemplateTopic.objects.using(using).bulk_create(
            TemplateTopic(
                version=version,
                key=topic["key"],
                title=topic["title"],
                prompt=topic["prompt"],
                helper_questions="\n".join(topic["helper_questions"]),
                field_prompts=topic["field_prompts"],
                duration_minutes=topic["duration_minutes"],
                needs_before_signoff=topic["needs_before_signoff"],
                order=order,
            )
            for order, topic in enumerate(data["topics"])
        )


def _seed_after_migrate(sender, apps=None, using="default", **kwargs):
    # A flush (TransactionTestCase, `manage.py flush`) empties the tables and sends post_migrate:
    # put version 1 back, as the advisory group's handler puts the group back.
    if sender.label != "alignment":
        return
    if apps is None:  # flush sends no `apps`
        from django.apps import apps
    try:
        models_ = [
            apps.get_model("alignment", name) for name in ("WorkshopTemplate", "TemplateVersion", "TemplateTopic")
        ]
    except LookupError:  # migrated backwards past the templates
        return
    load_seed(*models_, using=using)


post_migrate.connect(_seed_after_migrate, dispatch_uid="alignment.templates_data.seed")
