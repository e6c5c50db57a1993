"""Admin for the core records. The advisory team reads them; nobody changes them here
(projects/admin_base.py). The project list and change page are the advisory team's own:
projects/advisory/admin.py."""

from django.contrib import admin

from .admin_base import MobiliseAdmin
from .models import Membership, Stakeholder


@admin.register(Stakeholder)
class StakeholderAdmin(MobiliseAdmin):
    list_display = ["name", "project", "organisation", "role_title", "kind"]
    list_select_related = ["project"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation", "project__name"]


@admin.register(Membership)
class MembershipAdmin(MobiliseAdmin):
    list_display = ["user", "project", "role", "added_at"]
    list_select_related = ["user", "project"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "project__name"]
    autocomplete_fields = ["user"]
