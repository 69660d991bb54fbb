"""Writes on persons, their e-mail addresses and their functions."""

from datetime import date

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from simple_history.utils import bulk_create_with_history

from domains.cockpit import mailer
from domains.cockpit.audit import audited, author

from .models import (
    EmailAddress,
    Function,
    LegacyIdentifier,
    LegacySystem,
    Person,
    PersonMerge,
    User,
)
from .permissions import (
    ADD_PERSON,
    CHANGE_PERSON,
    Platform,
    person_perimeter,
    require,
    require_change_contact,
    require_change_person,
    require_grant,
    require_somewhere,
)
from .roles import (
    ALL_PERIMETER_FIELDS,
    MANAGING_ROLES,
    PERIMETER_FIELDS,
    PERIMETER_OBJECT_FIELD,
    ROLE_PERIMETER,
    Role,
    role_group_name,
    role_permissions,
)
from .selectors import active_on, forget_functions


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def person_create(
    *,
    civility: str,
    first_name: str,
    last_name: str,
    email: str,
    email_verified: bool = False,
    birth_date: date | None = None,
    phone: str = "",
    imotep_id: str | None = None,
    sides_ng_id: str | None = None,
    password: str | None = None,
    by: User | Platform,
) -> Person:
    """Create a person, her account and her primary e-mail address."""
    require_somewhere(
        by,
        ADD_PERSON,
        _("Votre fonction ne vous permet pas d'enregistrer une personne."),
    )
    email = normalise_email(email)
    errors = {}
    if not first_name.strip():
        errors["first_name"] = _("Le prénom est obligatoire.")
    if not last_name.strip():
        errors["last_name"] = _("Le nom est obligatoire.")
    if not email:
        errors["email"] = _("L'adresse e-mail est obligatoire.")
    elif EmailAddress.objects.filter(email__iexact=email).exists():
        errors["email"] = _(
            "L'adresse e-mail %(email)s appartient déjà à une personne."
        ) % {"email": email}
    legacy = {LegacySystem.IMOTEP: imotep_id, LegacySystem.SIDES_NG: sides_ng_id}
    legacy = {system: value.strip() for system, value in legacy.items() if value}
    for system, value in legacy.items():
        if LegacyIdentifier.objects.filter(system=system, value=value).exists():
            errors[f"{system}_id"] = _(
                "Une personne porte déjà l'identifiant %(system)s %(id)s."
            ) % {"system": LegacySystem(system).label, "id": value}
    if errors:
        raise ValidationError(errors)

    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    person = Person(
        user=user,
        civility=civility,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        phone=phone,
    )
    person.full_clean(exclude=["user"])
    audited(person, by)
    person.save()
    for system, value in legacy.items():
        legacy_id = LegacyIdentifier(person=person, system=system, value=value)
        audited(legacy_id, by)
        legacy_id.save()
    address = EmailAddress(
        person=person, email=email, is_primary=True, is_verified=email_verified
    )
    audited(address, by)
    address.save()
    return person


@transaction.atomic
def email_add(
    *,
    person: Person,
    email: str,
    verified: bool = False,
    primary: bool = False,
    by: User | Platform,
) -> EmailAddress:
    """Another address of hers (she herself, or whoever may change her)."""
    require_change_person(by, person)
    return _email_add(
        person=person, email=email, verified=verified, primary=primary, by=by
    )


def _email_add(
    *, person: Person, email: str, verified: bool, primary: bool, by
) -> EmailAddress:
    email = normalise_email(email)
    if EmailAddress.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("L'adresse e-mail %(email)s appartient déjà à une personne.")
                % {"email": email}
            }
        )
    address = EmailAddress(person=person, email=email, is_verified=verified)
    address.full_clean()
    audited(address, by)
    address.save()
    if primary:
        _email_set_primary(address=address, by=by)
    return address


@transaction.atomic
def email_set_primary(
    *, address: EmailAddress, by: User | Platform, require_verified: bool = False
) -> None:
    require_change_person(by, address.person)
    _email_set_primary(address=address, by=by, require_verified=require_verified)


def _email_set_primary(
    *, address: EmailAddress, by, require_verified: bool = False
) -> None:
    if require_verified and not address.is_verified:
        raise ValidationError(
            {
                "email": _(
                    "Vérifiez d'abord l'adresse %(email)s (lien envoyé par e-mail) "
                    "avant d'en faire votre adresse principale."
                )
                % {"email": address.email}
            }
        )
    for other in address.person.emails.filter(is_primary=True).exclude(pk=address.pk):
        other.is_primary = False
        audited(other, by)
        other.save(update_fields=["is_primary"])
    address.is_primary = True
    audited(address, by)
    address.save(update_fields=["is_primary"])
    user = address.person.user
    user.email = address.email
    user.save(update_fields=["email"])


