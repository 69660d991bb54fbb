import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet

from .models import EmailAddress, Function, LegacyIdentifier, Person
from .roles import Role
from .selectors import active_on


class PersonFilter(CockpitFilterSet):
    search_fields = (
        "last_name",
        "first_name",
        "birth_name",
    )
    role = django_filters.ChoiceFilter(
        choices=Role.choices,
        label=_("Fonction en cours"),
        method="with_role",
        empty_label=_("Toutes"),
    )

    class Meta(CockpitFilterSet.Meta):
        model = Person
        fields = ["q", "role"]

    def search(self, queryset, name, value):
        by_name = super().search(queryset, name, value)
        # Addresses are many per person: searched in a subquery, so no row repeats.
        value = value.strip()
        by_email = queryset.filter(
            pk__in=EmailAddress.objects.filter(email__icontains=value).values(
                "person_id"
            )
        )
        by_legacy_id = queryset.filter(
            pk__in=LegacyIdentifier.objects.filter(value__iexact=value).values(
                "person_id"
            )
        )
        return by_name | by_email | by_legacy_id

    def with_role(self, queryset, name, value):
        holders = Function.objects.filter(active_on(timezone.localdate()), role=value)
        return queryset.filter(pk__in=holders.values("person_id"))
