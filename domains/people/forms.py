from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.cockpit.forms import CockpitForm, CockpitModelForm, DateInput

from . import services
from .models import Function, Person
from .perimeters import PERIMETER_QUERYSETS
from .permissions import grantable_roles
from .roles import ALL_PERIMETER_FIELDS, PERIMETER_FIELDS, ROLE_PERIMETER, Role

PERSON_FIELDS = [
    "civility",
    "first_name",
    "last_name",
    "birth_name",
    "birth_date",
    "phone",
]


class PersonForm(CockpitModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": DateInput()}

    def save_with(self, user):
        return services.person_update(
            person=self.instance,
            by=user,
            **{f: self.cleaned_data[f] for f in PERSON_FIELDS},
        )


class FunctionFieldsMixin:
    """Role, dates and the perimeter fields the role needs, limited to one's perimeter."""

    def add_function_fields(self, user) -> None:
        self.fields["role"] = forms.ChoiceField(
            label=_("Rôle"),
            choices=[(r, Role(r).label) for r in grantable_roles(user)],
        )
        self.fields["start_date"] = forms.DateField(
            label=_("Date de début"), widget=DateInput(), initial=timezone.localdate
        )
        self.fields["end_date"] = forms.DateField(
            label=_("Date de fin"),
            widget=DateInput(),
            required=False,
            help_text=_("Laisser vide pour une fonction sans terme connu."),
        )
        for field in ALL_PERIMETER_FIELDS:
            model_field = Function._meta.get_field(field)
            queryset = PERIMETER_QUERYSETS.get(field)
            self.fields[field] = forms.ModelChoiceField(
                queryset=queryset(user)
                if queryset
                else model_field.related_model.objects.all(),
                label=model_field.verbose_name.capitalize(),
                required=False,
                help_text=_("Selon le rôle : %(roles)s")
                % {
                    "roles": ", ".join(
                        str(Role(r).label)
                        for r, kind in ROLE_PERIMETER.items()
                        if field in PERIMETER_FIELDS[kind]
                    )
                },
            )

    def function_data(self) -> dict:
        role = self.cleaned_data["role"]
        needed = PERIMETER_FIELDS[ROLE_PERIMETER[role]]
        # Fields the role does not use are ignored rather than refused: the form shows
        # them all, and a choice left in one of them is no mistake of the person.
        return {
            "role": role,
            "start_date": self.cleaned_data["start_date"],
            "end_date": self.cleaned_data.get("end_date"),
            **{
                f: self.cleaned_data.get(f) if f in needed else None
                for f in ALL_PERIMETER_FIELDS
            },
        }


def grant_refused_on_role(write):
    """The service's refusal to give this role there, said on the form's role field
    (the form offers every place of one's perimeter, not only those a role fits)."""
    try:
        return write()
    except PermissionDenied as error:
        raise ValidationError({"role": str(error)}) from error


class FunctionGrantForm(FunctionFieldsMixin, CockpitForm):
    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.add_function_fields(self.request.user)

    def save_with(self, user):
        return grant_refused_on_role(
            lambda: services.function_grant(
                person=self.person, by=user, **self.function_data()
            )
        )


class PersonCreateForm(FunctionFieldsMixin, CockpitModelForm):
    email = forms.EmailField(label=_("Adresse e-mail"))

    class Meta:
        model = Person
        fields = ["civility", "first_name", "last_name", "birth_date", "phone"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_function_fields(self.request.user)

    def _post_clean(self):
        # The person has no account yet: the service creates both.
        pass

    @transaction.atomic
    def save_with(self, user):
        data = self.cleaned_data
        person = services.person_create(
            civility=data["civility"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            birth_date=data["birth_date"],
            phone=data["phone"],
            by=user,
        )
        # A refused function undoes the person too: the whole save is one transaction.
        grant_refused_on_role(
            lambda: services.function_grant(
                person=person, by=user, **self.function_data()
            )
        )
        return person


class EmailAddForm(CockpitForm):
    email = forms.EmailField(label=_("Nouvelle adresse e-mail"))
