from django.contrib import admin

from .models import SignInEvent
from .services import sign_in_unlock


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "method", "login", "user", "ip", "reason"]
    list_filter = ["kind", "method"]
    search_fields = ["login", "user__email", "ip"]
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    actions = ["unlock"]

    @admin.action(description="Débloquer les identifiants et adresses IP sélectionnés")
    def unlock(self, request, queryset):
        for login, ip in set(queryset.values_list("login", "ip")):
            sign_in_unlock(login=login, ip=ip, by=request.user)
        self.message_user(request, "Connexions débloquées.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
