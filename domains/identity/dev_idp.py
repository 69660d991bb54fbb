"""A local SAML identity provider for development and tests (never in production).

A real pysaml2 IdP with its own key pair: it reads the SP's AuthnRequest, lets the
developer pick who signs in, and posts back a signed response, as a university's
Shibboleth would. Mounted at /dev-idp/ when settings.SAML_DEV_IDP is true.
"""

import base64
import re

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from saml2 import BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD, AuthnBroker, authn_context_class_ref
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from .models import IdentityProvider
from .saml import base_url, key_pair, sp_entity_id, sp_metadata, xmlsec_binary
from .services import identity_providers_load

NAME = "Université de test SIIMOP"

# Who the developer can be at the test university (the demo persons' addresses).
SAMPLE_IDENTITIES = [
    ("coordonnateur@univ-test.fr", "coordonnateur@demo.siimop.fr", "Coordonnateur"),
    ("interne@univ-test.fr", "interne@demo.siimop.fr", "Interne"),
    ("rts@univ-test.fr", "rts@demo.siimop.fr", "RTS"),
    ("inconnu@univ-test.fr", "inconnu@univ-test.fr", "Personne inconnue de SIIMOP"),
]


def entity_id() -> str:
    return base_url() + "/dev-idp/metadata/"


def config(*, key_name: str = "dev-idp") -> IdPConfig:
    key_file, cert_file = key_pair(key_name, NAME)
    return IdPConfig().load(
        {
            "entityid": entity_id(),
            "xmlsec_binary": xmlsec_binary(),
            "key_file": key_file,
            "cert_file": cert_file,
            "service": {
                "idp": {
                    "name": NAME,
                    "endpoints": {
                        "single_sign_on_service": [
                            (base_url() + "/dev-idp/sso/", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "organization": {
                "display_name": [(NAME, "fr")],
                "name": [(NAME, "fr")],
                "url": [(base_url(), "fr")],
            },
            "metadata": {"inline": [_sp_metadata_asking_nothing()]},
        }
    )


def _sp_metadata_asking_nothing() -> str:
    """The SP's metadata without its requested attributes: a real IdP releases only
    those (and its federation's policy); this one releases whatever it is given, so
    that tests can send any attribute."""
    return re.sub(
        r"<(\w+:)?RequestedAttribute\b.*?(/>|</(\w+:)?RequestedAttribute>)",
        "",
        sp_metadata(),
        flags=re.S,
    )


def metadata() -> str:
    return create_metadata_string(None, config=config(), valid=None).decode()


# The test university vouches for one university's addresses, as a real one would:
# asserting a demo account's address (…@demo.siimop.fr) binds nobody.
EMAIL_DOMAINS = "univ-lyon1.fr"


def register() -> IdentityProvider:
    """Declare this IdP to the SP (idempotent: the base URL or key may have changed)."""
    (idp,) = identity_providers_load(metadata_xml=metadata())
    if not idp.email_domains:
        idp.email_domains = EMAIL_DOMAINS
        idp.save(update_fields=["email_domains"])
    return idp


def response(
    *,
    eppn: str,
    mail: str = "",
    given_name: str = "",
    surname: str = "",
    in_response_to: str | None,
    audience: str | None = None,
    sign: bool = True,
    key_name: str = "dev-idp",
    extra_attributes: dict | None = None,
) -> str:
    """A base64 SAMLResponse as the IdP would post it (tests vary each argument)."""
    server = Server(config=config(key_name=key_name))
    identity = {"eduPersonPrincipalName": [eppn]}
    for name, value in (("mail", mail), ("givenName", given_name), ("sn", surname)):
        if value:
            identity[name] = [value]
    identity |= extra_attributes or {}
    broker = AuthnBroker()
    broker.add(authn_context_class_ref(PASSWORD), "")
    authn = broker.get_authn_by_accr(PASSWORD)
    xml = server.create_authn_response(
        identity,
        in_response_to,
        base_url() + reverse("identity:saml_acs"),
        audience or sp_entity_id(),
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"pid-{eppn}"),
        authn=authn,
        sign_assertion=sign,
        sign_response=False,
    )
    return base64.b64encode(str(xml).encode()).decode()


class IdentityForm(forms.Form):
    eppn = forms.CharField(label="eduPersonPrincipalName", max_length=200)
    mail = forms.EmailField(label="mail", required=False)
    given_name = forms.CharField(label="givenName", required=False)
    surname = forms.CharField(label="sn", required=False)


def _enabled():
    if not getattr(settings, "SAML_DEV_IDP", False):
        raise Http404


@csrf_exempt  # it stands for another site: the form posts back to itself only
@require_http_methods(["GET", "POST"])
def sso(request):
    """The IdP's sign-in page: pick an identity, get posted back to SIIMOP."""
    _enabled()
    data = request.POST if request.method == "POST" else request.GET
    saml_request, relay_state = data.get("SAMLRequest", ""), data.get("RelayState", "")
    server = Server(config=config())
    try:
        parsed = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
    except Exception as error:  # a test IdP shows whatever went wrong
        return HttpResponse(f"Requête SAML illisible : {error}", status=400)
    form = IdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return render(
            request,
            "identity/saml_post.html",
            {
                "action": parsed.message.assertion_consumer_service_url,
                "saml_response": response(
                    **form.cleaned_data, in_response_to=parsed.message.id
                ),
                "relay_state": relay_state,
            },
        )
    return render(
        request,
        "identity/dev_idp.html",
        {
            "form": form,
            "saml_request": saml_request,
            "relay_state": relay_state,
            "samples": SAMPLE_IDENTITIES,
            "name": NAME,
        },
    )


def metadata_view(request):
    _enabled()
    return HttpResponse(metadata(), content_type="application/samlmetadata+xml")


urlpatterns = [
    path("sso/", sso, name="sso"),
    path("metadata/", metadata_view, name="metadata"),
]
