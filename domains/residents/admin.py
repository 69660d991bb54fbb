from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    InterChuQuota,
    IssuedDocument,
    LastAdmittedRank,
    MassOperation,
    ReplacementThreshold,
)


@admin.register(InterChuQuota)
class InterChuQuotaAdmin(SimpleHistoryAdmin):
    list_display = ["subdivision", "semester", "places"]
    list_filter = ["semester"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["issued_at", "kind", "code", "summary", "issued_by"]
    search_fields = ["code", "summary"]
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(MassOperation)
class MassOperationAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "count", "by", "undone_at"]
    readonly_fields = [f.name for f in MassOperation._meta.fields]

    def has_add_permission(self, request):
        return False


# The technical admin's view of the reference tables; UNESS admins and the registries
# keep them in the cockpit (Seuils de la licence de remplacement, Derniers rangs admis).
@admin.register(ReplacementThreshold)
class ReplacementThresholdAdmin(SimpleHistoryAdmin):
    list_display = [
        "specialty",
        "label",
        "semesters_required",
        "of_which_count",
        "of_which_kind",
        "is_demo",
    ]
    list_filter = ["is_demo"]


@admin.register(LastAdmittedRank)
class LastAdmittedRankAdmin(SimpleHistoryAdmin):
    list_display = [
        "specialty",
        "subdivision",
        "cohort",
        "ranking_kind",
        "last_rank",
        "last_percentage",
    ]
    list_filter = ["subdivision", "cohort"]
