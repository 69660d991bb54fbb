"""Sign-in: magic links and the audit log of every sign-in event."""

from datetime import timedelta

from django.contrib.auth import authenticate, update_session_auth_hash
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit import mailer
from domains.cockpit.audit import audited
from domains.people.models import Person, User
from domains.people.roles import Role
from domains.people.selectors import (
    email_address_for,
    person_for_email,
    persons_for_legacy_id,
    persons_for_verified_emails,
)
from domains.people.services import function_grant, person_create, person_merge

from .models import (
    AccountRequest,
    ConsumedAssertion,
    FederatedIdentity,
    IdentityProvider,
    MagicLink,
    ReconciliationCase,
    SignInEvent,
    SignInMethod,
)
from .permissions import require_decide_account_request, require_reconcile
from .saml import ExternalIdentity, SamlRefused, idp_descriptions
from .throttling import account_for_login, client_ip

MAGIC_LINK_SALT = "siimop.magic-link"
MAGIC_LINK_VALIDITY = timedelta(minutes=15)


def sign_in_unlock(*, login: str = "", ip: str | None = None, by=None) -> SignInEvent:
    """An administrator lifts the throttling of a login (the person it designates, or
    the unknown address) or of an IP address."""
    return SignInEvent.objects.create(
        user=account_for_login(login) if login else None,
        login=(login or "").strip().lower(),
        ip=ip,
        method=SignInMethod.PASSWORD,
        kind=SignInEvent.Kind.UNLOCK,
        reason=f"débloqué par {by.email}" if by is not None else "débloqué",
    )


def sign_in_event_record(
    *,
    kind: str,
    method: str,
    request=None,
    user=None,
    login: str = "",
    reason: str = "",
) -> SignInEvent:
    return SignInEvent.objects.create(
        user=user,
        login=(login or "").strip().lower()[:254],
        method=method,
        kind=kind,
        reason=reason[:200],
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    )


def password_confirm(*, request, password: str) -> bool:
    """The signed-in person types her password again: checked through the same
    backend as a sign-in, so it is throttled and a failure counts toward her lock."""
    user = authenticate(
        request, username=request.user.get_username(), password=password
    )
    return user is not None and user.pk == request.user.pk


def password_reset_asked(*, email: str, request=None) -> SignInEvent:
    """Logged for known and unknown addresses alike: the reset form's throttling
    counts these."""
    return sign_in_event_record(
        kind=SignInEvent.Kind.RESET_ASKED,
        method=SignInMethod.PASSWORD,
        request=request,
        user=account_for_login(email),
        login=email,
    )


def magic_link_token(link: MagicLink) -> str:
    return signing.dumps({"l": link.pk, "e": link.email}, salt=MAGIC_LINK_SALT)


@transaction.atomic
def magic_link_request(*, email: str, request=None) -> None:
    """Send a sign-in link if the address belongs to an active account.

    The caller says the same thing whatever happened, and the e-mail leaves through the
    background worker, so neither the answer nor its timing tells whether the address
    is known.
    """
    address = email_address_for(email)
    user = address.person.user if address is not None else None
    if (
        user is None
        or not user.is_active
        or not user.magic_link_enabled
        # An address added by the person but never proven hers signs nobody in (the
        # primary one was set by a registry, an import, or by her once verified).
        or not (address.is_verified or address.is_primary)
    ):
        sign_in_event_record(
            kind=SignInEvent.Kind.NO_ACCOUNT,
            method=SignInMethod.MAGIC_LINK,
            request=request,
            user=user,  # counted against her, like a link sent: the lock looks alike
            login=email,
            reason="adresse inconnue ou non vérifiée, compte inactif, liens désactivés",
        )
        return
    link = MagicLink.objects.create(
        user=user, email=address.email, expires_at=timezone.now() + MAGIC_LINK_VALIDITY
    )
    sign_in_event_record(
        kind=SignInEvent.Kind.LINK_SENT,
        method=SignInMethod.MAGIC_LINK,
        request=request,
        user=user,
        login=address.email,
    )
    mailer.enqueue("domains.identity.tasks.send_magic_link", link.pk)


def _refuse(reason: str, message: str, request, user=None, login: str = ""):
    sign_in_event_record(
        kind=SignInEvent.Kind.LINK_REFUSED,
        method=SignInMethod.MAGIC_LINK,
        request=request,
        user=user,
        login=login,
        reason=reason,
    )
    return ValidationError(message)


