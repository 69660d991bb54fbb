"""Writes on the referential: every rule a record must respect is checked here."""

from collections.abc import Callable, Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from domains.cockpit.audit import audited, author
from domains.people.models import User
from domains.people.permissions import Platform, require
from domains.people.services import functions_move_establishment

from .accreditation_rules import accreditation_errors
from .models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    AccreditationState,
    AccreditationType,
    Establishment,
    EstablishmentKind,
    Phase,
    Post,
    Semester,
    Specialty,
    TrainingSite,
    data_quality_for,
)
from .permissions import require_referential
from .selectors import accreditations_in_force, site_is_accredited
from .validators import compact, validate_finess, validate_siret

ESTABLISHMENT_FIELDS = (
    "name",
    "kind",
    "finess",
    "siret",
    "parent",
    "region",
    "address",
    "postal_code",
    "city",
    "legacy_id",
)
TRAINING_SITE_FIELDS = (
    "establishment",
    "subdivision",
    "name",
    "department",
    "kind",
    "address",
    "description",
    "legacy_id",
    "is_active",
)


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _apply(instance, fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def establishment_validate(establishment: Establishment) -> None:
    errors = {}
    establishment.finess = compact(establishment.finess)
    establishment.siret = compact(establishment.siret)
    for field, validate in (("finess", validate_finess), ("siret", validate_siret)):
        value = getattr(establishment, field)
        if value:
            try:
                validate(value)
            except ValidationError as error:
                errors[field] = error.messages
    parent = establishment.parent
    if parent is not None:
        if parent.kind != EstablishmentKind.LEGAL_ENTITY:
            errors["parent"] = _("Le rattachement doit être une entité juridique (EJ).")
        elif establishment.pk and parent.pk == establishment.pk:
            errors["parent"] = _(
                "Un établissement ne peut pas être rattaché à lui-même."
            )
    if establishment.kind == EstablishmentKind.LEGAL_ENTITY and parent is not None:
        errors["parent"] = _("Une entité juridique n'est rattachée à aucune autre.")
    if errors:
        raise ValidationError(errors)
    establishment.data_quality = data_quality_for(
        establishment.finess, establishment.siret
    )
    establishment.full_clean(validate_constraints=True)


@transaction.atomic
def establishment_create(*, by: User | Platform, **fields) -> Establishment:
    establishment = Establishment()
    _apply(establishment, fields, ESTABLISHMENT_FIELDS)
    require_referential(by, "add", establishment)
    establishment_validate(establishment)
    audited(establishment, by)
    establishment.save()
    return establishment


@transaction.atomic
def establishment_update(
    *, establishment: Establishment, by: User | Platform, **fields
) -> Establishment:
    _apply(establishment, fields, ESTABLISHMENT_FIELDS)
    require_referential(by, "change", establishment)
    establishment_validate(establishment)
    audited(establishment, by)
    establishment.save()
    return establishment


@transaction.atomic
def training_site_create(*, by: User | Platform, **fields) -> TrainingSite:
    site = TrainingSite()
    _apply(site, fields, TRAINING_SITE_FIELDS)
    require_referential(by, "add", site)
    site.full_clean()
    audited(site, by)
    site.save()
    return site


@transaction.atomic
def training_site_update(
    *, training_site: TrainingSite, by: User | Platform, **fields
) -> TrainingSite:
    _apply(training_site, fields, TRAINING_SITE_FIELDS)
    require_referential(by, "change", training_site)
    training_site.full_clean()
    audited(training_site, by)
    training_site.save()
    return training_site


def _accreditation_errors(accreditation: Accreditation, phases: list) -> dict:
    return accreditation_errors(
        start_date=accreditation.start_date,
        end_date=accreditation.end_date,
        specialty_kind=accreditation.specialty.kind,
        has_phases=bool(phases),
    )


def accreditation_validate(accreditation: Accreditation, phases: list[Phase]) -> None:
    errors = _accreditation_errors(accreditation, phases)
    if errors:
        raise ValidationError(errors)
    accreditation.full_clean(exclude=["phases"])


@transaction.atomic
def accreditation_create(
    *,
    training_site: TrainingSite,
    specialty: Specialty,
    phases: Iterable[Phase],
    start_date: date,
    end_date: date,
    state: str,
    type: str = AccreditationType.PRINCIPAL,
    supervisor=None,
    decision_reference: str = "",
    max_residents: int | None = None,
    by: User | Platform,
) -> Accreditation:
    phases = list(phases)
    accreditation = Accreditation(
        training_site=training_site,
        specialty=specialty,
        start_date=start_date,
        end_date=end_date,
        state=state,
        type=type,
        supervisor=supervisor,
        decision_reference=decision_reference,
        max_residents=max_residents,
    )
    require_referential(by, "add", accreditation)
    accreditation_validate(accreditation, phases)
    audited(accreditation, by)
    accreditation.save()
    accreditation.phases.set(phases)
    return accreditation


@transaction.atomic
def accreditation_update(
    *,
    accreditation: Accreditation,
    phases: Iterable[Phase] | None = None,
    by: User | Platform,
    **fields,
) -> Accreditation:
    require_referential(by, "change", accreditation)
    _apply(
        accreditation,
        fields,
        (
            "specialty",
            "start_date",
            "end_date",
            "state",
            "type",
            "supervisor",
            "decision_reference",
            "max_residents",
        ),
    )
    phases = list(phases) if phases is not None else list(accreditation.phases.all())
    accreditation_validate(accreditation, phases)
    audited(accreditation, by)
    accreditation.save()
    accreditation.phases.set(phases)
    return accreditation


# Who may freeze a semester's posts (the choices domain once the opening decree is
# signed): each callable returns the refusal for this post, or None.
POST_LOCKS: list[Callable[[Post], str | None]] = []


def register_post_lock(lock: Callable[[Post], str | None]) -> None:
    if lock not in POST_LOCKS:
        POST_LOCKS.append(lock)


def post_check_unlocked(post: Post) -> None:
    for lock in POST_LOCKS:
        if refusal := lock(post):
            raise ValidationError(refusal)


def post_check_capacity(post: Post) -> None:
    """The seats opened on the site for the specialty that semester stay within the
    maximum of the accreditation in force (when its decision sets one)."""
    accreditation = (
        accreditations_in_force(
            training_site=post.training_site,
            specialty=post.specialty,
            phase=post.phase,
            semester=post.semester,
        )
        .filter(max_residents__isnull=False)
        .order_by("-start_date")
        .first()
    )
    if accreditation is None:
        return
    others = (
        Post.objects.filter(
            semester=post.semester,
            training_site=post.training_site,
            specialty=post.specialty,
        )
        .exclude(pk=post.pk)
        .aggregate(n=Sum("seats"))["n"]
        or 0
    )
    if others + post.seats > accreditation.max_residents:
        raise ValidationError(
            {
                "seats": _(
                    "Au plus %(max)d internes sur « %(site)s » en %(specialty)s (agrément "
                    "du %(start)s) : %(others)d places y sont déjà ouvertes ce semestre, "
                    "%(seats)d de plus dépasseraient ce maximum."
                )
                % {
                    "max": accreditation.max_residents,
                    "site": post.training_site,
                    "specialty": post.specialty,
                    "start": _fmt(accreditation.start_date),
                    "others": others,
                    "seats": post.seats,
                }
            }
        )


def post_validate(post: Post, shared: list[Specialty]) -> None:
    post_check_unlocked(post)
    for specialty in [post.specialty, *shared]:
        if not site_is_accredited(
            training_site=post.training_site,
            specialty=specialty,
            phase=post.phase,
            semester=post.semester,
        ):
            field = "specialty" if specialty == post.specialty else "shared_specialties"
            raise ValidationError(
                {
                    field: _(
                        "Poste refusé : le terrain « %(site)s » n'a pas d'agrément en cours pour "
                        "%(specialty)s en %(phase)s au début du semestre %(semester)s (%(start)s)."
                    )
                    % {
                        "site": post.training_site,
                        "specialty": specialty,
                        "phase": post.phase.label.lower(),
                        "semester": post.semester,
                        "start": _fmt(post.semester.start_date),
                    }
                }
            )
    if post.coupled_with_id:
        other = post.coupled_with
        if other.pk == post.pk:
            raise ValidationError(
                {"coupled_with": _("Un poste ne peut être couplé à lui-même.")}
            )
        if other.semester_id != post.semester_id:
            raise ValidationError(
                {
                    "coupled_with": _(
                        "Un poste couplé doit l'être avec un poste du même semestre."
                    )
                }
            )
    post_check_capacity(post)
    post.full_clean(exclude=["shared_specialties"])


@transaction.atomic
def post_open(
    *,
    semester: Semester,
    training_site: TrainingSite,
    specialty: Specialty,
    phase: Phase,
    seats: int = 1,
    shared_specialties: Iterable[Specialty] = (),
    coupled_with: Post | None = None,
    cesp_reserved: bool = False,
    by: User | Platform,
) -> Post:
    """Open a post; only on a site accredited for the specialty and phase that semester,
    within the accreditation's maximum."""
    shared = [s for s in shared_specialties if s != specialty]
    post = Post(
        semester=semester,
        training_site=training_site,
        specialty=specialty,
        phase=phase,
        seats=seats,
        coupled_with=coupled_with,
        cesp_reserved=cesp_reserved,
    )
    require_referential(by, "add", post)
    post_validate(post, shared)
    audited(post, by)
    post.save()
    post.shared_specialties.set(shared)
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    seats: int | None = None,
    shared_specialties: Iterable[Specialty] | None = None,
    coupled_with: Post | None = None,
    cesp_reserved: bool | None = None,
    by: User | Platform,
) -> Post:
    require_referential(by, "change", post)
    if seats is not None:
        post.seats = seats
    if cesp_reserved is not None:
        post.cesp_reserved = cesp_reserved
    post.coupled_with = coupled_with
    shared = (
        list(shared_specialties)
        if shared_specialties is not None
        else list(post.shared_specialties.all())
    )
    post_validate(post, shared)
    audited(post, by)
    post.save()
    post.shared_specialties.set(shared)
    return post


