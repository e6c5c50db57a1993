"""The advisory team's project list and change page in Django admin.

Advisors hold view permissions plus "change advisory review" (see permissions.py). They may
open the project change page to save the review inline, but every project field stays read
only for them and saving never touches the project row.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from alignment.readiness import readiness as readiness_of
from projects.admin_base import MobiliseAdmin, MobiliseStackedInline, MobiliseTabularInline, in_advisory_team
from projects.concurrency import strip_control_chars
from projects.models import Membership, Project, Stakeholder
from projects.plan.models import Milestone
from projects.reports.models import HighlightReport
from projects.templatetags.mobilise import rag_css
from raci.models import Activity
from risks.models import Issue, Risk

from . import checks, filters, portfolio, queries, review_log
from .models import AdvisoryReview, ReviewEntry

SUMMARY_ROWS = 15  # rows per read-only summary on the change page; the rest are linked


def can_edit_projects(request):
    # The advisory team never edits a project, whatever else its accounts may hold.
    return request.user.has_perm("projects.change_project") and not in_advisory_team(request.user)


def can_review(request):
    return request.user.has_perm("advisory.change_advisoryreview")


class AdvisoryReviewForm(forms.ModelForm):
    """The review as advisors edit it; two advisors saving at once get a conflict, not a
    silent overwrite (the project-wide rule of projects/concurrency.py). The version travels
    as `seen_version`: admin refuses to list the model's non-editable `version` field."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AdvisoryReview
        fields = ["status", "advice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        cleaned["advice"] = strip_control_chars(cleaned.get("advice", ""))
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = AdvisoryReview.objects.filter(pk=self.instance.pk).first()
            if current and current.version != seen:
                data = self.data.copy()
                data[self.add_prefix("seen_version")] = current.version
                self.data = data  # saving again deliberately keeps these values
                raise ValidationError(
                    "Someone else saved this review while you were editing it: status “%(status)s”, "
                    "advice “%(advice)s”. Your values are still in the form; save again to keep yours.",
                    params={"status": current.get_status_display(), "advice": current.advice[:300]},
                )
        return cleaned


class AdvisoryReviewInline(MobiliseStackedInline):
    model = AdvisoryReview
    form = AdvisoryReviewForm
    fields = ["status", "advice", "seen_version", "reviewed_by", "reviewed_on"]
    readonly_fields = ["reviewed_by", "reviewed_on"]
    can_delete = False
    max_num = 1
    min_num = 1
    advisors_may_change = True
    verbose_name = "advisory review"
    verbose_name_plural = "advisory review"

    def has_add_permission(self, request, obj=None):
        # A project with no review row is simply "not reviewed": creating the row is part
        # of changing the review, not adding a record of its own.
        return can_review(request)


class ReviewEntryInline(MobiliseStackedInline):
    """The review log on the project's page: advisors add an entry; entries are never edited."""

    model = ReviewEntry
    fields = ["reviewed_on", "looked_at", "findings", "status", "follow_up_on", "report", "reviewer"]
    readonly_fields = ["reviewer"]
    extra = 1
    can_delete = False
    advisors_may_change = True
    verbose_name = "review log entry"
    verbose_name_plural = "review log (newest first; add one for each review)"

    def has_add_permission(self, request, obj=None):
        return can_review(request)

    def has_change_permission(self, request, obj=None):
        # Added, never rewritten: existing entries show read-only, the new row is a form.
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_review(request)

    def get_queryset(self, request):
        report_fields = [f"report__{name}" for name in HighlightReport.heavy_fields()]
        return super().get_queryset(request).select_related("reviewer", "report").defer(*report_fields)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if "report" in fields:
            fields["report"].queryset = (
                HighlightReport.objects.filter(project=obj).defer(*HighlightReport.heavy_fields())
                if obj
                else HighlightReport.objects.none()
            )
            fields["report"].label_from_instance = lambda report: (
                f"Report {report.number}, {report.period_start:%-d %b %Y} to {report.period_end:%-d %b %Y}"
                + ("" if report.issued_at else " (draft)")
            )
        if "reviewed_on" in fields:
            fields["reviewed_on"].initial = timezone.localdate
        if "looked_at" in fields:
            fields["looked_at"].widget.attrs["rows"] = 2
        if "findings" in fields:
            fields["findings"].widget.attrs["rows"] = 2
        return formset


class ReviewStatusForm(forms.Form):
    """The bulk action's form: one status and note for every selected project."""

    status = forms.ChoiceField(choices=ReviewEntry._meta.get_field("status").choices)
    note = forms.CharField(
        label="What was looked at",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was looked at: it goes into each project's review log."},
    )


class MembershipInline(MobiliseTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


def _admin_link(model, label, **params):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


def _app_link(name, slug, label):
    return format_html('<a href="{}">{}</a>', reverse(name, args=[slug]), label)


def _table(caption, headers, rows):
    if not rows:
        return format_html("<p>{}: none.</p>", caption)
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((c if c is not None else "",) for c in row)),) for row in rows),
    )
    return format_html(
        "<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", caption, head, body
    )


