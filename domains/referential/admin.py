"""Technical admin (/django-admin/) for UNESS staff: every save goes through the services,
and each record's history (who, when, what changed) is one click away."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Accreditation, Establishment, Post, TrainingSite


class ServiceValidatedAdmin(SimpleHistoryAdmin):
    """Runs the service's validation in the form, so refusals show on the right field."""

    def validate(self, instance, cleaned_data) -> None:
        instance.full_clean()

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin_ = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    admin_.validate(self.instance, self.cleaned_data)
                except ValidationError as error:
                    self._update_errors(error)

        return ServiceForm

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


@admin.register(Establishment)
class EstablishmentAdmin(ServiceValidatedAdmin):
    list_display = ["name", "finess", "siret", "kind", "region", "city", "data_quality"]
    list_filter = ["data_quality", "kind", "region"]
    search_fields = ["name", "finess", "siret", "city"]
    raw_id_fields = ["parent"]
    readonly_fields = ["data_quality"]

    def validate(self, instance, cleaned_data):
        services.establishment_validate(instance)


@admin.register(TrainingSite)
class TrainingSiteAdmin(ServiceValidatedAdmin):
    list_display = [
        "name",
        "department",
        "establishment",
        "subdivision",
        "kind",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "subdivision"]
    search_fields = ["name", "department", "establishment__name", "legacy_id"]
    raw_id_fields = ["establishment"]


@admin.register(Accreditation)
class AccreditationAdmin(ServiceValidatedAdmin):
    list_display = [
        "training_site",
        "specialty",
        "type",
        "state",
        "start_date",
        "end_date",
    ]
    list_filter = ["state", "type", "training_site__subdivision"]
    search_fields = ["training_site__name", "specialty__label", "decision_reference"]
    raw_id_fields = ["training_site", "supervisor"]

    def validate(self, instance, cleaned_data):
        services.accreditation_validate(
            instance, list(cleaned_data.get("phases") or [])
        )


@admin.register(Post)
class PostAdmin(ServiceValidatedAdmin):
    list_display = ["training_site", "specialty", "phase", "semester", "seats"]
    list_filter = ["semester", "phase", "training_site__subdivision"]
    search_fields = ["training_site__name", "specialty__label"]
    raw_id_fields = ["training_site", "coupled_with"]

    def validate(self, instance, cleaned_data):
        services.post_validate(
            instance, list(cleaned_data.get("shared_specialties") or [])
        )
