from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import InterChuQuota, IssuedDocument, MassOperation


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
