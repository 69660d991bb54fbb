"""What the domains register with the cockpit: screens, menu entries, dashboard cards,
and the finders of public pages about a record.

The cockpit is machinery only: it imports no domain. Each domain declares its screens in
its own `screens.py` (discovered at start-up, in the spirit of `wagtail_hooks.py`), and the
people domain tells the cockpit who the person is and which functions she holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class FunctionInfo:
    """One function of the signed-in person, as the cockpit needs it."""

    pk: int
    role: str
    label: str  # "Agent ARS — Auvergne-Rhône-Alpes"
    perimeter_key: str  # same role + same key = same team (saved filters)
    permissions: frozenset[str]  # model permissions of the role, "app.codename"
    national: bool
    noun: str = ""  # inside a sentence: "agent de scolarité de faculté — Lyon"


def each(write: Callable[[Any, Model], object]) -> Callable[..., int]:
    """A bulk action that calls a service once per selected record, all or nothing."""
    from .bulk import all_or_nothing

    def run(user, records: QuerySet, **params) -> int:
        return all_or_nothing(records, lambda record: write(user, record))

    return run


def counted(
    question,
    *,
    people=None,
    concerned: Callable[[list[Model]], int] | None = None,
    then: str = "",
) -> Callable[[Any, list[Model]], str]:
    """A BulkAction's confirm= with its counts: `question` and `people` are
    ngettext_lazy(singular, plural, "count") sentences, told the number of selected
    records and the number of people `concerned(records)` counts; `then` follows.
    ("Valider ces 12 stages ?" "9 internes concernés." "Tout ou rien…")"""

    def confirm(user, records: list[Model]) -> str:
        said = [question % {"count": len(records)}]
        if people is not None and concerned is not None:
            said.append(people % {"count": concerned(records)})
        if then:
            said.append(then)
        return " ".join(str(part) for part in said)

    return confirm


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: str
    permission: str  # "change" or "delete": checked on every selected record
    # (user, records, **form.cleaned_data) -> count; uses services, all or nothing
    run: Callable[..., int]
    # Question asked before running: a sentence, or (user, records) -> the sentence
    # with the counts of what it touches ("Valider ces 12 stages ? 9 internes
    # concernés."), computed from the very records the action will run on.
    confirm: str | Callable[[Any, list[Model]], str] = ""
    # Parameters asked on the confirmation page (a jury date, a decision…)
    form_class: type | None = None
    # (user, records) -> {record pk: note}: what the confirmation page says of each
    # row before anything runs (e.g. whether a resident's phase may be validated)
    preview: Callable[[Any, list[Model]], dict[int, str]] | None = None

    def question(self, user, records: list[Model]) -> str:
        """The confirmation asked for these records ("" if none)."""
        if callable(self.confirm):
            return str(self.confirm(user, records))
        return str(self.confirm)


@dataclass(frozen=True)
class Decision:
    """A decision taken on one record from its page (accept, refuse, submit…),
    declared once and served by the cockpit's one decision view.

    `run(by, record, **form.cleaned_data)` calls the domain's service, which checks
    who may and refuses with a French ValidationError; `form(request, record)` builds
    the bound form of what the decision asks (None: it asks nothing).
    """

    name: str  # URL segment, in French: "accepter"
    label: str
    run: Callable[..., object]
    success: str  # "%(record)s" stands for the record
    form: Callable[[Any, Model], Any] | None = None
    permission: str = "change"  # the screen's model permission, on the record
    confirm: str = ""  # asked in the browser before posting
    # Whether the page offers it for this record (its state); the service decides.
    applies: Callable[[Model], bool] = lambda record: True


@dataclass
class Screen:
    """A cockpit screen: list, detail, forms, delete, bulk actions and exports.

    Everything reads through `selector(user)`, the domain's `visible_<things>`; edits,
    deletions and bulk actions also need the role's model permission and a
    django-guardian object permission on one of `perimeter_objects(record)`.
    """

    slug: str  # URL segment, in French: "terrains-de-stage"
    model: type[Model]
    label: str
    section: str  # menu section, e.g. "STAGES 3e CYCLE"
    table_class: type
    filterset_class: type
    selector: Callable[[Any], QuerySet]
    perimeter_objects: Callable[[Model], Iterable[Model | None]]
    detail_template: str = "cockpit/detail.html"
    detail_context: Callable[[Any, Model], dict] | None = None
    form_class: type | None = (
        None  # ModelForm subclass; its save_with(user) calls services
    )
    create_form_class: type | None = None
    delete: Callable[[Any, Model], None] | None = None  # (user, record), a service
    bulk_actions: list[BulkAction] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    export_columns: list[tuple[str, str | Callable]] | None = None
    order: int = 100
    extra_urls: list = field(default_factory=list)  # more paths under the screen's slug
    list_template: str = "cockpit/list.html"

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def decision(self, name: str) -> Decision | None:
        return next((d for d in self.decisions if d.name == name), None)

    def permission(self, action: str) -> str:
        return f"{self.app_label}.{action}_{self.model_name}"

    @property
    def url_name(self) -> str:
        return self.slug.replace("-", "_")


@dataclass(frozen=True)
class MenuEntry:
    """A door of the cockpit menu. Its page reads the same rule (`opens`, through the
    `door` guard of cockpit/views.py): the menu never shows a door that answers 403.

    `roles`: a personal space (Mon parcours, Mes agréments) opens to these roles'
    functions only, whatever a superuser's model permissions say; `national`: a view of
    every region (DGOS, UNESS admins). `refusal`: the sentence of the 403."""

    section: str
    label: str
    url_name: str  # cockpit URL name
    permission: str | None = (
        None  # model permission of the active role; None = everyone
    )
    order: int = 100
    roles: tuple[str, ...] = ()
    national: bool = False
    refusal: str = ""

    def opens(self, actor) -> bool:
        if not actor.has_perm(self.permission):
            return False
        if self.national and not actor.is_national:
            return False
        return not self.roles or bool(
            actor.function and actor.function.role in self.roles
        )


@dataclass(frozen=True)
class Card:
    """A tile of a role's home: a figure or a short state, linking to the list it
    counts (the list, filtered as the link says, shows as many rows as the value)."""

    title: str
    value: int | str
    description: str = ""
    url: str = ""
    level: str = "info"  # info, warning, success
    group: str = ""  # the home's heading the tile sits under ("Mon parcours"…)

    @property
    def is_figure(self) -> bool:
        return isinstance(self.value, int)


@dataclass(frozen=True)
class HomeCards:
    """A domain's tiles for the homes of `roles` (every role when empty)."""

    provider: Callable[[Any], Iterable[Card]]
    roles: tuple[str, ...] = ()

    def serves(self, actor) -> bool:
        if not self.roles:
            return True
        if actor.function is None:
            return actor.is_superuser and "uness_admin" in self.roles
        return actor.function.role in self.roles


