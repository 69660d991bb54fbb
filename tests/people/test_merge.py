"""Merging two persons: nothing is lost, nothing stays on the duplicate, all audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from domains.identity.models import AccountRequest
from domains.people.models import EmailAddress, Person, PersonMerge
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant, person_merge, person_update
from tests.factories.people import make_person
from tests.factories.referential import TrainingSiteFactory, region

pytestmark = pytest.mark.django_db


def test_everything_of_the_duplicate_moves_to_the_kept_person(people):
    admin = people.uness_admin
    kept = make_person(email="helene.garnier@univ-lyon1.fr", imotep_id="IMO-1")
    duplicate = make_person(
        email="h.garnier@chu-lyon.fr", imotep_id="IMO-2", sides_ng_id="S-9"
    )
    person_update(person=duplicate, phone="0472000000", by=admin)
    site = TrainingSiteFactory()
    function = function_grant(
        person=duplicate,
        role=Role.SITE_SUPERVISOR,
        start_date=date(2024, 9, 1),
        training_site=site,
        by=SYSTEM,
    )
    request = AccountRequest.objects.create(
        civility="MME",
        first_name="Hélène",
        last_name="Garnier",
        email="x@chu-lyon.fr",
        role=Role.SITE_SUPERVISOR,
        region=region("84"),
        site_not_listed="Lyon",
        person=duplicate,
    )
    duplicate_user, duplicate_id = duplicate.user, duplicate.pk

    merge = person_merge(kept=kept, merged=duplicate, by=admin, reason="même médecin")

    assert not Person.objects.filter(pk=duplicate_id).exists()
    assert sorted(kept.emails.values_list("email", "is_primary")) == [
        ("h.garnier@chu-lyon.fr", False),
        ("helene.garnier@univ-lyon1.fr", True),
    ]
    assert sorted(str(i) for i in kept.legacy_ids.all()) == [
        "IMOTEP IMO-1",
        "IMOTEP IMO-2",
        "SIDES NG S-9",
    ]
    function.refresh_from_db()
    request.refresh_from_db()
    assert function.person == kept and request.person == kept
    # The kept person now holds the site's permissions; the old account none.
    assert kept.user.has_perm("referential.change_trainingsite", site)
    duplicate_user.refresh_from_db()
    assert not duplicate_user.is_active and not duplicate_user.has_usable_password()
    # The duplicate's history is the kept person's now, and the merge is recorded.
    assert kept.history.filter(phone="0472000000").exists()
    assert kept.history.first().history_change_reason.startswith("Fusion de")
    assert (merge.kept, merge.merged_id, merge.by, merge.reason) == (
        kept,
        duplicate_id,
        admin,
        "même médecin",
    )
    assert merge.moved["adresses e-mail"] == 1 and merge.moved["fonctions"] == 1
    assert PersonMerge.objects.count() == 1


def test_a_person_is_not_merged_into_herself_and_nothing_changes():
    person = make_person()
    with pytest.raises(ValidationError, match="deux personnes différentes"):
        person_merge(kept=person, merged=person, by=SYSTEM)
    assert EmailAddress.objects.filter(person=person).count() == 1
