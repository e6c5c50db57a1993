from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .concurrency import strip_control_chars
from .roles import is_advisor

# Bounded free text: one 200 KB field once made a 30-page PDF. Forms refuse more.
SHORT_TEXT = 200
LONG_TEXT = 5000


def long_text(verbose_name, help_text="", max_length=LONG_TEXT, **kwargs):
    """A bounded TextField: the model validator and the form's maxlength agree."""
    return models.TextField(
        verbose_name,
        blank=True,
        help_text=help_text,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **kwargs,
    )


class Versioned(models.Model):
    """Optimistic concurrency: every edit form carries the version it was opened at."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The one place every form, import, admin page and script goes through: text is stored
        # with "\n" line endings and without stray control characters (strip_control_chars).
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_control_chars(value))
        super().save(*args, **kwargs)


def default_currency():
    """New projects start in the deployment's currency (settings.DEFAULT_CURRENCY)."""
    return settings.DEFAULT_CURRENCY


class RAG(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class OverallRAG(models.TextChoices):
    """A project's overall status: a new project is not assessed yet, never green by default."""

    NOT_ASSESSED = "not_assessed", "Not assessed"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


MAX_TIME_TOLERANCE_DAYS = 365
MAX_COST_TOLERANCE_PERCENT = 100


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_advisor(user):
            return self
        return self.filter(memberships__user=user).distinct()


class Project(Versioned):
    class BuyingType(models.TextChoices):
        GOODS = "goods", "Goods"
        SERVICES = "services", "Services"
        WORKS = "works", "Works"
        INNOVATION = "innovation", "Innovation / new solution"
        COLLABORATIVE = "collaborative", "Collaborative procurement"
        OTHER = "other", "Other"

    class Stage(models.TextChoices):
        MOBILISE = "mobilise", "Mobilise"
        PLAN = "plan", "Plan"
        MARKET = "market", "Engage the market"
        TENDER = "tender", "Tender and evaluate"
        AWARD = "award", "Award"
        DELIVER = "deliver", "Deliver and manage"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=SHORT_TEXT)
    reference = models.CharField(max_length=50, blank=True, help_text="Your organisation's reference, if any.")
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in the project's web address.")
    buying_type = models.CharField(max_length=20, choices=BuyingType, default=BuyingType.SERVICES)
    sponsor = models.CharField(max_length=SHORT_TEXT, blank=True, help_text="Who sponsors the project.")
    project_manager = models.CharField(max_length=SHORT_TEXT, blank=True)
    business_objective = long_text("business objective", "What the business is trying to achieve.")
    desired_outcome = long_text("desired outcome", "What success looks like when the buying is done.")
    problem_or_opportunity = long_text("problem or opportunity")
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.MOBILISE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, default=default_currency, help_text="ISO 4217 code, e.g. AUD, GBP, EUR.")
    budget_allocated = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_revised = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    budget_spent = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    rag_status = models.CharField(
        "overall RAG status", max_length=12, choices=OverallRAG, default=OverallRAG.NOT_ASSESSED
    )
    rag_reason = long_text("reason for the RAG status", max_length=1000)
    # PRINCE2 tolerances: how far the forecast may deviate, either way, before the board must
    # decide (an exception). Blank: not set, and the report says so.
    time_tolerance_days = models.PositiveSmallIntegerField(
        "time tolerance (± days)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_TIME_TOLERANCE_DAYS)],
        help_text="How many days any milestone may be forecast late or early before it is an exception for the board.",
    )
    cost_tolerance_percent = models.DecimalField(
        "cost tolerance (± %)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_COST_TOLERANCE_PERCENT)],
        help_text="How far, as a percentage of the budget allocated, the forecast cost may be over or under before it is an exception.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_allocated__gte=0), name="project_budget_allocated_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_revised__gte=0), name="project_budget_revised_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(time_tolerance_days__lte=MAX_TIME_TOLERANCE_DAYS),
                name="project_time_tolerance_in_range",
                violation_error_message="The time tolerance is at most 365 days.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    cost_tolerance_percent__gte=0, cost_tolerance_percent__lte=MAX_COST_TOLERANCE_PERCENT
                ),
                name="project_cost_tolerance_in_range",
                violation_error_message="The cost tolerance is between 0 and 100 per cent.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.slug])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})


class Membership(Versioned):
    class Role(models.TextChoices):
        BUYER = "buyer", "Buyer"
        OFFICER = "officer", "Procurement officer"
        MANAGER = "manager", "Project manager"
        CONTRIBUTOR = "contributor", "Contributor"
        VIEWER = "viewer", "Viewer"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role)
    added_at = models.DateTimeField(auto_now_add=True)
    email_my_turn = models.BooleanField(
        "email me when it is my turn",
        default=False,
        help_text="An email when the other party signs a session or agrees a topic (alignment/turns.py).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Stakeholder(Versioned):
    class Kind(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        BUYER = "buyer", "Buyer"
        PROCUREMENT = "procurement", "Procurement"
        SME = "sme", "Subject-matter expert"
        APPROVER = "approver", "Approver"
        CORE_TEAM = "core_team", "Core team"
        END_USER = "end_user", "End user"
        GOVERNANCE = "governance", "Governance"
        SUPPLIER_MARKET = "supplier_market", "Supplier market"
        OTHER = "other", "Other"

    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=SHORT_TEXT)
    organisation = models.CharField(max_length=SHORT_TEXT, blank=True)
    role_title = models.CharField("role or title", max_length=SHORT_TEXT, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORE_TEAM)
    interest = models.CharField(max_length=6, choices=Level, default=Level.MEDIUM)
    influence = models.CharField(max_length=6, choices=Level, default=Level.MEDIUM)
    approval_criteria = long_text(
        "approval criteria", "For approvers: what they need to see to give their support.", max_length=2000
    )
    communication_needs = long_text("communication needs", max_length=2000)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stakeholder_roles",
        help_text="Link to a Mobilise account, if this person has one.",
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # "Order added": a new stakeholder without a place of its own goes after the others.
        if self._state.adding and not self.position and self.project_id:
            last = Stakeholder.objects.filter(project_id=self.project_id).aggregate(last=models.Max("position"))["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)


class Invitation(models.Model):
    """An invitation by email to join a project with a role (projects/invitations.py).

    Only the SHA-256 of the link's token is kept. An email that already had an account is
    recorded too, as accepted at once ("you were added"), so every invitation a buyer sends
    counts towards the rate limit and shows in the history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Membership.Role)
    token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notify_error = models.CharField(max_length=300, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["invited_by", "created_at"], name="invitation_by_when")]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    def is_open(self, now=None) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > (now or timezone.now())

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "Joined" if self.accepted_by_id else "Accepted"
        if self.revoked_at:
            return "Revoked"
        return "Expired" if self.expires_at <= timezone.now() else "Waiting"
