"""The three alignment sessions, their sign-offs, the evidence, the assumptions log and the
sessions' action items.

The project's business objective, desired outcome and problem statement live on Project
(one copy): session 1 edits them there, so the dashboard, the brief and session 1 agree.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects.models import SHORT_TEXT, Membership, Project, Stakeholder, Versioned, long_text

from . import guidance
from .templates_data import (  # noqa: F401  (the template models are this app's too)
    TemplateTailoring,
    TemplateTopic,
    TemplateVersion,
    WorkshopTemplate,
    resolve,
)


class Session(Versioned):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        AGREED = "agreed", "Agreed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="alignment_sessions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    held_on = models.DateField("held on", null=True, blank=True)
    attendees = models.ManyToManyField(Stakeholder, blank=True, related_name="alignment_sessions")
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    # The workshop template version it uses: the latest when it was started, until someone
    # moves it (alignment/tailoring.py). Never changed once it is agreed.
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )

    # Session 1 (objective, outcome and problem are on Project).
    strategic_drivers = long_text("strategic drivers")
    situation = long_text("current situation")
    needs = long_text("needs")
    opportunity = long_text("opportunity")
    progress_to_date = long_text("progress to date")
    concerns = long_text("concerns or constraints")
    prior_experience = long_text("prior experience of innovation buying", max_length=3000)
    maturity = models.CharField(
        "innovation buying maturity", max_length=20, blank=True, choices=guidance.choices(guidance.MATURITY)
    )
    risk_appetite = models.CharField(max_length=20, blank=True, choices=guidance.choices(guidance.RISK_APPETITE))

    # Sessions 2 and 3.
    notes = long_text("notes and actions", max_length=3000)

    # Session 3: the support level the pair chose, against the recommendation at the time.
    support_level = models.CharField(
        "innovation procurement support level",
        max_length=20,
        blank=True,
        choices=guidance.choices(guidance.SUPPORT_LEVELS),
    )
    support_recommended = models.CharField(
        "recommended support level", max_length=20, blank=True, choices=guidance.choices(guidance.SUPPORT_LEVELS)
    )
    support_reason = long_text("reason for overriding the recommendation", max_length=2000)
    support_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support_decided_at = models.DateTimeField(null=True, blank=True)

    # What re-opened each topic that had been agreed ({topic key: note}), until it is agreed again.
    topic_notes = models.JSONField(default=dict, blank=True, editable=False)
    # The visible note left when a change re-opened an agreed topic.
    change_note = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_session_per_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=3), name="session_number_1_to_3"),
        ]

    def __str__(self):
        return f"Session {self.number}: {guidance.TEMPLATES[self.number].title}"  # no query: admin lists many

    @property
    def template(self) -> guidance.Template:
        """Its template version's words on the sessions' structure, with the project's tailoring
        (read once per object: call `forget_template()` after changing either)."""
        if "_template" not in self.__dict__:
            self.__dict__["_template"] = resolve(self)
        return self.__dict__["_template"]

    def forget_template(self):
        self.__dict__.pop("_template", None)

    def save(self, *args, **kwargs):
        if self._state.adding and self.template_version_id is None:
            self.template_version = TemplateVersion.objects.latest_for(self.number)
        super().save(*args, **kwargs)

    @property
    def name(self):  # the history page names records by `name`
        return f"Session {self.number}"


class SignOff(Versioned):
    """A buyer's or procurement officer's agreement to a session's content, as it stood."""

    ROLES = [(Membership.Role.BUYER, "Buyer"), (Membership.Role.OFFICER, "Procurement officer")]

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="session_signoffs")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signoffs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_signoffs")
    role = models.CharField(max_length=20, choices=ROLES)
    signed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = "sign-off"
        constraints = [
            models.UniqueConstraint(fields=["session", "role"], name="one_signoff_per_role"),
            models.UniqueConstraint(fields=["session", "user"], name="one_signoff_per_person"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} sign-off by {self.user}"

    @property
    def name(self):
        return f"Session {self.session.number}: {self.get_role_display()} sign-off"


class TopicAgreement(models.Model):
    """The buyer's or the procurement officer's agreement to one topic of a session (a section
    of its template) as it stood. A topic is agreed when both have agreed it; changing its
    content removes both, re-opening that topic only (services.content_changed)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="topic_agreements")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topic_agreements")
    topic = models.CharField(max_length=40)
    role = models.CharField(max_length=20, choices=SignOff.ROLES)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topic_agreements")
    agreed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "topic", "role"]
        constraints = [
            models.UniqueConstraint(fields=["session", "topic", "role"], name="one_topic_agreement_per_role"),
            models.UniqueConstraint(fields=["session", "topic", "user"], name="one_topic_agreement_per_person"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} agreed {self.topic} ({self.user})"

    @property
    def name(self):
        title = self.session.template.topic_title(self.topic) if self.session_id else self.topic
        return f"Session {self.session.number}: “{title}” agreed as {self.get_role_display().lower()}"


class Minutes(models.Model):
    """The minutes of a session as it stood when it was agreed: a snapshot and the PDF made
    from it, with the PDF's SHA-256. Never changed: a later agreement adds a new version."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="minutes")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField(help_text="1, 2, 3... within the session.")
    agreed_at = models.DateTimeField()
    snapshot = models.JSONField(editable=False)
    pdf = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)

    history = HistoricalRecords(excluded_fields=["snapshot", "pdf"])

    class Meta:
        ordering = ["session", "-number"]
        verbose_name = "minutes"
        verbose_name_plural = "minutes"
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="one_minutes_number_per_session")]

    def __str__(self):
        return f"Minutes of session {self.session.number}, version {self.number}"

    @property
    def name(self):  # the history page names records by `name`
        return str(self)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Minutes are frozen when a session is agreed and never changed.")
        super().save(*args, **kwargs)

    @classmethod
    def heavy_fields(cls):
        return ["snapshot", "pdf"]