@transaction.atomic
def post_close(*, post: Post, by: User | Platform) -> None:
    require_referential(by, "delete", post)
    post_check_unlocked(post)
    audited(post, by)
    post.delete()


@transaction.atomic
def accreditation_expire_past(*, today: date, by: User | Platform) -> int:
    """Mark as expired the active accreditations whose end date has passed: a daily
    job over every region, so the platform's (`SYSTEM`) or a national reach's."""
    require(by, "referential.change_accreditation", [])
    stale = Accreditation.objects.filter(
        state__in=ACTIVE_ACCREDITATION_STATES, end_date__lt=today
    )
    count = 0
    for accreditation in stale:
        accreditation.state = AccreditationState.EXPIRED
        audited(accreditation, by)
        accreditation.save(update_fields=["state"])
        count += 1
    return count


@transaction.atomic
def establishment_merge(
    *, kept: Establishment, duplicate: Establishment, by: User | Platform
) -> Establishment:
    """Merge a duplicate into the kept establishment, then delete the duplicate.

    Its training sites, geographic sites and functions move to the kept one; identifiers
    the kept one lacks are taken from the duplicate; the duplicate's history is re-attached
    to the kept one so nothing of the audit trail is lost.
    """
    if kept.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choisissez un autre établissement.")})
    require_referential(by, "change", kept)
    require_referential(by, "change", duplicate)
    if kept.region_id != duplicate.region_id:
        raise ValidationError(
            {
                "duplicate": _(
                    "Les deux établissements doivent être dans la même région."
                )
            }
        )
    sites = list(TrainingSite.objects.filter(establishment=duplicate))
    for site in sites:
        site.establishment = kept
        audited(site, by)
        site.save(update_fields=["establishment"])
    for child in Establishment.objects.filter(parent=duplicate).exclude(pk=kept.pk):
        child.parent = kept
        audited(child, by)
        child.save(update_fields=["parent"])
    functions_move_establishment(source=duplicate, target=kept, by=by)

    taken = {
        field: getattr(duplicate, field)
        for field in ("finess", "siret", "address", "postal_code", "city", "legacy_id")
        if not getattr(kept, field) and getattr(duplicate, field)
    }
    duplicate.finess = ""  # frees the unique FINESS before the kept one takes it
    duplicate.save(update_fields=["finess"])
    for field, value in taken.items():
        setattr(kept, field, value)
    establishment_validate(kept)
    kept._change_reason = _(
        "Fusion avec %(dup)s (n° %(pk)s) : %(n)s terrain(s) repris."
    ) % {
        "dup": duplicate.name,
        "pk": duplicate.pk,
        "n": len(sites),
    }
    audited(kept, by)
    kept.save()
    duplicate_id = duplicate.pk
    audited(duplicate, by)
    duplicate.delete()
    Establishment.history.filter(id=duplicate_id).update(id=kept.pk)
    return kept


@transaction.atomic
def accreditations_import(
    *, items: list[tuple[Accreditation, list[Phase]]], by: User | Platform
) -> int:
    """Recovered accreditations in bulk: the same rules as accreditation_create, without
    one query per foreign key (the import resolved them); asked once per site."""
    asked = set()
    for accreditation, phases in items:
        if accreditation.training_site_id not in asked:
            require_referential(by, "add", accreditation)
            asked.add(accreditation.training_site_id)
        errors = _accreditation_errors(accreditation, phases)
        if errors:
            raise ValidationError(list(errors.values()))
    created = bulk_create_with_history(
        [a for a, _phases in items],
        Accreditation,
        batch_size=2000,
        default_user=author(by),
    )
    Through = Accreditation.phases.through
    Through.objects.bulk_create(
        [
            Through(accreditation_id=accreditation.pk, phase_id=phase.pk)
            for accreditation, (_a, phases) in zip(created, items, strict=True)
            for phase in phases
        ],
        batch_size=4000,
    )
    return len(created)
