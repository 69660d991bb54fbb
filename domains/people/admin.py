from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .models import EmailAddress, Function, LegacyIdentifier, Person, PersonMerge, User
from .roles import ALL_PERIMETER_FIELDS
from .services import function_validate_perimeter, permissions_sync


@admin.register(User)
class SiimopUserAdmin(UserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
    ]
    # The account's address and password change only through the person's own pages
    # (a confirmed session, the sign-in log): a stale admin session must not redirect
    # resets to another mailbox or set a password.
    readonly_fields = ["email"]

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(
            "Les mots de passe ne se changent pas ici : la personne utilise "
            "« Mot de passe oublié » sur la page de connexion."
        )


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0


class LegacyIdentifierInline(admin.TabularInline):
    model = LegacyIdentifier
    extra = 0


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ["at", "merged_label", "kept", "by"]
    search_fields = ["merged_label", "kept__last_name"]
    readonly_fields = [f.name for f in PersonMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "civility"]
    search_fields = ["last_name", "first_name", "emails__email", "legacy_ids__value"]
    inlines = [EmailAddressInline, LegacyIdentifierInline]
    raw_id_fields = ["user"]


@admin.register(Function)
class FunctionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "perimeter_label", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["person__last_name", "person__first_name"]
    raw_id_fields = ["person", "establishment", "training_site"]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class FunctionForm(form_class):
            def clean(self):
                data = super().clean()
                if data.get("role"):
                    try:
                        function_validate_perimeter(
                            data["role"], {f: data.get(f) for f in ALL_PERIMETER_FIELDS}
                        )
                    except ValidationError as error:
                        self._update_errors(error)
                return data

        return FunctionForm

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        # Groups and object permissions follow the function, as in the services.
        permissions_sync(user=obj.person.user)

    def delete_model(self, request, obj):
        user = obj.person.user
        super().delete_model(request, obj)
        permissions_sync(user=user)