def magic_link_consume(*, token: str, request=None) -> User:
    """The account a link signs in, once: refused if expired, used, outdated or foreign."""
    max_age = MAGIC_LINK_VALIDITY.total_seconds()
    try:
        data = signing.loads(token, salt=MAGIC_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise _refuse(
            "lien expiré",
            _("Ce lien de connexion a expiré (15 minutes) : demandez-en un nouveau."),
            request,
        )
    except signing.BadSignature:
        raise _refuse(
            "lien falsifié", _("Ce lien de connexion n'est pas valide."), request
        )
    with transaction.atomic():
        link = (
            MagicLink.objects.select_for_update()
            .select_related("user")
            .filter(pk=data.get("l"), email=data.get("e"))
            .first()
        )
        if link is None:
            raise _refuse(
                "lien inconnu", _("Ce lien de connexion n'est pas valide."), request
            )
        user = link.user
        if link.used_at is not None:
            raise _refuse(
                "lien déjà utilisé",
                _("Ce lien de connexion a déjà servi : demandez-en un nouveau."),
                request,
                user,
                link.email,
            )
        if user.last_login is not None and user.last_login > link.created_at:
            raise _refuse(
                "connexion par un autre moyen depuis l'envoi",
                _(
                    "Vous vous êtes connecté autrement depuis l'envoi de ce lien : il n'est "
                    "plus valable."
                ),
                request,
                user,
                link.email,
            )
        address = email_address_for(link.email)
        if address is None or address.person.user_id != user.pk or not user.is_active:
            raise _refuse(
                "adresse retirée du compte",
                _(
                    "Cette adresse n'est plus rattachée à votre compte : le lien n'est plus "
                    "valable."
                ),
                request,
                user,
                link.email,
            )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return user


# Account requests ("Demande de compte") -------------------------------------------

REQUESTABLE_ROLES = (Role.SITE_SUPERVISOR, Role.PRACTITIONER, Role.SITE_ASSISTANT)
REQUESTS_PER_IP_PER_HOUR = 5


@transaction.atomic
def account_request_submit(
    *,
    civility: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    region,
    training_site=None,
    site_not_listed: str = "",
    phone: str = "",
    message: str = "",
    ip: str | None = None,
) -> None:
    """Record a request; a second one for the same pending address updates the first.

    Nothing tells the requester whether the address already has an account.
    """
    if role not in REQUESTABLE_ROLES:
        raise ValidationError(
            {"role": _("Choisissez la fonction demandée dans la liste.")}
        )
    if training_site is None and not site_not_listed.strip():
        raise ValidationError(
            {
                "training_site": _(
                    "Choisissez votre terrain de stage, ou décrivez-le s'il "
                    "n'est pas dans la liste."
                )
            }
        )
    if (
        ip
        and AccountRequest.objects.filter(
            ip=ip, created_at__gte=timezone.now() - timedelta(hours=1)
        ).count()
        >= REQUESTS_PER_IP_PER_HOUR
    ):
        raise ValidationError(
            _(
                "Trop de demandes envoyées depuis cette connexion : réessayez dans une heure."
            )
        )
    if training_site is not None:
        region = training_site.subdivision.region
    fields = {
        "civility": civility,
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "phone": phone,
        "role": role,
        "region": region,
        "training_site": training_site,
        "site_not_listed": site_not_listed.strip(),
        "message": message.strip(),
        "ip": ip,
    }
    pending = AccountRequest.objects.filter(
        email__iexact=email.strip(), status=AccountRequest.Status.PENDING
    ).first()
    if pending is not None:
        for name, value in fields.items():
            setattr(pending, name, value)
        pending.save()
    else:
        pending = AccountRequest.objects.create(email=email.strip().lower(), **fields)
    mailer.enqueue("domains.identity.tasks.send_account_request_received", pending.pk)


@transaction.atomic
def account_request_approve(
    *, account_request: AccountRequest, by, training_site=None
) -> AccountRequest:
    """Create (or find) the person, give her the function on the site, send her a link."""
    require_decide_account_request(by, account_request)
    if account_request.status != AccountRequest.Status.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    site = training_site or account_request.training_site
    if site is None:
        raise ValidationError(
            {
                "training_site": _(
                    "Choisissez le terrain de stage à rattacher à cette personne."
                )
            }
        )
    person = person_for_email(account_request.email) or person_create(
        civility=account_request.civility,
        first_name=account_request.first_name,
        last_name=account_request.last_name,
        email=account_request.email,
        phone=account_request.phone,
        by=by,
    )
    function_grant(
        person=person,
        role=account_request.role,
        start_date=timezone.localdate(),
        training_site=site,
        by=by,
    )
    account_request.status = AccountRequest.Status.APPROVED
    account_request.training_site = site
    account_request.person = person
    account_request.decided_by = by
    account_request.decided_at = timezone.now()
    audited(account_request, by).save()
    link = MagicLink.objects.create(
        user=person.user,
        email=account_request.email,
        expires_at=timezone.now() + MAGIC_LINK_VALIDITY,
    )
    mailer.enqueue("domains.identity.tasks.send_account_approved", link.pk)
    return account_request


@transaction.atomic
def account_request_refuse(
    *, account_request: AccountRequest, by, reason: str
) -> AccountRequest:
    require_decide_account_request(by, account_request)
    if account_request.status != AccountRequest.Status.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : il est envoyé au demandeur.")}
        )
    account_request.status = AccountRequest.Status.REFUSED
    account_request.refusal_reason = reason.strip()
    account_request.decided_by = by
    account_request.decided_at = timezone.now()
    audited(account_request, by).save()
    mailer.enqueue("domains.identity.tasks.send_account_refused", account_request.pk)
    return account_request


