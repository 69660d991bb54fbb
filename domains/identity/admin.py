from django import forms
from django.contrib import admin, messages
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from domains.cockpit.audit import audited
from domains.cockpit.bulk import RowRefused, all_or_nothing
from domains.cockpit.confirmation import requires_recent_confirmation

from .models import FederatedIdentity, IdentityProvider, SignInEvent
from .saml import SamlRefused, idp_descriptions
from .services import sign_in_unlock


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "method", "login", "user", "ip", "reason"]
    list_filter = ["kind", "method"]
    search_fields = ["login", "user__email", "ip"]
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    actions = ["unlock"]

    @admin.action(
        description=_("Débloquer les identifiants et adresses IP sélectionnés")
    )
    def unlock(self, request, queryset):
        try:
            all_or_nothing(
                sorted(set(queryset.values_list("login", "ip")), key=str),
                lambda pair: sign_in_unlock(login=pair[0], ip=pair[1], by=request.user),
            )
        except RowRefused as refused:
            self.message_user(request, refused.messages[0], messages.ERROR)
        else:
            self.message_user(request, _("Connexions débloquées."))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IdentityProviderForm(forms.ModelForm):
    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "entity_id",
            "metadata_xml",
            "metadata_url",
            "is_active",
            "allow_unsolicited",
            "email_domains",
            "legacy_id_attribute",
            "legacy_id_system",
        ]

    def clean(self):
        """The metadata must describe this very entity; only its own part is kept."""
        data = super().clean()
        entity_id, xml = data.get("entity_id"), data.get("metadata_xml")
        if entity_id and xml:
            try:
                found = [d for d in idp_descriptions(xml) if d.entity_id == entity_id]
            except SamlRefused as error:
                raise forms.ValidationError({"metadata_xml": error.message})
            if not found:
                raise forms.ValidationError(
                    {
                        "metadata_xml": "Ces métadonnées ne décrivent pas le "
                        f"fournisseur d'identité {entity_id}."
                    }
                )
            data["metadata_xml"] = found[0].metadata_xml
        return data


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    form = IdentityProviderForm
    list_display = [
        "name",
        "entity_id",
        "email_domains",
        "is_active",
        "allow_unsolicited",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "entity_id"]

    def save_model(self, request, obj, form, change):
        audited(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(FederatedIdentity)
class FederatedIdentityAdmin(SimpleHistoryAdmin):
    list_display = ["label", "person", "issuer", "created_at", "last_used_at"]
    search_fields = ["subject", "label", "person__last_name"]
    raw_id_fields = ["person"]


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class GuardedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """Support may remove the device of someone who lost her phone, after confirming
    who it is (a stale session must not strip a second factor); keys stay hidden
    (OTP_ADMIN_HIDE_SENSITIVE_DATA)."""

    change_view = method_decorator(requires_recent_confirmation)(
        TOTPDeviceAdmin.change_view
    )
    delete_view = method_decorator(requires_recent_confirmation)(
        TOTPDeviceAdmin.delete_view
    )
