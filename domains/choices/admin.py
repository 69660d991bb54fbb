"""Technical admin (/django-admin/) of the semester activity, read-only: the lines are
written by the services (prefill, declarations, the registry's validation), never here.
It is also the anchor of benchmarks/choices.py (the same counts by the admin's filters)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActivityLine


@admin.register(ActivityLine)
class ActivityLineAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "semester", "specialty", "phase", "kind", "status"]
    list_filter = ["semester", "subdivision", "specialty", "phase", "kind", "status"]
    list_select_related = [
        "resident__person",
        "semester",
        "subdivision",
        "specialty",
        "phase",
    ]
    search_fields = ["resident__person__last_name", "resident__person__first_name"]
    raw_id_fields = ["resident", "validated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