@transaction.atomic
def sign_out_everywhere(*, user, request=None) -> None:
    """End every session of the account (other browsers, a lost phone); the current
    one, if given, stays signed in."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    if request is not None:
        update_session_auth_hash(request, user)
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGN_OUT,
        method=SignInMethod.PASSWORD,
        request=request,
        user=user,
        login=user.email,
        reason="déconnexion de toutes les sessions",
    )


@transaction.atomic
def identity_providers_load(
    *, metadata_xml: str, metadata_url: str = "", only: list[str] | None = None
) -> list[IdentityProvider]:
    """Create or refresh one provider per IdP of the metadata (names kept if edited)."""
    descriptions = idp_descriptions(metadata_xml)
    if only:
        descriptions = [d for d in descriptions if d.entity_id in only]
    if not descriptions:
        raise SamlRefused(
            "aucun IdP", _("Ces métadonnées ne décrivent aucun fournisseur d'identité.")
        )
    providers = []
    for description in descriptions:
        idp, created = IdentityProvider.objects.get_or_create(
            entity_id=description.entity_id,
            defaults={"name": description.name[:200], "metadata_xml": ""},
        )
        idp.metadata_xml = description.metadata_xml
        idp.metadata_url = metadata_url
        idp.save()
        providers.append(idp)
    return providers


# Federated sign-in (SAML today; an OpenID Connect door would call the same) ----------


class SsoOutcome:
    SIGNED_IN = "signed_in"
    NO_ACCOUNT = "no_account"
    TO_RECONCILE = "to_reconcile"


def saml_assertion_consume(*, identity: ExternalIdentity) -> None:
    """Refuse an assertion seen before, even when its request was forgotten."""
    try:
        with transaction.atomic():
            ConsumedAssertion.objects.create(
                assertion_id=identity.assertion_id,
                issuer=identity.issuer,
                expires_at=identity.expires_at,
            )
    except IntegrityError:
        raise SamlRefused(
            "assertion rejouée",
            _("Cette réponse a déjà servi à une connexion : reconnectez-vous."),
        )


def _candidates(
    identity: ExternalIdentity, provider: IdentityProvider
) -> tuple[dict[int, Person], dict[int, Person]]:
    """(by address, by legacy identifier). An address counts only where the provider is
    authoritative for its domain: any university could otherwise assert the ARS
    agent's address and be her."""
    emails = [e for e in identity.emails if provider.vouches_for(e)]
    by_email = {p.pk: p for p in persons_for_verified_emails(emails)}
    by_legacy = {}
    if identity.legacy_id and provider.legacy_id_system:
        by_legacy = {
            p.pk: p
            for p in persons_for_legacy_id(
                provider.legacy_id_system, identity.legacy_id
            )
        }
    return by_email, by_legacy


def _vouched_person(provider: IdentityProvider, person: Person) -> bool:
    return any(
        a.is_verified and provider.vouches_for(a.email) for a in person.emails.all()
    )


