import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from domains.cockpit.tables import CockpitTable
from domains.people.roles import Role

from .models import AccountRequest, ReconciliationCase


class AccountRequestTable(CockpitTable):
    created_at = tables.DateTimeColumn(format="d/m/Y H:i")
    last_name = tables.Column(linkify=True, verbose_name=_("Demandeur"))
    email = tables.Column()
    role = tables.Column()
    training_site = tables.Column(default="—")
    region = tables.Column()
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = AccountRequest
        fields = (
            "created_at",
            "last_name",
            "email",
            "role",
            "training_site",
            "region",
            "status",
        )

    def render_last_name(self, record):
        return f"{record.first_name} {record.last_name.upper()}"

    def render_role(self, value):
        return Role(value).label


class ReconciliationCaseTable(CockpitTable):
    last_seen_at = tables.DateTimeColumn(format="d/m/Y H:i")
    subject = tables.Column(linkify=True)
    issuer = tables.Column()
    attempts = tables.Column()
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = ReconciliationCase
        fields = ("last_seen_at", "subject", "issuer", "attempts", "status")