def _summary(queryset, caption, headers, row, more_link):
    count = queryset.count()
    rows = [row(obj) for obj in queryset[:SUMMARY_ROWS]] if count else []
    table = _table(f"{caption} ({count})", headers, rows)
    if count > SUMMARY_ROWS:
        return format_html("{}<p>Showing {} of {}. {}</p>", table, SUMMARY_ROWS, count, more_link)
    return format_html("{}<p>{}</p>", table, more_link) if more_link else table


class ProjectAdmin(MobiliseAdmin):
    list_display = [
        "name",
        "reference",
        "buying_type",
        "stage",
        "rag",
        "readiness",
        "sessions",
        "high_risks",
        "overdue_reviews",
        "next_milestone",
        "last_report",
        "project_manager",
        "review_status",
    ]
    list_display_links = ["name"]
    list_filter = [
        "buying_type",
        "stage",
        "rag_status",
        filters.ReadinessFilter,
        filters.SessionsAgreedFilter,
        filters.HighRisksFilter,
        filters.OverdueRiskReviewFilter,
        filters.NextMilestoneFilter,
        filters.LastReportFilter,
        "project_manager",
        filters.ReviewStatusFilter,
        filters.ConsistencyFilter,
    ]
    # Searched by `get_search_results`: the project row's own columns, and EXISTS probes
    # along the indexed project foreign keys for people and stakeholders.
    search_fields = [
        "name",
        "reference",
        "=slug",
        "sponsor",
        "project_manager",
        "^memberships__user__username",
        "^memberships__user__first_name",
        "^memberships__user__last_name",
        "stakeholders__name",
    ]
    list_per_page = 25  # a screenful; 500 projects stay one query set (issue 20 point 5)

    class Media:
        css = {"all": ["css/admin.css"]}  # the list's columns fit 1280 px

    # Only for those who may edit the project (simple-history's revert page reads the
    # attribute directly and would fail on a read-only slug).
    prepopulated_fields = {}
    inlines = [AdvisoryReviewInline, ReviewEntryInline, MembershipInline]
    actions = ["export_portfolio", "download_latest_reports", "set_review_status"]
    overview_fields = [
        "app_links",
        "readiness_detail",
        "consistency_detail",
        "stakeholder_summary",
        "milestone_summary",
        "risk_summary",
        "issue_summary",
        "raci_summary",
        "report_summary",
    ]

    # Queries ---------------------------------------------------------------------------

    def get_queryset(self, request):
        return queries.portfolio(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        # Django's own search joins memberships and stakeholders into this annotated query
        # and then needs DISTINCT over every column: each joined row evaluated every
        # readiness and check subquery (13 s for the two demo projects on PostgreSQL, 47-60 s
        # with five). A many-valued field becomes an EXISTS instead, so no row repeats.
        return queries.search(queryset, self.get_search_fields(request), search_term), False

    # Permissions: advisors change the review, never the project ------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or can_review(request)

    def has_change_history_permission(self, request, obj=None):
        # Reverting a project from its history is an edit of the project itself.
        return can_edit_projects(request)

    def get_readonly_fields(self, request, obj=None):
        if can_edit_projects(request):
            return self.overview_fields
        return [f.name for f in Project._meta.fields if f.editable and not f.primary_key] + self.overview_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if can_edit_projects(request) else {}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        main = [f for f in fieldsets[0][1]["fields"] if f not in self.overview_fields]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            ("In the app", {"fields": ["app_links"]}),
            ("Readiness and consistency", {"fields": ["readiness_detail", "consistency_detail"]}),
            ("Project", {"fields": main}),
            ("Records", {"fields": self.overview_fields[3:]}),
        ]

    def save_model(self, request, obj, form, change):
        if change and not can_edit_projects(request):
            return  # advisors only save the review inline
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is ReviewEntry:
            # New entries only, through the log's rule (it moves the review status too).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for entry_form in formset.forms:
                if entry_form.has_changed() and not entry_form.instance.pk:
                    entry = entry_form.save(commit=False)
                    entry.project = form.instance
                    formset.new_objects.append(review_log.record(entry, by=request.user))
            return
        if formset.model is AdvisoryReview:
            for review_form in formset.forms:
                if review_form.has_changed():
                    review = review_form.instance
                    review.reviewed_by = request.user
                    review.reviewed_on = timezone.localdate()
                    review.version = (review.version or 0) + 1
        super().save_formset(request, form, formset, change)

    def may_revert(self, request, object_id):
        # Change permission here includes reviewers; reverting the project needs more.
        return can_edit_projects(request) and super().may_revert(request, object_id)

    def log_change(self, request, obj, message):
        if can_edit_projects(request):
            return super().log_change(request, obj, message)
        # Reviewers saved the review and nothing else: the entry is about the review, and
        # there is none when nothing changed.
        review = AdvisoryReview.objects.filter(project=obj).first()
        if message and review is not None:
            return super().log_change(request, review, message)
        return None

    # List columns -------------------------------------------------------------------------

    @admin.display(description="RAG", ordering="rag_status")
    def rag(self, project):
        return format_html(
            '<span class="rag {}">{}</span>', rag_css(project.rag_status), project.get_rag_status_display()
        )

    @admin.display(description="readiness")
    def readiness(self, project):
        items = queries.readiness_items(project)
        done = sum(1 for _, ok in items if ok)
        missing = [label for label, ok in items if not ok]
        if not missing:
            return f"{done} of {len(items)}"
        return format_html("{} of {}<br><small>Missing: {}</small>", done, len(items), "; ".join(missing))

    @admin.display(description="sessions agreed", ordering="sessions_agreed")
    def sessions(self, project):
        return "–" if project.sessions_agreed is None else f"{project.sessions_agreed} of 3"

    @admin.display(description="high / very high risks", ordering="high_risk_count")
    def high_risks(self, project):
        return "–" if project.high_risk_count is None else project.high_risk_count

    @admin.display(description="overdue risk reviews", ordering="overdue_review_count")
    def overdue_reviews(self, project):
        # A count with a problem mark: a boolean column showed admin's green tick for "yes,
        # some are overdue", which reads as all is well.
        count = project.overdue_review_count
        if not count:
            return "None"
        return format_html('<img src="{}" alt="Problem:"> {} overdue', static("admin/img/icon-alert.svg"), count)

    @admin.display(description="next milestone", ordering="next_milestone_baseline")
    def next_milestone(self, project):
        if project.next_milestone_name is None:
            return "–"
        slip = queries.next_milestone_slip(project)
        due = project.next_milestone_baseline.strftime("%d %b %Y") if project.next_milestone_baseline else "no date"
        slip_text = f"slipping {slip} days" if slip else "on time"
        late = project.slipping_count
        if late:
            # The worst of every open milestone, so a late later milestone is never hidden.
            worst = queries.worst_slip_days(project)
            plural = "s" if late != 1 else ""
            return format_html(
                '{}<br><small>{}, {}</small><br><small><img src="{}" alt="Problem:"> {} milestone{} slipping, worst {} days</small>',
                project.next_milestone_name,
                due,
                slip_text,
                static("admin/img/icon-alert.svg"),
                late,
                plural,
                worst,
            )
        return format_html("{}<br><small>{}, {}</small>", project.next_milestone_name, due, slip_text)

    @admin.display(description="last issued report", ordering="last_report_at")
    def last_report(self, project):
        if project.last_report_at is None:
            return "Never"
        return timezone.localtime(project.last_report_at).strftime("%d %b %Y")

    @admin.display(description="review", ordering="review_state")
    def review_status(self, project):
        label = AdvisoryReview.Status(project.review_state).label
        if project.last_review_on is None:
            return label
        follow = ""
        if project.next_follow_up:
            overdue = project.next_follow_up < timezone.localdate()
            follow = format_html(
                "<br><small>{}follow up by {}</small>",
                "⚠ overdue: " if overdue else "",
                project.next_follow_up.strftime("%d %b %Y"),
            )
        return format_html("{}<br><small>last {}</small>{}", label, project.last_review_on.strftime("%d %b %Y"), follow)

    # Change page: read-only overview ---------------------------------------------------------

    @admin.display(description="Open in Mobilise")
    def app_links(self, project):
        links = [
            _app_link(name, project.slug, label)
            for name, label in [
                ("projects:detail", "Dashboard"),
                ("projects:stakeholders", "Stakeholders"),
                ("plan:plan", "Work plan"),
                ("plan:plan-pdf", "Work plan PDF"),
                ("plan:communications", "Communications"),
                ("alignment:brief", "Project brief"),
                ("alignment:brief-pdf", "Brief PDF"),
                ("raci:matrix", "RACI"),
                ("raci:print", "RACI (printable)"),
                ("risks:register", "Risk register"),
                ("risks:issues", "Issue log"),
                ("exchange:export-xlsx", "Whole project (.xlsx)"),
                ("reports:reports", "Highlight reports"),
                ("projects:history", "History"),
            ]
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links if link))

    @admin.display(description="Readiness")
    def readiness_detail(self, project):
        # One project: the checklist the buying team sees, with what is missing in full.
        rows = [(item.label, "done" if item.done else f"missing: {item.missing}") for item in readiness_of(project)]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", rows))

    @admin.display(description="Consistency checks")
    def consistency_detail(self, project):
        parts = []
        for result in checks.problems(project):
            if not result.count:
                parts.append(format_html("<li>{}: none</li>", result.label))
            else:
                more = f" and {result.count - len(result.records)} more" if result.count > len(result.records) else ""
                parts.append(
                    format_html(
                        "<li>{} ({}):<ul>{}</ul>{}</li>",
                        result.label,
                        result.count,
                        format_html_join("", "<li>{}</li>", ((r,) for r in result.records)),
                        more,
                    )
                )
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((p,) for p in parts)))

    @admin.display(description="Stakeholders")
    def stakeholder_summary(self, project):
        return _summary(
            project.stakeholders.all(),
            "Stakeholders",
            ["Name", "Organisation", "Role", "Kind"],
            lambda s: [s.name, s.organisation, s.role_title, s.get_kind_display()],
            _admin_link(Stakeholder, "All in admin", project__id__exact=project.pk),
        )

    @admin.display(description="Milestones")
    def milestone_summary(self, project):
        return _summary(
            project.milestones.all(),
            "Milestones",
            ["Name", "Baseline end", "Forecast end", "Slip (days)", "Status"],
            lambda m: [m.name, m.baseline_end, m.forecast_end, m.slip_days, m.get_status_display()],
            _admin_link(Milestone, "All in admin", project__id__exact=project.pk),
        )

    @admin.display(description="Risks")
    def risk_summary(self, project):
        return _summary(
            Risk.objects.filter(project=project).select_related("owner").order_by("-score", "number"),
            "Risks by score",
            ["Ref", "Event", "L", "I", "Score", "Owner", "Status", "Next review"],
            lambda r: [
                r.reference,
                r.event[:150],
                r.likelihood,
                r.impact,
                r.score,
                r.owner,
                r.get_status_display(),
                r.next_review_date,
            ],
            _admin_link(Risk, "All in admin", project__id__exact=project.pk),
        )

    @admin.display(description="Issues")
    def issue_summary(self, project):
        return _summary(
            Issue.objects.filter(project=project).select_related("owner").in_log_order(),
            "Issues, open first",
            ["Ref", "Title", "Type", "Priority", "Owner", "Status"],
            lambda i: [
                i.reference,
                i.title,
                i.get_issue_type_display(),
                i.get_priority_display(),
                i.owner,
                i.get_status_display(),
            ],
            _admin_link(Issue, "All in admin", project__id__exact=project.pk),
        )

    @admin.display(description="RACI activities")
    def raci_summary(self, project):
        return _summary(
            Activity.objects.filter(project=project).select_related("milestone"),
            "RACI activities",
            ["Activity", "Milestone"],
            lambda a: [a.name, a.milestone],
            _admin_link(Activity, "All in admin", project__id__exact=project.pk),
        )

    @admin.display(description="Highlight reports")
    def report_summary(self, project):
        def row(report):
            issued = timezone.localtime(report.issued_at).strftime("%d %b %Y") if report.issued_at else "draft"
            pdf = None
            if report.issued_at:
                pdf = format_html(
                    '<a href="{}">PDF</a>', reverse("reports:report-pdf", args=[project.slug, report.number])
                )
            return [
                report.number,
                f"{report.period_start} to {report.period_end}",
                report.get_overall_rag_display(),
                issued,
                pdf,
            ]

        return _summary(
            project.reports.defer(*HighlightReport.heavy_fields()).order_by("-number"),
            "Highlight reports",
            ["No.", "Period", "RAG", "Issued", "PDF"],
            row,
            _admin_link(HighlightReport, "All in admin", project__id__exact=project.pk),
        )

    # Actions ------------------------------------------------------------------------------

    @admin.action(description="Export the portfolio summary (.xlsx)", permissions=["view"])
    def export_portfolio(self, request, queryset):
        data = portfolio.portfolio_xlsx(
            Project.objects.filter(pk__in=queryset.values("pk")), base_url=request.build_absolute_uri("/").rstrip("/")
        )
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="portfolio-{timezone.localdate():%Y-%m-%d}.xlsx"'
        return response

    def has_review_permission(self, request):
        return can_review(request)

    @admin.action(description="Set the review status (one note for each project's review log)", permissions=["review"])
    def set_review_status(self, request, queryset):
        form = ReviewStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = review_log.record_many(
                list(Project.objects.filter(pk__in=queryset.values("pk")).order_by("name").only("pk", "name")),
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                reviewed_on=timezone.localdate(),
            )
            label = dict(form.fields["status"].choices)[form.cleaned_data["status"]]
            self.message_user(
                request, f"Set {count} project{'s' if count != 1 else ''} to “{label}” with a review log entry each."
            )
            return None
        return TemplateResponse(
            request,
            "admin/advisory/set_review_status.html",
            {
                **self.admin_site.each_context(request),
                "title": "Set the review status",
                "form": form,
                "projects": Project.objects.filter(pk__in=queryset.values("pk")).order_by("name").only("pk", "name"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Download the latest issued highlight report PDFs (.zip)", permissions=["view"])
    def download_latest_reports(self, request, queryset):
        data, included, _missing = portfolio.latest_reports_zip(Project.objects.filter(pk__in=queryset.values("pk")))
        if not included:
            self.message_user(
                request, "None of the selected projects has an issued highlight report yet.", messages.WARNING
            )
            return None
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="highlight-reports-{timezone.localdate():%Y-%m-%d}.zip"'
        )
        return response