@transaction.atomic
def federated_sign_in(
    *, identity: ExternalIdentity, provider: IdentityProvider, request=None
) -> tuple[str, User | None]:
    """Who a federated identity signs in: the linked person, else the only one it matches
    (by an address of a domain the provider vouches for, or by legacy identifier).

    Matching nobody or several persons links nothing: several make a case for the UNESS
    admins to reconcile. Never creates a person.
    """
    saml_assertion_consume(identity=identity)
    link = (
        FederatedIdentity.objects.select_for_update()
        .select_related("person__user")
        .filter(issuer=identity.issuer, subject=identity.subject)
        .first()
    )
    if link is not None:
        link.last_used_at = timezone.now()
        link.save(update_fields=["last_used_at"])
        return SsoOutcome.SIGNED_IN, _active(link.person.user, identity)
    by_email, by_legacy = _candidates(identity, provider)
    candidates = list((by_email | by_legacy).values())
    if not candidates:
        sign_in_event_record(
            kind=SignInEvent.Kind.NO_ACCOUNT,
            method=SignInMethod.SAML,
            request=request,
            login=identity.label,
            reason="aucune personne ne correspond",
        )
        return SsoOutcome.NO_ACCOUNT, None
    # A legacy identifier alone binds only a person with an address this university
    # vouches for: otherwise an UNESS admin confirms (any IdP configured with such an
    # attribute could else claim any recovered person).
    unvouched = (
        len(candidates) == 1
        and candidates[0].pk not in by_email
        and not _vouched_person(provider, candidates[0])
    )
    if len(candidates) > 1 or unvouched:
        _reconciliation_open(identity, candidates)
        sign_in_event_record(
            kind=SignInEvent.Kind.TO_RECONCILE,
            method=SignInMethod.SAML,
            request=request,
            login=identity.label,
            reason=(
                "identifiant historique seul, hors des domaines de l'université"
                if unvouched
                else f"{len(candidates)} personnes correspondent"
            ),
        )
        return SsoOutcome.TO_RECONCILE, None
    user = _active(candidates[0].user, identity)
    federated_identity_link(person=candidates[0], identity=identity, request=request)
    return SsoOutcome.SIGNED_IN, user


@transaction.atomic
def federated_identity_attach(
    *, user: User, identity: ExternalIdentity, request=None
) -> FederatedIdentity:
    """A signed-in person links her university identity to her account herself."""
    saml_assertion_consume(identity=identity)
    existing = FederatedIdentity.objects.filter(
        issuer=identity.issuer, subject=identity.subject
    ).first()
    if existing is not None:
        if existing.person_id == user.person.pk:
            return existing
        raise ValidationError(
            _(
                "Cette identité universitaire est déjà rattachée à un autre compte "
                "SIIMOP. Contactez l'assistance UNESS pour rapprocher les deux comptes."
            )
        )
    return federated_identity_link(
        person=user.person, identity=identity, request=request
    )


def _active(user: User, identity: ExternalIdentity) -> User:
    if not user.is_active:
        raise SamlRefused(
            "compte désactivé",
            _("Votre compte SIIMOP est désactivé. Contactez l'assistance UNESS."),
        )
    return user


def federated_identity_link(
    *, person: Person, identity: ExternalIdentity, request=None, by=None
) -> FederatedIdentity:
    link = FederatedIdentity(
        person=person,
        issuer=identity.issuer,
        subject=identity.subject,
        label=identity.label,
        last_used_at=timezone.now() if by is None else None,
    )
    audited(link, by or person.user).save()
    sign_in_event_record(
        kind=SignInEvent.Kind.LINKED,
        method=SignInMethod.SAML,
        request=request,
        user=person.user,
        login=identity.label,
        reason=f"identité fédérée rattachée ({identity.issuer})"
        + (f" par {by.email}" if by else ""),
    )
    return link


def _reconciliation_open(identity: ExternalIdentity, candidates: list[Person]) -> None:
    attributes = {
        "name": " ".join(p for p in (identity.first_name, identity.last_name) if p),
        "label": identity.label,
        "emails": list(identity.emails),
        "legacy_id": identity.legacy_id,
    }
    case, created = ReconciliationCase.objects.select_for_update().get_or_create(
        issuer=identity.issuer,
        subject=identity.subject,
        status=ReconciliationCase.Status.OPEN,
        defaults={"attributes": attributes},
    )
    if not created:
        ReconciliationCase.objects.filter(pk=case.pk).update(
            attempts=F("attempts") + 1,
            attributes=attributes,
            last_seen_at=timezone.now(),
        )
    case.candidates.add(*candidates)


