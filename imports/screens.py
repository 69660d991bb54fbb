"""REPRISE DES DONNÉES in the cockpit: upload, dry-run report, commit, history."""

import django_filters
import django_tables2 as tables
from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.filters import CockpitFilterSet
from domains.cockpit.registry import Decision, MenuEntry, Screen, registry
from domains.cockpit.tables import CockpitTable

from . import services, views
from .forms import CandidateForm
from .kinds import IMPORTERS
from .models import ImportRun, PersonProposal
from .selectors import visible_import_runs, visible_person_proposals
from .services import progress_of


class ImportRunTable(CockpitTable):
    created_at = tables.DateTimeColumn(format="d/m/Y H:i")
    filename = tables.Column(linkify=True)
    kind = tables.Column()
    region = tables.Column(default="—")
    status = tables.Column()
    total_rows = tables.Column()
    by = tables.Column(accessor="by__email")

    class Meta(CockpitTable.Meta):
        model = ImportRun
        fields = (
            "created_at",
            "filename",
            "kind",
            "region",
            "status",
            "total_rows",
            "by",
        )

    def render_kind(self, value):
        return IMPORTERS[value].label if value in IMPORTERS else value


class ImportRunFilter(CockpitFilterSet):
    search_fields = ("filename", "sha256")
    status = django_filters.ChoiceFilter(
        choices=ImportRun.Status.choices, label=_("État"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = ImportRun
        fields = ["q", "status"]


def _context(request, run):
    return {"progress": progress_of(run)}


def _checked(run) -> bool:
    return run.status == ImportRun.Status.CHECKED


imports_screen = registry.register_screen(
    Screen(
        slug="reprise",
        model=ImportRun,
        label=_("Reprise des données (imports)"),
        section="STAGES 3e CYCLE",
        order=90,
        table_class=ImportRunTable,
        filterset_class=ImportRunFilter,
        selector=visible_import_runs,
        perimeter_objects=lambda run: [run.region, run.subdivision],
        detail_template="imports/run_detail.html",
        detail_context=_context,
        decisions=[
            Decision(
                name="confirmer",
                label=_("Confirmer l'import"),
                run=lambda by, run: services.import_confirm(run=run, by=by),
                success=_("Import confirmé : il s'exécute."),
                confirm=_("Écrire ces données en base ?"),
                applies=_checked,
            ),
            Decision(
                name="abandonner",
                label=_("Abandonner"),
                run=lambda by, run: services.import_cancel(run=run, by=by),
                success=_("Import abandonné : rien n'a été écrit."),
                applies=_checked,
            ),
        ],
        extra_urls=[
            path("deposer/", views.upload, name="reprise_upload"),
            path("<int:pk>/progression/", views.progress, name="reprise_progress"),
            path(
                "<int:pk>/telecharger/<str:which>/",
                views.download,
                name="reprise_download",
            ),
        ],
    )
)
registry.register_menu(
    MenuEntry(
        section="STAGES 3e CYCLE",
        label=_("Déposer un fichier à reprendre"),
        url_name="reprise_upload",
        permission="imports.add_importrun",
        order=91,
    )
)


class ProposalTable(CockpitTable):
    created_at = tables.DateTimeColumn(format="d/m/Y")
    last_name = tables.Column(linkify=True, verbose_name=_("Personne"))
    email = tables.Column()
    training_site = tables.Column(default="—")
    reason = tables.Column()
    status = tables.Column()

    class Meta(CockpitTable.Meta):
        model = PersonProposal
        fields = (
            "created_at",
            "last_name",
            "email",
            "training_site",
            "reason",
            "status",
        )

    def render_last_name(self, record):
        return str(record)


class ProposalFilter(CockpitFilterSet):
    search_fields = ("last_name", "first_name", "email", "sides_id")
    status = django_filters.ChoiceFilter(
        choices=PersonProposal.Status.choices, label=_("État"), empty_label=_("Tous")
    )

    class Meta(CockpitFilterSet.Meta):
        model = PersonProposal
        fields = ["q", "status"]


def _proposal_context(request, proposal):
    return {
        "candidates": proposal.candidates.prefetch_related(
            "emails", "legacy_ids", "functions__training_site"
        ),
    }


def _open(proposal) -> bool:
    return proposal.status == PersonProposal.Status.OPEN


proposals = registry.register_screen(
    Screen(
        slug="personnes-a-rapprocher",
        model=PersonProposal,
        label=_("Personnes à rapprocher (reprise)"),
        section="PERSONNES",
        order=80,
        table_class=ProposalTable,
        filterset_class=ProposalFilter,
        selector=visible_person_proposals,
        perimeter_objects=lambda proposal: [proposal.region],
        detail_template="imports/proposal_detail.html",
        detail_context=_proposal_context,
        decisions=[
            Decision(
                name="rattacher",
                label=_("C'est cette personne : rattacher"),
                run=lambda by, proposal, person: services.proposal_link(
                    proposal=proposal, person=person, by=by
                ),
                form=lambda request, proposal: CandidateForm(
                    request.POST, candidates=proposal.candidates.all()
                ),
                success=_("Proposition traitée : la personne est rattachée."),
                applies=_open,
            ),
            Decision(
                name="creer",
                label=_("Aucune : créer une nouvelle personne"),
                run=lambda by, proposal: services.proposal_create_person(
                    proposal=proposal, by=by
                ),
                success=_("Proposition traitée : une nouvelle personne est créée."),
                applies=_open,
            ),
            Decision(
                name="ecarter",
                label=_("Écarter"),
                run=lambda by, proposal: services.proposal_dismiss(
                    proposal=proposal, by=by
                ),
                success=_("Proposition écartée."),
                applies=_open,
            ),
        ],
    )
)