def function_validate_perimeter(role: str, perimeter: dict) -> None:
    if role not in ROLE_PERIMETER:
        raise ValidationError({"role": _("Rôle inconnu : %(role)s.") % {"role": role}})
    needed = PERIMETER_FIELDS[ROLE_PERIMETER[role]]
    errors = {}
    for field in ALL_PERIMETER_FIELDS:
        value = perimeter.get(field)
        label = Function._meta.get_field(field).verbose_name
        if field in needed and value is None:
            errors[field] = _(
                "Le rôle « %(role)s » exige un périmètre : %(field)s manquant(e)."
            ) % {
                "role": Role(role).label,
                "field": label,
            }
        elif field not in needed and value is not None:
            errors[field] = _(
                "Le rôle « %(role)s » ne prend pas de %(field)s comme périmètre."
            ) % {
                "role": Role(role).label,
                "field": label,
            }
    if errors:
        raise ValidationError(errors)
    specialty = perimeter.get("specialty")
    if specialty is not None and specialty.is_option:
        raise ValidationError(
            {
                "specialty": _(
                    "Un coordonnateur l'est d'un DES ou d'une FST, pas d'une option."
                )
            }
        )


@transaction.atomic
def function_grant(
    *,
    person: Person,
    role: str,
    start_date: date,
    end_date: date | None = None,
    region=None,
    subdivision=None,
    specialty=None,
    establishment=None,
    training_site=None,
    by: User | Platform,
) -> Function:
    """Give a person a role on a perimeter, and the permissions that come with it."""
    perimeter = {
        "region": region,
        "subdivision": subdivision,
        "specialty": specialty,
        "establishment": establishment,
        "training_site": training_site,
    }
    function_validate_perimeter(role, perimeter)
    require_grant(by, role, perimeter)
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            {
                "end_date": _(
                    "La date de fin (%(end)s) précède la date de début (%(start)s)."
                )
                % {
                    "end": end_date.strftime("%d/%m/%Y"),
                    "start": start_date.strftime("%d/%m/%Y"),
                }
            }
        )
    function = Function(
        person=person, role=role, start_date=start_date, end_date=end_date, **perimeter
    )
    audited(function, by)
    function.save()
    permissions_sync(user=person.user)
    forget_functions(person.user)
    return function


@transaction.atomic
def function_end(
    *, function: Function, end_date: date | None = None, by: User | Platform
) -> Function:
    """End a function (today by default) and take back the permissions it gave; who
    may give this role there may take it back."""
    perimeter = {f: getattr(function, f) for f in ALL_PERIMETER_FIELDS}
    require_grant(by, function.role, perimeter)
    end_date = end_date or timezone.localdate()
    if end_date < function.start_date:
        raise ValidationError(
            {
                "end_date": _(
                    "La date de fin (%(end)s) précède le début de la fonction (%(start)s)."
                )
                % {
                    "end": end_date.strftime("%d/%m/%Y"),
                    "start": function.start_date.strftime("%d/%m/%Y"),
                }
            }
        )
    function.end_date = end_date
    audited(function, by)
    function.save(update_fields=["end_date"])
    permissions_sync(user=function.person.user)
    forget_functions(function.person.user)
    return function


def _role_groups(*, refresh: bool = False) -> dict[str, Group]:
    """One group per role with the model-wide permissions the apps registered.

    Created on first use; `refresh` (after each migrate) realigns existing groups when
    an app's table changed.
    """
    groups = {
        g.name: g
        for g in Group.objects.filter(name__in=[role_group_name(r) for r in Role])
    }
    stale = [r for r in Role if refresh or role_group_name(r) not in groups]
    if stale:
        permissions = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type")
        }
        for role in stale:
            group, _created = Group.objects.get_or_create(name=role_group_name(role))
            group.permissions.set(
                [permissions[d] for d in sorted(role_permissions(role))]
            )
            groups[group.name] = group
    return {role: groups[role_group_name(role)] for role in Role}


def role_groups_sync(app_config=None, **kwargs) -> None:
    """post_migrate: role groups follow the registered permissions.

    Runs once, after the last app: only then do all the permissions it names exist.
    """
    last = [a for a in django_apps.get_app_configs() if a.models_module][-1]
    if app_config is None or app_config.label == last.label:
        _role_groups(refresh=True)