class Evidence(Versioned):
    """A short piece of evidence for the problem or opportunity, with where it comes from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence")
    text = models.CharField("evidence", max_length=500)
    source = models.CharField(
        max_length=SHORT_TEXT, blank=True, help_text="Where it comes from: a report, data set, survey…"
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.text[:80]

    @property
    def name(self):
        return self.text[:80]


class AssumptionQuerySet(models.QuerySet):
    def with_action(self):
        """Each with `action_pk`: the action made from it, if any (at most one, see Action)."""
        return self.annotate(
            action_pk=models.Subquery(Action.objects.filter(source_assumption=models.OuterRef("pk")).values("pk")[:1])
        )


class Assumption(Versioned):
    """A line of session 2's assumptions and questions log."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        VALIDATED = "validated", "Validated"
        INVALIDATED = "invalidated", "Invalidated"
        ANSWERED = "answered", "Answered"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assumptions")
    text = models.CharField("assumption or question", max_length=1000)
    owner = models.ForeignKey(Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="assumptions")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    answer = long_text("answer or finding", max_length=2000)
    position = models.PositiveIntegerField(default=0)

    objects = AssumptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "due_date", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def name(self):
        return self.text[:80]


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Action.Status.OPEN)

    def by_due_date(self):
        """Oldest due first; those without a due date last."""
        return self.order_by(models.F("due_date").asc(nulls_last=True), "id")


class Action(Versioned):
    """An action item agreed in a session: who does what by when.

    Actions record follow-ups, not the agreement: they are not part of what a session must
    cover (coverage.py), and writing one never clears a session's sign-offs (it is not in
    services.EMBEDDED_CONTENT, and its views do not call content_changed)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField("action", max_length=1000)
    owner = models.ForeignKey(Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    source_assumption = models.ForeignKey(
        Assumption,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The assumption or question of session 2's log this action was made from.",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # "Make an action" clicked twice makes one action (NULLs are distinct: many without).
            models.UniqueConstraint(fields=["source_assumption"], name="one_action_per_assumption"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def name(self):  # the history page names records by `name`
        return self.text[:80]

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_date is not None and self.due_date < timezone.localdate()

    def clean(self):
        # Everything it points at belongs to its own project (forms also offer only those).
        if self.project_id is None:
            return
        errors = {}
        if self.owner_id is not None and self.owner.project_id != self.project_id:
            errors["owner"] = "Choose the owner from this project's stakeholders."
        if self.session_id is not None and self.session.project_id != self.project_id:
            errors["session"] = "The session must be one of this project's."
        if self.source_assumption_id is not None and self.source_assumption.project_id != self.project_id:
            errors["source_assumption"] = "The assumption must be one of this project's log."
        if errors:
            raise ValidationError(errors)


class ShareLink(models.Model):
    """A read-only link to the brief and the agreed minutes for someone who will never log in
    (a sponsor, an approver). The address carries a random token; only its SHA-256 is stored,
    so the table alone opens nothing. It expires, can be revoked, and each opening is logged."""

    MAX_DAYS = 90

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField("for", max_length=SHORT_TEXT, help_text="Who it is for, e.g. 'Chris Furness, sponsor'.")
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["token_sha256"])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link for {self.label}"

    def is_live(self, now=None):
        return self.revoked_at is None and (now or timezone.now()) < self.expires_at


class ShareLinkOpening(models.Model):
    """One opening of a share link: when, and what was opened (the brief, its PDF or minutes)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=100)

    class Meta:
        ordering = ["-opened_at", "-id"]


class SignatureReminder(models.Model):
    """A reminder sent by `manage.py remind_signatures` for a sign-off that waits for the other
    party's signature (alignment/turns.py): one per sign-off every SIGNATURE_REMINDER_DAYS."""

    signoff = models.ForeignKey(SignOff, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.TextField(help_text="The addresses, one a line.")

    class Meta:
        ordering = ["-sent_at"]


class SessionPresence(models.Model):
    """Who has a session page open now (alignment/live.py): one row per person and session,
    its time moved by each poll. Kept in the database, so every app server sees everyone."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "number", "user"], name="one_presence_per_person")]
        indexes = [models.Index(fields=["project", "number", "last_seen"], name="presence_recent")]


class TopicTimer(models.Model):
    """A workshop topic's timer (alignment/facilitation.py), kept on the server so everyone on
    the page sees the same time: `elapsed_seconds` run before, plus since `started_at` while it
    runs. Starting one topic's timer pauses the session's other one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=40)
    started_at = models.DateTimeField(null=True, blank=True)
    elapsed_seconds = models.PositiveIntegerField(default=0)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "number", "topic"], name="one_timer_per_topic")]
