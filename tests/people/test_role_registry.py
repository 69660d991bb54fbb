"""The roles' permissions come from each app's own table, and people's roles table
names no other app (issue 18, item 6)."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from domains.people import roles
from domains.people.roles import Role, register_role_permissions, role_permissions

# What each role's group carried when people/roles.py still listed every app's
# permissions, taken from that table before the move: the apps' registrations at
# start-up must give exactly this, no more, no less.
BEFORE_THE_MOVE: dict[str, set[str]] = {
    Role.DGOS: {
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "assistance.view_statistics",
        "matching.view_matchingcampaign",
        "people.view_function",
        "people.view_person",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.view_placement",
        "residents.view_resident",
        "residents.view_specialsituation",
    },
    Role.UNESS_ADMIN: {
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "assistance.add_period",
        "assistance.change_period",
        "assistance.delete_period",
        "assistance.view_period",
        "assistance.view_statistics",
        "courses.add_trainingsession",
        "courses.change_trainingsession",
        "courses.delete_trainingsession",
        "courses.view_courseenrolment",
        "courses.view_trainingsession",
        "identity.change_accountrequest",
        "identity.change_reconciliationcase",
        "identity.view_accountrequest",
        "identity.view_reconciliationcase",
        "imports.add_importrun",
        "imports.change_importrun",
        "imports.change_personproposal",
        "imports.view_importrun",
        "imports.view_personproposal",
        "matching.view_matchingcampaign",
        "people.add_function",
        "people.add_person",
        "people.change_function",
        "people.change_person",
        "people.view_function",
        "people.view_person",
        "referential.add_faculty",
        "referential.add_region",
        "referential.add_semester",
        "referential.add_specialty",
        "referential.add_subdivision",
        "referential.change_establishment",
        "referential.change_faculty",
        "referential.change_region",
        "referential.change_semester",
        "referential.change_specialty",
        "referential.change_subdivision",
        "referential.change_trainingsite",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_faculty",
        "referential.view_post",
        "referential.view_region",
        "referential.view_semester",
        "referential.view_specialty",
        "referential.view_subdivision",
        "referential.view_trainingsite",
        "siimop_site.add_mailinglist",
        "siimop_site.change_mailinglist",
        "siimop_site.delete_mailinglist",
        "siimop_site.view_mailing",
        "siimop_site.view_mailinglist",
        "wagtailadmin.access_admin",
    },
    Role.ARS: {
        "accreditation.add_accreditationcampaign",
        "accreditation.change_accreditationcampaign",
        "accreditation.change_accreditationrequest",
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "assistance.view_statistics",
        "identity.change_accountrequest",
        "identity.view_accountrequest",
        "imports.add_importrun",
        "imports.change_importrun",
        "imports.change_personproposal",
        "imports.view_importrun",
        "imports.view_personproposal",
        "matching.add_matchingcampaign",
        "matching.change_candidacy",
        "matching.change_matchingcampaign",
        "matching.view_matchingcampaign",
        "people.add_function",
        "people.add_person",
        "people.change_function",
        "people.change_person",
        "people.view_function",
        "people.view_person",
        "referential.add_accreditation",
        "referential.add_establishment",
        "referential.add_post",
        "referential.add_trainingsite",
        "referential.change_accreditation",
        "referential.change_establishment",
        "referential.change_post",
        "referential.change_trainingsite",
        "referential.delete_post",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.change_specialsituation",
        "residents.view_placement",
        "residents.view_resident",
        "residents.view_specialsituation",
    },
    Role.FACULTY_REGISTRY: {
        "accreditation.change_accreditationrequest",
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "identity.change_accountrequest",
        "identity.view_accountrequest",
        "matching.change_candidacy",
        "matching.view_matchingcampaign",
        "people.add_function",
        "people.add_person",
        "people.change_function",
        "people.change_person",
        "people.view_function",
        "people.view_person",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.add_placement",
        "residents.change_placement",
        "residents.change_resident",
        "residents.change_specialsituation",
        "residents.issue_document",
        "residents.view_placement",
        "residents.view_resident",
        "residents.view_specialsituation",
    },
    Role.COORDINATOR: {
        "accreditation.add_opinion",
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "matching.view_matchingcampaign",
        "people.view_person",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.change_specialsituation",
        "residents.view_placement",
        "residents.view_resident",
        "residents.view_specialsituation",
    },
    Role.SITE_SUPERVISOR: {
        "accreditation.add_accreditationrequest",
        "accreditation.view_accreditationrequest",
        "matching.add_rank",
        "people.add_function",
        "people.view_function",
        "people.view_person",
        "referential.change_trainingsite",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.view_placement",
    },
    Role.PRACTITIONER: {
        "matching.add_rank",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
    },
    Role.SITE_ASSISTANT: {
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
    },
    Role.MEDICAL_AFFAIRS: {
        "accreditation.view_accreditationrequest",
        "referential.change_establishment",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
    },
    Role.ESTABLISHMENT_DIRECTOR: {
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
    },
    Role.RESIDENT: {
        "matching.add_wish",
        "residents.add_specialsituation",
        "residents.issue_document",
        "residents.view_resident",
    },
    Role.RESIDENT_REPRESENTATIVE: {
        "accreditation.add_opinion",
        "accreditation.view_accreditationcampaign",
        "accreditation.view_accreditationrequest",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
    },
    Role.SUPPORT_L1: {
        "assistance.view_statistics",
        "helpdesk.change_ticket",
        "helpdesk.view_ticket",
        "people.view_person",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.view_resident",
    },
    Role.SUPPORT_L2: {
        "assistance.view_statistics",
        "helpdesk.change_ticket",
        "helpdesk.view_ticket",
        "people.view_function",
        "people.view_person",
        "referential.view_accreditation",
        "referential.view_establishment",
        "referential.view_post",
        "referential.view_trainingsite",
        "residents.view_resident",
    },
}


# Given since, on purpose (issue 19, no locked doors): the residents' statistics have
# their own permission, a resident reads her own special situations, the hospital (DAM,
# director) reads the stages on its sites.
# Since: the statistics' own permission, the residents domain's reads (issue 19),
# the semester cycle (issue 20: its activity lines, call lists and post openings, the
# registry's and the ARS's imports of them; the thresholds of the replacement licence
# and the last ranks admitted, for the droit au remords; the regions' opening rules,
# kept by their ARS and read by the State; the choice groups, defined by the ARS).
_CYCLE_READ = {
    "choices.view_activityline",
    "choices.view_calllist",
    "choices.view_postopening",
    "choices.view_interchuhosting",
    "choices.view_choicegroup",
    "choices.view_choicesession",
}
_CRUD = ("view", "add", "change", "delete")
_RULES_READ = {"choices.view_openingrule"}
_IMPORTS = {
    "imports.view_importrun",
    "imports.add_importrun",
    "imports.change_importrun",
}
GIVEN_SINCE: dict[str, set[str]] = {
    Role.DGOS: {"residents.view_statistics", *_CYCLE_READ, *_RULES_READ},
    Role.UNESS_ADMIN: {
        "residents.view_statistics",
        *_CYCLE_READ,
        *_RULES_READ,
        "residents.view_lastadmittedrank",
        *(f"residents.{a}_replacementthreshold" for a in _CRUD),
    },
    Role.ARS: {
        "residents.view_statistics",
        "residents.view_lastadmittedrank",
        *_CYCLE_READ,
        "choices.change_calllist",
        "choices.change_postopening",
        "choices.sign_postopening",
        "choices.change_interchuhosting",
        *(f"choices.{a}_openingrule" for a in _CRUD),
        *(f"choices.{a}_choicegroup" for a in ("add", "change", "delete")),
        "choices.change_choicesession",
    },
    Role.FACULTY_REGISTRY: {
        "residents.view_statistics",
        *_CYCLE_READ,
        *_IMPORTS,
        "choices.change_activityline",
        *(f"residents.{a}_lastadmittedrank" for a in _CRUD),
    },
    Role.COORDINATOR: {
        "residents.view_statistics",
        *_CYCLE_READ,
        "choices.add_openingopinion",
        "choices.opine_interchuhosting",
    },
    Role.RESIDENT: {
        "residents.view_specialsituation",
        "choices.add_activityline",
        "choices.add_wishlist",
    },
    Role.MEDICAL_AFFAIRS: {"residents.view_placement"},
    Role.ESTABLISHMENT_DIRECTOR: {"residents.view_placement"},
}


@pytest.mark.parametrize("role", list(Role))
def test_after_start_up_each_role_carries_exactly_what_it_did(role):
    assert role_permissions(role) == BEFORE_THE_MOVE[role] | GIVEN_SINCE.get(
        role, set()
    )


def test_the_roles_table_names_no_app():
    """No "app.codename" in people/roles.py, and no other app's label at all."""
    source = Path(roles.__file__).read_text()
    strings = [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    others = [a.label for a in apps.get_app_configs() if a.label != "people"]
    assert not [s for s in strings if re.fullmatch(r"\w+\.\w+", s)]
    assert not [s for s in strings for label in others if s.startswith(f"{label}.")]


@pytest.mark.django_db
def test_every_registered_permission_exists():
    """A table naming a permission no model has would break the groups' sync."""
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    registered = {p for role in Role for p in role_permissions(role)}
    assert registered - existing == set()


def test_an_unknown_role_cannot_be_registered():
    with pytest.raises(ValueError):
        register_role_permissions({"astronaut": ["referential.view_post"]})
