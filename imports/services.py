"""Imports as the cockpit runs them: upload, dry run, confirmation, commit — each step
a django-q2 task that reports its progress."""

import hashlib

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from domains.people.services import person_create

from .kinds import IMPORTERS
from .linking import person_attach
from .models import ImportRun, PersonProposal
from .permissions import may_import
from .pipeline import Report, Status, run_import
from .reading import MAX_BYTES, FileRefused, count_rows, open_sheet
from .report import report_xlsx

PROBLEMS_SHOWN = 20


def progress_key(run_id: int) -> str:
    return f"import-progress-{run_id}"


def progress_of(run: ImportRun) -> dict:
    """Rows done so far, from a cache shared by the worker and the web processes."""
    return caches["progress"].get(progress_key(run.pk)) or {
        "done": 0,
        "total": run.total_rows,
    }


@transaction.atomic
def import_upload(
    *, kind: str, upload, region, by, strict: bool = False, subdivision=None
) -> ImportRun:
    """A file received; `subdivision`: a faculty registry's (her region with it)."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("Choisissez le type de fichier.")})
    if subdivision is not None:
        region = subdivision.region
    perimeter = [subdivision, region] if (subdivision or region) else None
    if not may_import(by, kind, perimeter):
        raise ValidationError(
            {
                "kind": _(
                    "Votre fonction ne vous permet pas d'importer ce type de fichier "
                    "(%(kind)s)."
                )
                % {"kind": IMPORTERS[kind].label}
            }
        )
    if kind == "etablissements" and region is None:
        raise ValidationError(
            {"region": _("Choisissez la région des établissements importés.")}
        )
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("Fichier trop volumineux (50 Mo au plus).")})
    content = upload.read()
    try:
        open_sheet(content)  # the type from the content, before anything is kept
    except FileRefused as error:
        raise ValidationError({"file": str(error)})
    run = ImportRun(
        kind=kind,
        region=region,
        subdivision=subdivision,
        filename=upload.name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        strict=strict or IMPORTERS[kind].all_or_nothing,
        by=by,
        total_rows=count_rows(content),
    )
    run.file.save(upload.name, ContentFile(content), save=False)
    run.save()
    transaction.on_commit(lambda: async_task("imports.tasks.check", run.pk))
    return run


def _run(run: ImportRun, *, commit: bool) -> Report:
    importer = IMPORTERS[run.kind](
        region=run.region,
        subdivision=run.subdivision,
        by=run.committed_by or run.by,
        run=run,
    )
    cache = caches["progress"]

    def progress(done: int) -> None:
        cache.set(progress_key(run.pk), {"done": done, "total": run.total_rows}, 3600)

    with run.file.open("rb") as handle:
        content = handle.read()
    report = run_import(
        importer, content, commit=commit, strict=run.strict, progress=progress
    )
    progress(len(report.results))
    run.report.save(
        f"rapport-{run.pk}-{'import' if commit else 'essai'}.xlsx",
        ContentFile(report_xlsx(report)),
        save=False,
    )
    return report


def import_check(*, run: ImportRun) -> ImportRun:
    """The dry run: everything a commit would do, rolled back, and its report."""
    try:
        report = _run(run, commit=False)
    except FileRefused as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
        run.save()
        return run
    run.counts = report.counts
    run.unknown_columns = report.unknown_columns
    run.problems = [
        {"line": p.line, "status": p.status, "column": p.column, "reason": p.reason}
        for p in report.problems[:PROBLEMS_SHOWN]
    ]
    run.status = ImportRun.Status.CHECKED
    run.save()
    return run


@transaction.atomic
def import_confirm(*, run: ImportRun, by) -> ImportRun:
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.CHECKED:
        raise ValidationError(_("Seul un essai terminé peut être confirmé."))
    run.status, run.committed_by = ImportRun.Status.COMMITTING, by
    run.save()
    transaction.on_commit(lambda: async_task("imports.tasks.commit", run.pk))
    return run


def import_commit(*, run: ImportRun) -> ImportRun:
    """The commit, atomic: an unexpected error writes nothing of the file."""
    try:
        report = _run(run, commit=True)
    except FileRefused as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
        run.save()
        return run
    except Exception as error:  # recorded for the person, then re-raised for the log
        run.status = ImportRun.Status.FAILED
        run.error = _("Erreur inattendue, rien n'a été écrit : %s") % error
        run.save()
        raise
    run.commit_counts = report.counts
    if report.committed:
        run.status, run.committed_at = ImportRun.Status.COMMITTED, timezone.now()
    else:
        run.status = ImportRun.Status.FAILED
        run.error = _(
            "Tout ou rien : %(n)s ligne(s) rejetée(s), rien n'a été écrit."
        ) % {"n": report.counts[Status.REJECTED]}
    run.save()
    return run


@transaction.atomic
def import_cancel(*, run: ImportRun, by) -> ImportRun:
    if run.status != ImportRun.Status.CHECKED:
        raise ValidationError(_("Seul un essai terminé peut être abandonné."))
    run.status = ImportRun.Status.CANCELLED
    run.save()
    return run


# Persons to review (kind "personnes") -------------------------------------------------


def _proposal_open(proposal: PersonProposal) -> PersonProposal:
    proposal = PersonProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != PersonProposal.Status.OPEN:
        raise ValidationError(_("Cette proposition a déjà été traitée."))
    return proposal


def _proposal_close(proposal, status, person, by) -> PersonProposal:
    proposal.status, proposal.person = status, person
    proposal.resolved_by, proposal.resolved_at = by, timezone.now()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_link(*, proposal: PersonProposal, person, by) -> PersonProposal:
    proposal = _proposal_open(proposal)
    if person is None or not proposal.candidates.filter(pk=person.pk).exists():
        raise ValidationError(_("Choisissez l'une des personnes proposées."))
    person_attach(
        person=person,
        sides_id=proposal.sides_id,
        site=proposal.training_site,
        role=proposal.role,
        by=by,
    )
    return _proposal_close(proposal, PersonProposal.Status.LINKED, person, by)


@transaction.atomic
def proposal_create_person(*, proposal: PersonProposal, by) -> PersonProposal:
    """None of the candidates: a new person (a true namesake)."""
    proposal = _proposal_open(proposal)
    if not proposal.email:
        raise ValidationError(
            _("Sans adresse e-mail, la personne ne peut pas être créée : rattachez-la.")
        )
    person = person_create(
        civility="M",
        first_name=proposal.first_name,
        last_name=proposal.last_name,
        email=proposal.email,
        by=by,
    )
    person_attach(
        person=person,
        sides_id=proposal.sides_id,
        site=proposal.training_site,
        role=proposal.role,
        by=by,
    )
    return _proposal_close(proposal, PersonProposal.Status.CREATED, person, by)


@transaction.atomic
def proposal_dismiss(*, proposal: PersonProposal, by) -> PersonProposal:
    proposal = _proposal_open(proposal)
    return _proposal_close(proposal, PersonProposal.Status.DISMISSED, None, by)