def _perimeter_object_permissions(
    function: Function, view_change: dict[str, dict[str, tuple[int, int]]]
) -> set[tuple[int, int, str]]:
    """(permission id, content type id, object pk) a function puts on its perimeter object."""
    field = PERIMETER_OBJECT_FIELD[ROLE_PERIMETER[function.role]]
    if field is None:
        return set()
    target_id = getattr(function, f"{field}_id")
    actions = ["view", "change"] if function.role in MANAGING_ROLES else ["view"]
    return {(*view_change[field][action], str(target_id)) for action in actions}


def _perimeter_permission_ids() -> dict[str, dict[str, tuple[int, int]]]:
    result = {}
    for field in {f for f in PERIMETER_OBJECT_FIELD.values() if f}:
        model = Function._meta.get_field(field).related_model
        content_type = ContentType.objects.get_for_model(model)
        result[field] = {
            action: (
                Permission.objects.get(
                    content_type=content_type, codename=f"{action}_{content_type.model}"
                ).pk,
                content_type.pk,
            )
            for action in ("view", "change")
        }
    return result


@transaction.atomic
def permissions_sync_many(*, user_ids: list[int], day: date | None = None) -> None:
    """Make groups and django-guardian object permissions match the active functions.

    Recomputed from scratch, so ending one of two functions on the same perimeter keeps
    what the other still grants. Works on many users at once (demo data, daily sync).
    """
    day = day or timezone.localdate()
    groups = _role_groups()
    ids = _perimeter_permission_ids()
    wanted_perms: dict[int, set] = {uid: set() for uid in user_ids}
    wanted_groups: dict[int, set] = {uid: set() for uid in user_ids}
    functions = Function.objects.filter(active_on(day), person__user_id__in=user_ids)
    for function in functions.annotate(uid=models.F("person__user_id")):
        wanted_groups[function.uid].add(groups[function.role].pk)
        wanted_perms[function.uid] |= _perimeter_object_permissions(function, ids)

    Membership = User.groups.through
    Membership.objects.filter(user_id__in=user_ids).delete()
    Membership.objects.bulk_create(
        Membership(user_id=uid, group_id=gid)
        for uid, gids in wanted_groups.items()
        for gid in gids
    )
    existing = {}
    for p in UserObjectPermission.objects.filter(user_id__in=user_ids):
        existing[(p.user_id, p.permission_id, p.content_type_id, p.object_pk)] = p.pk
    wanted = {(uid, *perm) for uid, perms in wanted_perms.items() for perm in perms}
    UserObjectPermission.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    UserObjectPermission.objects.bulk_create(
        (
            UserObjectPermission(
                user_id=uid, permission_id=perm, content_type_id=ct, object_pk=pk
            )
            for uid, perm, ct, pk in wanted - existing.keys()
        ),
        batch_size=2000,
    )


def permissions_sync(*, user: User) -> None:
    permissions_sync_many(user_ids=[user.pk])


def permissions_sync_all(*, by: User | Platform) -> int:
    """Daily: functions that start or end today change what people may do (the
    platform's job, `SYSTEM`; or a national administrator)."""
    require(by, "people.change_function", [])
    user_ids = list(
        User.objects.filter(person__isnull=False).values_list("pk", flat=True)
    )
    for start in range(0, len(user_ids), 2000):
        permissions_sync_many(user_ids=user_ids[start : start + 2000])
    return len(user_ids)


@transaction.atomic
def person_contact_update(
    *, person: Person, email: str, phone: str, by: User | Platform
) -> Person:
    """Change how to reach a person: her primary address and her phone.

    A new address becomes the primary one (unverified until she confirms it); the old
    one stays on her record, so she can still sign in with it.
    """
    require_change_contact(by, person)
    email = normalise_email(email)
    if not email:
        raise ValidationError({"email": _("L'adresse e-mail est obligatoire.")})
    if email != (person.primary_email or ""):
        existing = EmailAddress.objects.filter(email__iexact=email).first()
        if existing is not None and existing.person_id != person.pk:
            raise ValidationError(
                {
                    "email": _(
                        "L'adresse e-mail %(email)s appartient déjà à une autre personne."
                    )
                    % {"email": email}
                }
            )
        address = existing or _email_add(
            person=person, email=email, verified=False, primary=False, by=by
        )
        _email_set_primary(address=address, by=by)
    if phone != person.phone:
        person.phone = phone
        audited(person, by)
        person.save(update_fields=["phone"])
    return person


PERSON_FIELDS = (
    "civility",
    "first_name",
    "last_name",
    "birth_name",
    "birth_date",
    "phone",
)


