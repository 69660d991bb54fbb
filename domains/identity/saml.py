"""The SAML 2.0 service provider (the Shibboleth door), on pysaml2.

pysaml2 checks what the standard asks (the signature, with the `xmlsec1` program and the
certificates of the IdP's metadata; the audience; the destination; the validity window;
InResponseTo). This module adds what it leaves to the application: which identity
providers are configured, and which identifier of the assertion we trust.
"""

import base64
import binascii
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as StdElementTree

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError, UnsolicitedResponse
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.sigver import SigverError
from saml2.validate import ResponseLifetimeExceed, ToEarly

from .models import IdentityProvider

SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
EPPN = "eduPersonPrincipalName"


class SamlRefused(Exception):
    """A response we do not accept: `reason` goes to the log, `message` to the person."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ExternalIdentity:
    """What an outside provider vouches for, whatever the protocol.

    SAML fills it from an assertion; an OpenID Connect door would fill it from an ID
    token (issuer = `iss`, subject = `sub`, assertion_id = `jti`) and reuse
    services.federated_sign_in unchanged.
    """

    issuer: str
    subject: str
    label: str
    emails: tuple[str, ...]
    first_name: str
    last_name: str
    legacy_id: str
    assertion_id: str
    expires_at: datetime
    came_from: str
    in_response_to: str


# Keys and addresses ----------------------------------------------------------------


def xmlsec_binary() -> str:
    binary = getattr(settings, "SAML_XMLSEC_BINARY", "") or shutil.which("xmlsec1")
    if not binary:
        raise ImproperlyConfigured(
            "Le programme xmlsec1 est introuvable : `make install` l'installe "
            "(paquet Debian xmlsec1)."
        )
    return binary


def key_pair(name: str, common_name: str) -> tuple[str, str]:
    """A key and its self-signed certificate under SAML_KEY_DIR, made on first use.

    Production points SAML_SP_KEY_FILE / SAML_SP_CERT_FILE at the federation-registered
    pair instead (see README).
    """
    directory = Path(settings.SAML_KEY_DIR)
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return str(key_path), str(cert_path)
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def base_url() -> str:
    return settings.SIIMOP_BASE_URL.rstrip("/")


def sp_entity_id() -> str:
    return getattr(settings, "SAML_SP_ENTITY_ID", "") or base_url() + reverse(
        "identity:saml_metadata"
    )


def acs_url() -> str:
    return base_url() + reverse("identity:saml_acs")


def sp_key_pair() -> tuple[str, str]:
    key_file = getattr(settings, "SAML_SP_KEY_FILE", "")
    cert_file = getattr(settings, "SAML_SP_CERT_FILE", "")
    if key_file and cert_file:
        return key_file, cert_file
    return key_pair("sp", "SIIMOP")


def sp_config(idp: IdentityProvider | None = None) -> SPConfig:
    """The SP as pysaml2 sees it, trusting one identity provider at a time."""
    key_file, cert_file = sp_key_pair()
    config = {
        "entityid": sp_entity_id(),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key_file,
        "cert_file": cert_file,
        # Federation IdPs may encrypt assertions to the SP's certificate.
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SAML_CLOCK_SKEW_SECONDS,
        "service": {
            "sp": {
                "name": "SIIMOP",
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]
                },
                "allow_unsolicited": bool(idp and idp.allow_unsolicited),
                # Shibboleth signs the assertion, others the response: one is required.
                "want_response_signed": False,
                "want_assertions_signed": False,
                "want_assertions_or_response_signed": True,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "required_attributes": [EPPN, "mail"],
                "optional_attributes": ["givenName", "sn", "displayName"],
            }
        },
        "metadata": {"inline": [idp.metadata_xml]} if idp else {},
    }
    return SPConfig().load(config)


def sp_metadata() -> str:
    return create_metadata_string(None, config=sp_config(), valid=None).decode()


# Metadata of identity providers ------------------------------------------------------


@dataclass(frozen=True)
class IdpDescription:
    entity_id: str
    name: str
    metadata_xml: str


def idp_descriptions(metadata_xml: str) -> list[IdpDescription]:
    """The identity providers of a metadata document: one entity or a whole federation.

    Each comes back as a document of its own, so that a provider trusts only its own
    certificates.
    """
    try:
        root = ElementTree.fromstring(metadata_xml.encode())
    except ElementTree.ParseError as error:
        raise SamlRefused("métadonnées illisibles", _("XML illisible : %s") % error)
    entities = (
        [root]
        if root.tag == f"{{{METADATA_NS}}}EntityDescriptor"
        else root.iter(f"{{{METADATA_NS}}}EntityDescriptor")
    )
    found = []
    for entity in entities:
        if entity.find(f"{{{METADATA_NS}}}IDPSSODescriptor") is None:
            continue
        names = [
            element.text.strip()
            for element in entity.iter()
            if element.tag.endswith("}DisplayName")
            or element.tag.endswith("}OrganizationDisplayName")
            if element.text
        ]
        entity_id = entity.get("entityID")
        found.append(
            IdpDescription(
                entity_id=entity_id,
                name=names[0] if names else entity_id,
                metadata_xml=_standalone(entity),
            )
        )
    return found


def _standalone(entity) -> str:
    # No register_namespace: it would change every later serialisation of the process.
    return StdElementTree.tostring(entity, encoding="unicode")


# The sign-in round trip ------------------------------------------------------------


def authn_request(idp: IdentityProvider, relay_state: str) -> tuple[str, str]:
    """The request id to remember, and the IdP address to send the browser to."""
    client = Saml2Client(sp_config(idp))
    request_id, info = client.prepare_for_authenticate(
        entityid=idp.entity_id,
        relay_state=relay_state,
        binding=BINDING_HTTP_REDIRECT,
    )
    return request_id, dict(info["headers"])["Location"]


def _issuer_of(saml_response: str) -> str:
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=True))
    except (binascii.Error, ValueError, ElementTree.ParseError) as error:
        raise SamlRefused(
            f"réponse illisible ({error.__class__.__name__})",
            _("La réponse de votre université est illisible."),
        )
    issuer = root.find(f"{{{SAML_NS}}}Issuer")
    if issuer is None:
        issuer = root.find(f"{{{SAML_NS}}}Assertion/{{{SAML_NS}}}Issuer")
    if issuer is None or not (issuer.text or "").strip():
        raise SamlRefused(
            "émetteur absent",
            _("La réponse ne dit pas de quelle université elle vient."),
        )
    return issuer.text.strip()


SIGNATURE_REFUSED = _("La réponse n'est pas signée par votre université.")


def authn_response_read(
    saml_response: str, outstanding: dict[str, str]
) -> tuple[IdentityProvider, ExternalIdentity]:
    """Check a response and say whom it vouches for; SamlRefused says why not."""
    issuer = _issuer_of(saml_response)
    idp = IdentityProvider.objects.filter(entity_id=issuer, is_active=True).first()
    if idp is None:
        raise SamlRefused(
            f"fournisseur d'identité inconnu : {issuer}"[:200],
            _("Cette université n'est pas reliée à SIIMOP."),
        )
    client = Saml2Client(sp_config(idp))
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except UnsolicitedResponse:
        raise SamlRefused(
            "réponse non sollicitée ou déjà utilisée",
            _(
                "Cette réponse ne correspond à aucune demande de connexion en cours "
                "(déjà utilisée, ou envoyée sans demande)."
            ),
        )
    except (ResponseLifetimeExceed, ToEarly):
        raise SamlRefused(
            "assertion expirée ou pas encore valable",
            _("La réponse de votre université a expiré : reconnectez-vous."),
        )
    except SigverError as error:
        raise SamlRefused(
            f"signature refusée ({error.__class__.__name__})", SIGNATURE_REFUSED
        )
    except StatusError as error:
        raise SamlRefused(
            f"échec signalé par le fournisseur ({error.__class__.__name__})",
            _("Votre université n'a pas pu vous authentifier."),
        )
    except Exception as error:  # pysaml2 raises bare Exception for some checks
        if "AudienceRestrictions" in str(error):
            raise SamlRefused(
                "audience incorrecte : assertion destinée à un autre service",
                _("Cette réponse est destinée à un autre service que SIIMOP."),
            )
        raise SamlRefused(
            f"réponse refusée ({error.__class__.__name__}: {error})"[:200],
            _("La réponse de votre université n'est pas valable."),
        )
    if response is None or response.assertion is None:
        raise SamlRefused("réponse vide", _("La réponse de votre université est vide."))
    return idp, _identity(idp, response)


def _identity(idp: IdentityProvider, response) -> ExternalIdentity:
    attributes = response.ava or {}
    # pysaml2 lower-cases the names of attributes its maps do not know.
    by_lower_name = {name.lower(): values for name, values in attributes.items()}

    def first(name: str) -> str:
        values = attributes.get(name) or by_lower_name.get(name.lower()) or [""]
        return str(values[0]).strip()

    subject = first(EPPN)
    name_id = response.name_id
    if (
        not subject
        and name_id is not None
        and name_id.format == NAMEID_FORMAT_PERSISTENT
    ):
        subject = name_id.text.strip()
    if not subject:
        raise SamlRefused(
            "ni eduPersonPrincipalName ni NameID persistant",
            _(
                "Votre université n'a pas transmis d'identifiant durable : SIIMOP ne "
                "peut pas vous reconnaître."
            ),
        )
    not_on_or_after = response.not_on_or_after or 0
    expires_at = (
        datetime.fromtimestamp(not_on_or_after, UTC)
        if not_on_or_after
        else datetime.now(UTC) + timedelta(hours=1)
    )
    return ExternalIdentity(
        issuer=idp.entity_id,
        subject=subject,
        label=first(EPPN) or first("displayName") or subject,
        emails=tuple(
            dict.fromkeys(str(v).strip().lower() for v in attributes.get("mail", []))
        ),
        first_name=first("givenName"),
        last_name=first("sn"),
        legacy_id=first(idp.legacy_id_attribute) if idp.legacy_id_attribute else "",
        assertion_id=response.assertion.id,
        expires_at=expires_at,
        came_from=response.came_from or "",
        in_response_to=response.in_response_to or "",
    )
