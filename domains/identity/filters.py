import django_filters
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet

from .models import AccountRequest, ReconciliationCase


class AccountRequestFilter(CockpitFilterSet):
    search_fields = (
        "last_name",
        "first_name",
        "email",
        "site_not_listed",
        "training_site__name",
    )
    status = django_filters.ChoiceFilter(
        choices=AccountRequest.Status.choices, label=_("État"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = AccountRequest
        fields = ["q", "status"]


class ReconciliationCaseFilter(CockpitFilterSet):
    search_fields = ("subject", "issuer")
    status = django_filters.ChoiceFilter(
        choices=ReconciliationCase.Status.choices,
        label=_("État"),
        empty_label=_("Tous"),
    )

    class Meta(CockpitFilterSet.Meta):
        model = ReconciliationCase
        fields = ["q", "status"]