class Registry:
    def __init__(self) -> None:
        self.screens: dict[str, Screen] = {}
        self.menu: list[MenuEntry] = []
        self.dashboard: list[HomeCards] = []
        self.urls: list = []
        self.functions_provider: Callable[[Any], list[FunctionInfo]] = lambda user: []
        # (record) -> [(title, url)]: the public pages about a record (the site's
        # announcement of a campaign), so a domain links to them without importing
        # the site.
        self.public_page_finders: list[
            Callable[[Model], Iterable[tuple[str, str]]]
        ] = []

    def register_screen(self, screen: Screen) -> Screen:
        if screen.slug in self.screens:
            raise ValueError(f"Écran déjà enregistré : {screen.slug}")
        self.screens[screen.slug] = screen
        self.menu.append(
            MenuEntry(
                section=screen.section,
                label=screen.label,
                url_name=f"{screen.url_name}_list",
                permission=screen.permission("view"),
                order=screen.order,
            )
        )
        return screen

    def register_menu(self, entry: MenuEntry) -> None:
        self.menu.append(entry)

    def menu_entry(self, url_name: str) -> MenuEntry:
        return next(e for e in self.menu if e.url_name == url_name)

    def register_urls(self, patterns: list) -> None:
        self.urls.extend(patterns)

    def register_dashboard(
        self, provider: Callable[[Any], Iterable[Card]], roles: Iterable[str] = ()
    ) -> None:
        """Tiles of the home, for the functions of `roles` (all when empty); the
        provider gets the request and returns the cards of the active function."""
        self.dashboard.append(HomeCards(provider, tuple(roles)))

    def register_public_page_finder(
        self, finder: Callable[[Model], Iterable[tuple[str, str]]]
    ) -> None:
        self.public_page_finders.append(finder)

    def public_pages(self, record: Model) -> list[tuple[str, str]]:
        return [page for find in self.public_page_finders for page in find(record)]

    def set_functions_provider(
        self, provider: Callable[[Any], list[FunctionInfo]]
    ) -> None:
        self.functions_provider = provider


registry = Registry()

# The order and titles of the menu sections, as in the production cockpit.
SECTIONS = ["ACCUEIL", "MES INFORMATIONS", "STAGES 3e CYCLE", "PERSONNES"]