@transaction.atomic
def person_update(*, person: Person, by: User | Platform, **fields) -> Person:
    require_change_person(by, person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.full_clean(exclude=["user"])
    audited(person, by)
    person.save()
    user = person.user
    user.first_name, user.last_name = person.first_name, person.last_name
    user.save(update_fields=["first_name", "last_name"])
    return person


VERIFICATION_SALT = "siimop.email-verification"
VERIFICATION_MAX_AGE = 3 * 24 * 3600


def email_verification_token(address: EmailAddress) -> str:
    return signing.dumps(
        {"id": address.pk, "email": address.email}, salt=VERIFICATION_SALT
    )


@transaction.atomic
def email_request_verification(*, address: EmailAddress, by: User | Platform) -> None:
    """Send the person a link proving the address is hers (after the commit)."""
    require_change_person(by, address.person)
    if address.is_verified:
        raise ValidationError({"email": _("Cette adresse est déjà vérifiée.")})
    mailer.enqueue("domains.people.tasks.send_email_verification", address.pk)


@transaction.atomic
def email_verify(*, token: str) -> EmailAddress:
    """The link sent to the address proves it: whoever holds the signed token may
    verify it, signed in or not (the token is the permission, so no `by`)."""
    try:
        data = signing.loads(
            token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("Ce lien de vérification a expiré (3 jours) : demandez-en un nouveau.")
        )
    except signing.BadSignature:
        raise ValidationError(_("Ce lien de vérification n'est pas valide."))
    address = EmailAddress.objects.filter(pk=data["id"], email=data["email"]).first()
    if address is None:
        raise ValidationError(_("Cette adresse n'existe plus sur votre compte."))
    if not address.is_verified:
        address.is_verified = True
        audited(address, address.person.user)
        address.save(update_fields=["is_verified"])
    return address


@transaction.atomic
def email_remove(*, address: EmailAddress, by: User | Platform) -> None:
    require_change_person(by, address.person)
    if address.is_primary:
        raise ValidationError(
            {
                "email": _(
                    "L'adresse principale ne peut pas être supprimée : choisissez "
                    "d'abord une autre adresse principale."
                )
            }
        )
    audited(address, by)
    address.delete()


@transaction.atomic
def functions_move_establishment(*, source, target, by: User | Platform) -> int:
    """When two establishments merge, their functions (DAM, director) follow the kept
    one; permissions are resynchronised. Who moves them may give them at both."""
    functions = list(
        Function.objects.filter(establishment=source).select_related("person")
    )
    for role in sorted({f.role for f in functions}):
        for place in (source, target):
            require_grant(by, role, {"establishment": place})
    for function in functions:
        function.establishment = target
        audited(function, by)
        function.save(update_fields=["establishment"])
    permissions_sync_many(user_ids=sorted({f.person.user_id for f in functions}))
    return len(functions)


@transaction.atomic
def person_merge(
    *, kept: Person, merged: Person, by: User | Platform, reason: str = ""
) -> PersonMerge:
    """Fold a duplicate into the person kept, and audit it.

    Everything that points at the duplicate moves to the kept person: addresses (the
    duplicate's primary one becomes secondary), functions, legacy identifiers, and the
    records of every other domain, found through the model relations so that domains
    added later are covered too. The duplicate's history rows are re-attached to the kept
    person; its account is deactivated and signed out everywhere.
    """
    if kept.pk == merged.pk:
        raise ValidationError(_("Choisissez deux personnes différentes."))
    # Merging signs the duplicate out for good: it takes the right to change both,
    # in the perimeters they work in (being one of them is not enough).
    for person in (kept, merged):
        require(
            by,
            CHANGE_PERSON,
            person_perimeter(person),
            _("Votre fonction ne vous permet pas de fusionner %(person)s.")
            % {"person": person.full_name},
        )
    locked = Person.objects.select_for_update().in_bulk([kept.pk, merged.pk])
    if len(locked) != 2:
        raise ValidationError(_("L'une des deux personnes n'existe plus."))
    kept, merged = locked[kept.pk], locked[merged.pk]
    label = f"{merged} (n° {merged.pk}, {merged.primary_email or '—'})"
    # Secondary first: the kept person's primary address stays the only primary one.
    merged.emails.update(is_primary=False)
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        field, model = relation.field, relation.related_model
        rows = model._base_manager.filter(**{field.name: merged})
        if relation.many_to_many:
            rows = list(rows)
            for row in rows:
                getattr(row, field.name).remove(merged)
                getattr(row, field.name).add(kept)
            count = len(rows)
        else:
            if (
                relation.one_to_one
                and rows.exists()
                and model._base_manager.filter(**{field.name: kept}).exists()
            ):
                raise ValidationError(
                    _(
                        "Les deux personnes ont chacune un(e) %(what)s : rapprochez-les "
                        "d'abord à la main, la fusion ne peut pas choisir."
                    )
                    % {"what": model._meta.verbose_name}
                )
            count = rows.update(**{field.name: kept})
        if count:
            moved[str(model._meta.verbose_name_plural)] = count

    merged_id, merged_user = merged.pk, merged.user
    merged.delete()
    history = Person.history.model.objects
    history.filter(id=merged_id, history_type="-").delete()
    history.filter(id=merged_id).update(id=kept.pk)
    merged_user.is_active = False
    merged_user.set_unusable_password()
    merged_user.session_epoch += 1
    merged_user.save(update_fields=["is_active", "password", "session_epoch"])

    audited(kept, by)
    kept._change_reason = f"Fusion de {label}"[:100]
    kept.save()
    permissions_sync_many(user_ids=[kept.user_id, merged_user.pk])
    return PersonMerge.objects.create(
        kept=kept,
        merged_id=merged_id,
        merged_label=label,
        moved=moved,
        reason=reason,
        by=author(by),
    )


@transaction.atomic
def legacy_identifier_add(
    *, person: Person, system: str, value: str, by: User | Platform
) -> LegacyIdentifier:
    """Carry a legacy identifier (IMOTEP, SIDES NG) over to a person, once."""
    require_change_person(by, person)
    value = value.strip()
    existing = LegacyIdentifier.objects.filter(system=system, value=value).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise ValidationError(
                _("L'identifiant %(system)s %(value)s appartient déjà à %(owner)s.")
                % {
                    "system": LegacySystem(system).label,
                    "value": value,
                    "owner": existing.person,
                }
            )
        return existing
    legacy_id = LegacyIdentifier(person=person, system=system, value=value)
    audited(legacy_id, by)
    legacy_id.save()
    return legacy_id


IMPORT_BATCH = 2000


@transaction.atomic
def persons_import(*, specs: list[dict], by: User | Platform) -> list[Person]:
    """Many new persons at once, for the data recovery: accounts (no password: they
    sign in by link or university), persons, primary addresses, legacy identifiers.

    The caller has checked that the addresses and identifiers are new. Each spec:
    civility, first_name, last_name, email, birth_date (or None), imotep_id (or "").
    """
    require_somewhere(
        by,
        ADD_PERSON,
        _("Votre fonction ne vous permet pas d'enregistrer une personne."),
    )
    by = author(by)
    unusable = make_password(None)
    users = [
        User(
            username=spec["email"],
            email=spec["email"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            password=unusable,
        )
        for spec in specs
    ]
    User.objects.bulk_create(users, batch_size=IMPORT_BATCH)
    persons = [
        Person(
            user=user,
            civility=spec["civility"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            birth_date=spec.get("birth_date"),
        )
        for user, spec in zip(users, specs, strict=True)
    ]
    bulk_create_with_history(persons, Person, batch_size=IMPORT_BATCH, default_user=by)
    bulk_create_with_history(
        [
            EmailAddress(person=person, email=spec["email"], is_primary=True)
            for person, spec in zip(persons, specs, strict=True)
        ],
        EmailAddress,
        batch_size=IMPORT_BATCH,
        default_user=by,
    )
    bulk_create_with_history(
        [
            LegacyIdentifier(
                person=person, system=LegacySystem.IMOTEP, value=spec["imotep_id"]
            )
            for person, spec in zip(persons, specs, strict=True)
            if spec.get("imotep_id")
        ],
        LegacyIdentifier,
        batch_size=IMPORT_BATCH,
        default_user=by,
    )
    return persons


@transaction.atomic
def functions_import(*, functions: list[Function], by: User | Platform) -> int:
    """Many functions at once (data recovery), with their permissions; each role on
    each place is asked once."""
    asked = set()
    for function in functions:
        places = {f: getattr(function, f) for f in ALL_PERIMETER_FIELDS}
        function_validate_perimeter(function.role, places)
        key = (function.role, *(getattr(function, f"{f}_id") for f in places))
        if key not in asked:
            require_grant(by, function.role, places)
            asked.add(key)
    by = author(by)
    bulk_create_with_history(
        functions, Function, batch_size=IMPORT_BATCH, default_user=by
    )
    user_ids = sorted({f.person.user_id for f in functions})
    for start in range(0, len(user_ids), IMPORT_BATCH):
        permissions_sync_many(user_ids=user_ids[start : start + IMPORT_BATCH])
    return len(functions)
