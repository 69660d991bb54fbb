"""Identity providers come from their metadata: one entity or a whole federation."""

import re

import pytest
from django.core.management import CommandError, call_command

from domains.identity import dev_idp
from domains.identity.admin import IdentityProviderForm
from domains.identity.models import IdentityProvider
from domains.identity.saml import idp_descriptions, sp_config, sp_metadata

pytestmark = pytest.mark.django_db


def aggregate() -> str:
    """A federation file: the test IdP twice under two entityIDs, and our own SP."""
    idp = dev_idp.metadata()
    other = idp.replace(
        dev_idp.entity_id(), "https://idp.univ-exemple.fr/idp/shibboleth"
    )
    other = other.replace(dev_idp.NAME, "Université d'exemple")

    def body(xml: str) -> str:
        return xml[re.search(r"<(\w+:)?EntityDescriptor", xml).start() :]

    return (
        '<ns0:EntitiesDescriptor xmlns:ns0="urn:oasis:names:tc:SAML:2.0:metadata">'
        + body(idp)
        + body(other)
        + body(sp_metadata())
        + "</ns0:EntitiesDescriptor>"
    )


def test_a_federation_file_gives_one_provider_per_idp(tmp_path):
    found = idp_descriptions(aggregate())
    assert {d.entity_id for d in found} == {
        dev_idp.entity_id(),
        "https://idp.univ-exemple.fr/idp/shibboleth",
    }  # the SP of the file is not an identity provider
    assert {d.name for d in found} == {dev_idp.NAME, "Université d'exemple"}
    path = tmp_path / "federation.xml"
    path.write_text(aggregate(), encoding="utf-8")
    call_command(
        "saml_idp_load",
        str(path),
        "--only",
        "https://idp.univ-exemple.fr/idp/shibboleth",
    )
    idp = IdentityProvider.objects.get()
    assert idp.name == "Université d'exemple"
    # Each provider keeps its own part only: it trusts its own certificates.
    assert dev_idp.entity_id() not in idp.metadata_xml
    config = sp_config(idp)  # pysaml2 reads the stored part
    assert config.metadata.single_sign_on_service(idp.entity_id)
    call_command("saml_idp_load", str(path))
    assert IdentityProvider.objects.count() == 2


def test_a_file_without_identity_provider_is_refused(tmp_path):
    path = tmp_path / "sp.xml"
    path.write_text(sp_metadata(), encoding="utf-8")
    with pytest.raises(CommandError, match="aucun fournisseur d'identité"):
        call_command("saml_idp_load", str(path))
    path.write_text("pas du XML", encoding="utf-8")
    with pytest.raises(CommandError, match="XML illisible"):
        call_command("saml_idp_load", str(path))


def test_the_admin_form_checks_the_metadata_describes_the_entity():
    form = IdentityProviderForm(
        data={
            "name": "Université d'exemple",
            "entity_id": "https://idp.univ-exemple.fr/idp/shibboleth",
            "metadata_xml": dev_idp.metadata(),
            "is_active": True,
        }
    )
    assert not form.is_valid()
    assert (
        "ne décrivent pas le fournisseur d'identité" in form.errors["metadata_xml"][0]
    )
    form = IdentityProviderForm(
        data={
            "name": dev_idp.NAME,
            "entity_id": dev_idp.entity_id(),
            "metadata_xml": dev_idp.metadata(),
            "is_active": True,
        }
    )
    assert form.is_valid(), form.errors