def _case_identity(case: ReconciliationCase) -> ExternalIdentity:
    return ExternalIdentity(
        issuer=case.issuer,
        subject=case.subject,
        label=case.attributes.get("label") or case.subject,
        emails=tuple(case.attributes.get("emails", [])),
        first_name="",
        last_name="",
        legacy_id=case.attributes.get("legacy_id", ""),
        assertion_id="",
        expires_at=timezone.now(),
        came_from="",
        in_response_to="",
    )


def _case_close(case: ReconciliationCase, status: str, person, by) -> None:
    case.status = status
    case.person = person
    case.resolved_by = by
    case.resolved_at = timezone.now()
    audited(case, by).save()


def _case_check(case: ReconciliationCase, person: Person | None, by: User) -> None:
    require_reconcile(by)
    if case.status != ReconciliationCase.Status.OPEN:
        raise ValidationError(_("Ce rapprochement a déjà été traité."))
    if person is not None and not case.candidates.filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": _("Choisissez l'une des personnes correspondantes.")}
        )


@transaction.atomic
def reconciliation_merge(
    *, case: ReconciliationCase, kept: Person, by: User, reason: str = ""
) -> ReconciliationCase:
    """Merge every candidate into the one kept, then link the federated identity to it."""
    _case_check(case, kept, by)
    for other in case.candidates.exclude(pk=kept.pk):
        person_merge(
            kept=kept,
            merged=other,
            by=by,
            reason=f"Rapprochement n° {case.pk}. {reason}".strip(),
        )
        sign_in_event_record(
            kind=SignInEvent.Kind.MERGED,
            method=SignInMethod.SAML,
            user=kept.user,
            login=case.attributes.get("label", ""),
            reason=f"fusion de la personne n° {other.pk} par {by.email}",
        )
    kept.refresh_from_db()
    federated_identity_link(person=kept, identity=_case_identity(case), by=by)
    _case_close(case, ReconciliationCase.Status.MERGED, kept, by)
    return case


@transaction.atomic
def reconciliation_link(
    *, case: ReconciliationCase, person: Person, by: User
) -> ReconciliationCase:
    """The persons are really different: link the identity to the right one only."""
    _case_check(case, person, by)
    federated_identity_link(person=person, identity=_case_identity(case), by=by)
    _case_close(case, ReconciliationCase.Status.LINKED, person, by)
    return case


@transaction.atomic
def reconciliation_dismiss(*, case: ReconciliationCase, by: User) -> ReconciliationCase:
    _case_check(case, None, by)
    _case_close(case, ReconciliationCase.Status.DISMISSED, None, by)
    return case


# Sign-in methods of an account ------------------------------------------------------


def sign_in_method_count(user: User) -> int:
    return (
        int(user.has_usable_password())
        + int(user.magic_link_enabled)
        + FederatedIdentity.objects.filter(person__user=user).count()
    )


@transaction.atomic
def sign_in_method_remove(
    *, user: User, method: str, federated_identity_id: int | None = None, request=None
) -> None:
    """Unlink one way of signing in; the last one stays, or the person is locked out."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if sign_in_method_count(user) <= 1:
        raise ValidationError(
            _(
                "C'est votre dernier moyen de connexion : ajoutez-en un autre avant de "
                "retirer celui-ci."
            )
        )
    if method == SignInMethod.PASSWORD:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if request is not None:
            update_session_auth_hash(request, user)  # stay signed in here
        detail = "mot de passe retiré"
    elif method == SignInMethod.MAGIC_LINK:
        user.magic_link_enabled = False
        user.save(update_fields=["magic_link_enabled"])
        detail = "connexion par lien e-mail désactivée"
    elif method == SignInMethod.SAML:
        link = FederatedIdentity.objects.filter(
            pk=federated_identity_id, person__user=user
        ).first()
        if link is None:
            raise ValidationError(
                _("Cette identité n'est pas rattachée à votre compte.")
            )
        audited(link, user).delete()
        detail = f"identité fédérée retirée : {link.label} ({link.issuer})"
    else:
        raise ValidationError(_("Moyen de connexion inconnu."))
    sign_in_event_record(
        kind=SignInEvent.Kind.UNLINKED,
        method=method,
        request=request,
        user=user,
        login=user.email,
        reason=detail,
    )


@transaction.atomic
def magic_link_enable(*, user: User, request=None) -> None:
    user.magic_link_enabled = True
    user.save(update_fields=["magic_link_enabled"])
    sign_in_event_record(
        kind=SignInEvent.Kind.LINKED,
        method=SignInMethod.MAGIC_LINK,
        request=request,
        user=user,
        login=user.email,
        reason="connexion par lien e-mail réactivée",
    )
