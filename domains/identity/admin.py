from django.contrib import admin

from .models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "method", "login", "user", "ip", "reason"]
    list_filter = ["kind", "method"]
    search_fields = ["login", "user__email", "ip"]
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
