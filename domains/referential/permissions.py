"""Who may change what in the referential: establishments, training sites,
accreditations and posts.

Each record names the objects that hold it (its perimeter: the same functions the
cockpit screens use as `perimeter_objects`); a write service asks the role permission
("referential.change_post"…) on them through `people.permissions.require`, with the
actor it was given (`by`: a person, or `SYSTEM` for the platform's own jobs, such as
the daily expiry of accreditations; see people/permissions.py).
A record that moves (a site to another subdivision, an establishment to another
region) is asked on where it was and on where it goes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from domains.people.permissions import require
from domains.people.roles import Role

# The referential permissions each role's group carries (registered from
# ReferentialConfig.ready()); the perimeter narrows them.
_READ = [
    "referential.view_establishment",
    "referential.view_trainingsite",
    "referential.view_accreditation",
    "referential.view_post",
]
# The national catalogues (regions, subdivisions, faculties, specialties, semesters).
_CATALOGUES = [
    f"referential.{action}_{model}"
    for model in ("region", "subdivision", "faculty", "specialty", "semester")
    for action in ("add", "change", "view")
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: _READ,
    Role.UNESS_ADMIN: [
        *_READ,
        *_CATALOGUES,
        "referential.change_establishment",
        "referential.change_trainingsite",
    ],
    Role.ARS: [
        *_READ,
        "referential.add_establishment",
        "referential.change_establishment",
        "referential.add_trainingsite",
        "referential.change_trainingsite",
        "referential.add_accreditation",
        "referential.change_accreditation",
        "referential.add_post",
        "referential.change_post",
        "referential.delete_post",
    ],
    Role.FACULTY_REGISTRY: _READ,
    Role.COORDINATOR: _READ,
    Role.SITE_SUPERVISOR: [*_READ, "referential.change_trainingsite"],
    Role.PRACTITIONER: _READ,
    Role.SITE_ASSISTANT: _READ,
    Role.MEDICAL_AFFAIRS: [*_READ, "referential.change_establishment"],
    Role.ESTABLISHMENT_DIRECTOR: _READ,
    Role.RESIDENT_REPRESENTATIVE: _READ,
    Role.SUPPORT_L1: _READ,
    Role.SUPPORT_L2: _READ,
}


def site_perimeter(site) -> list:
    """A training site lies on itself, its establishment (and that one's legal
    entity), its subdivision and that subdivision's region."""
    establishment = site.establishment if site.establishment_id else None
    subdivision = site.subdivision if site.subdivision_id else None
    return [
        site if site.pk else None,
        establishment,
        establishment.parent if establishment and establishment.parent_id else None,
        subdivision,
        subdivision.region if subdivision else None,
    ]


def establishment_perimeter(establishment) -> list:
    """An establishment lies on itself, its legal entity, its region, and its
    training sites and their subdivisions."""
    return [
        establishment if establishment.pk else None,
        establishment.parent if establishment.parent_id else None,
        establishment.region if establishment.region_id else None,
        *(
            [
                s
                for site in establishment.training_sites.select_related("subdivision")
                for s in (site, site.subdivision)
            ]
            if establishment.pk
            else []
        ),
    ]


def accreditation_perimeter(accreditation) -> list:
    return site_perimeter(accreditation.training_site)


def post_perimeter(post) -> list:
    return site_perimeter(post.training_site)


REFUSALS = {
    "establishment": _(
        "Votre fonction ne vous permet pas de modifier cet établissement."
    ),
    "trainingsite": _(
        "Votre fonction ne vous permet pas de modifier ce terrain de stage."
    ),
    "accreditation": _(
        "Votre fonction ne vous permet pas de modifier les agréments de ce terrain."
    ),
    "post": _(
        "Votre fonction ne vous permet pas de modifier les postes de ce terrain."
    ),
}

PERIMETERS = {
    "establishment": establishment_perimeter,
    "trainingsite": site_perimeter,
    "accreditation": accreditation_perimeter,
    "post": post_perimeter,
}


# What places a record: when one of these changes, the record moves.
LOCATION = {
    "establishment": ("parent_id", "region_id"),
    "trainingsite": ("establishment_id", "subdivision_id"),
}


def require_referential(by, action: str, record) -> None:
    """`by` may `action` ("add", "change", "delete") this record where it lies and,
    when a change moves it, where it lay (the record as saved)."""
    model = record._meta.model_name
    states = [record]
    fields = LOCATION.get(model, ())
    if action == "change" and record.pk is not None and fields:
        saved = type(record)._default_manager.filter(pk=record.pk).first()
        if saved is not None and any(
            getattr(saved, f) != getattr(record, f) for f in fields
        ):
            states.insert(0, saved)
    for state in states:
        require(
            by,
            f"referential.{action}_{model}",
            PERIMETERS[model](state),
            str(REFUSALS[model]),
        )
