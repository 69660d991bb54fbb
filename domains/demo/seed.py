"""Deterministic demo data at two scales, written in bulk.

The national scale reaches real orders of magnitude (~4,000 establishments, ~12,000
training sites, ~30,000 accreditations, ~20,000 posts a semester), so rows are built in
memory and written with bulk_create (history rows included): going through the services
one record at a time would take an hour. The data respect the services' rules (posts only
on sites accredited for that specialty and phase), and a test checks it.
"""

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history
from stdnum.luhn import calc_check_digit

from assistance.demo import AssistanceBuilder
from courses.demo import build_catalogue
from domains.demo.accreditation import AccreditationBuilder
from domains.demo.choices import (
    build_amphi,
    build_pre_choices,
    build_semester_activity,
)
from domains.demo.departments import DEPARTMENT_SPECIALTIES
from domains.demo.matching import MatchingBuilder
from domains.demo.residents import ResidentsBuilder
from domains.identity import dev_idp
from domains.identity.models import AccountRequest, IdentityProvider
from domains.identity.saml import ExternalIdentity
from domains.identity.services import federated_sign_in
from domains.people.models import Civility, EmailAddress, Function, Person, User
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import permissions_sync_many, person_create
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    AccreditationState,
    AccreditationType,
    DataQuality,
    Establishment,
    EstablishmentKind,
    Faculty,
    Phase,
    Post,
    Season,
    Semester,
    Specialty,
    SpecialtyKind,
    Subdivision,
    TrainingSite,
    TrainingSiteKind,
    data_quality_for,
)
from domains.referential.validators import finess_check_digit
from siimop_site.demo import build_site

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email


@dataclass
class PersonSpec:
    email: str
    civility: str
    first_name: str
    last_name: str
    password: str | None
    functions: list[tuple[str, dict]]
    supervises: TrainingSite | None = None
    home: Subdivision | None = None  # a resident's subdivision


@dataclass(frozen=True)
class Scale:
    establishments: int
    sites_per_establishment: float
    accreditations_per_site: float
    posts: int
    coordinators_per_subdivision: int
    residents_per_subdivision: int
    support_requests: int


SCALES = {
    "small": Scale(
        establishments=90,
        sites_per_establishment=2.5,
        accreditations_per_site=2.0,
        posts=250,
        coordinators_per_subdivision=2,
        residents_per_subdivision=12,
        support_requests=3000,
    ),
    "national": Scale(
        establishments=4000,
        sites_per_establishment=3.0,
        accreditations_per_site=3.0,
        posts=20000,
        coordinators_per_subdivision=30,
        residents_per_subdivision=1540,  # ~43,000 residents
        support_requests=50000,
    ),
}

# Department of each subdivision's CHU, for FINESS numbers and postal codes.
SUBDIVISION_DEPARTMENT = {
    "AMIENS": "80",
    "ANGERS": "49",
    "ANTILLES_GUYANE": "97",
    "BESANCON": "25",
    "BORDEAUX": "33",
    "BREST": "29",
    "CAEN": "14",
    "CLERMONT_FERRAND": "63",
    "DIJON": "21",
    "GRENOBLE": "38",
    "ILE_DE_FRANCE": "75",
    "LILLE": "59",
    "LIMOGES": "87",
    "LYON": "69",
    "MARSEILLE": "13",
    "MONTPELLIER": "34",
    "NANCY": "54",
    "NANTES": "44",
    "NICE": "06",
    "OCEAN_INDIEN": "97",
    "POITIERS": "86",
    "REIMS": "51",
    "RENNES": "35",
    "ROUEN": "76",
    "SAINT_ETIENNE": "42",
    "STRASBOURG": "67",
    "TOULOUSE": "31",
    "TOURS": "37",
}
# Real legal-entity FINESS numbers of the two largest CHU.
REAL_CHU = {
    "ILE_DE_FRANCE": ("Assistance Publique – Hôpitaux de Paris", "750712184"),
    "LYON": ("Hospices Civils de Lyon", "690781810"),
}
# Relative weight of each subdivision (Île-de-France trains about a fifth of residents).
HEAVY = {
    "ILE_DE_FRANCE": 6,
    "LYON": 2.5,
    "MARSEILLE": 2,
    "LILLE": 2,
    "BORDEAUX": 1.7,
    "TOULOUSE": 1.7,
    "MONTPELLIER": 1.5,
    "NANTES": 1.3,
    "STRASBOURG": 1.3,
}

HOSPITAL_DEPARTMENTS = [
    "Cardiologie",
    "Pneumologie",
    "Néphrologie",
    "Gastro-entérologie",
    "Neurologie",
    "Médecine interne",
    "Gériatrie",
    "Pédiatrie",
    "Psychiatrie adulte",
    "Urgences",
    "Réanimation médicale",
    "Anesthésie-réanimation",
    "Chirurgie viscérale",
    "Chirurgie orthopédique",
    "Gynécologie-obstétrique",
    "Radiologie",
    "Oncologie médicale",
    "Hématologie clinique",
    "Maladies infectieuses",
    "Endocrinologie",
    "Dermatologie",
    "Rhumatologie",
    "Ophtalmologie",
    "ORL",
    "Urologie",
    "Neurochirurgie",
    "Biologie médicale",
    "Pharmacie hospitalière",
    "Santé publique",
    "Médecine polyvalente",
]
ESTABLISHMENT_PATTERNS = [
    "Centre hospitalier de {city}",
    "Clinique {name}",
    "Hôpital privé {name}",
    "Centre hospitalier spécialisé de {city}",
    "Maison de santé pluriprofessionnelle de {city}",
    "Centre de santé {name}",
    "Groupe hospitalier {name}",
]

# Share of accreditations per state (the rest is granted).
STATE_WEIGHTS = [
    (AccreditationState.GRANTED, 70),
    (AccreditationState.PROVISIONAL, 14),
    (AccreditationState.EXPIRED, 8),
    (AccreditationState.REFUSED, 5),
    (AccreditationState.DEFERRED, 3),
]
BATCH = 2000
# Where the demo duplicate's sign-in came from when no local test IdP runs.
DEMO_ISSUER = "https://idp.univ-demo.fr/idp/shibboleth"


def semester_dates(season: str, year: int) -> tuple[date, date]:
    if season == Season.WINTER:
        return date(year, 11, 1), date(year + 1, 4, 30)
    return date(year, 5, 1), date(year, 10, 31)


def ensure_semesters(first_year: int, last_year: int) -> list[Semester]:
    semesters = []
    for year in range(first_year, last_year + 1):
        for season in (Season.SUMMER, Season.WINTER):
            start, end = semester_dates(season, year)
            semester, _ = Semester.objects.get_or_create(
                season=season,
                year=year,
                defaults={"start_date": start, "end_date": end},
            )
            semesters.append(semester)
    return semesters


def lyon_of(subdivisions):
    return next(s for s in subdivisions if s.code == "LYON")


class DemoBuilder:
    def __init__(self, *, scale: str, seed: int, today: date):
        self.scale = SCALES[scale]
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.today = today
        self.finess_used: set[str] = set()
        self.counts: dict[str, int] = {}
        self.unusable_password = make_password(None)

    # Identifiers -------------------------------------------------------------
    def new_finess(self, department: str) -> str:
        while True:
            body = department + "".join(self.rng.choice("0123456789") for _ in range(6))
            number = body + finess_check_digit(body)
            if number not in self.finess_used:
                self.finess_used.add(number)
                return number

    def new_siret(self) -> str:
        siren = "".join(self.rng.choice("0123456789") for _ in range(8))
        siren += calc_check_digit(siren)
        nic = "".join(self.rng.choice("0123456789") for _ in range(4))
        return siren + nic + calc_check_digit(siren + nic)

    def postal_code(self, department: str) -> str:
        if department == "97":
            return (
                "97"
                + str(self.rng.choice([1, 2, 3, 4]))
                + f"{self.rng.randint(0, 99):02d}"
            )
        return department + f"{self.rng.randint(0, 99):03d}"

    # Build -------------------------------------------------------------------
    @transaction.atomic
    def build(self) -> dict[str, int]:
        self.subdivisions = list(Subdivision.objects.select_related("region"))
        self.phases = list(Phase.objects.order_by("order"))
        self.specialties = list(
            Specialty.objects.filter(
                kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES, SpecialtyKind.FST],
                is_open=True,
            )
        )
        self.semesters = ensure_semesters(self.today.year - 7, self.today.year + 1)
        self.current = next(
            s for s in self.semesters if s.start_date <= self.today <= s.end_date
        )
        self.build_faculties()
        self.build_establishments()
        self.build_training_sites()
        self.build_people()
        self.build_accreditations()
        self.build_posts()
        self.counts |= ResidentsBuilder(self).build()
        self.build_account_requests()
        self.build_sign_in_cases()
        self.counts |= MatchingBuilder(self).build()
        self.counts |= AssistanceBuilder(
            tickets=self.scale.support_requests, rng=self.rng, today=self.today
        ).build()
        self.counts |= build_site()
        self.counts |= AccreditationBuilder(self).build()
        self.counts |= build_semester_activity(self.rng)
        self.counts |= build_pre_choices(self.rng)
        self.counts |= build_amphi(self.rng)
        self.counts |= build_catalogue()
        return self.counts

    def build_faculties(self) -> None:
        faculties = [
            Faculty(
                name=f"UFR de santé de {s.chu_city or s.name}",
                subdivision=s,
                city=s.chu_city,
            )
            for s in self.subdivisions
            if not Faculty.objects.filter(subdivision=s).exists()
        ]
        bulk_create_with_history(faculties, Faculty, batch_size=BATCH)
        self.counts["facultés"] = len(faculties)

    def _weights(self) -> list[float]:
        return [HEAVY.get(s.code, 1.0) for s in self.subdivisions]

    def build_establishments(self) -> None:
        n = self.scale.establishments
        per_subdivision = {s.code: 0 for s in self.subdivisions}
        for s in self.rng.choices(self.subdivisions, weights=self._weights(), k=n):
            per_subdivision[s.code] += 1
        legal_entities, sites = [], []
        pending: list[tuple[Establishment, Subdivision, int]] = []
        for subdivision in self.subdivisions:
            department = SUBDIVISION_DEPARTMENT[subdivision.code]
            count = max(per_subdivision[subdivision.code], 3)
            name, finess = REAL_CHU.get(
                subdivision.code,
                (f"Centre hospitalier universitaire de {subdivision.chu_city}", None),
            )
            chu = Establishment(
                name=name,
                kind=EstablishmentKind.LEGAL_ENTITY,
                region=subdivision.region,
                finess=finess or self.new_finess(department),
                siret=self.new_siret(),
                city=subdivision.chu_city,
                postal_code=self.postal_code(department),
                address=self.fake.street_address(),
            )
            self.finess_used.add(chu.finess)
            legal_entities.append((chu, subdivision))
            for i in range(count - 1):
                city = subdivision.chu_city if i % 3 == 0 else self.fake.city()
                pattern = self.rng.choice(ESTABLISHMENT_PATTERNS)
                is_legal = i % 4 == 3
                establishment = Establishment(
                    name=pattern.format(city=city, name=self.fake.last_name()),
                    kind=EstablishmentKind.LEGAL_ENTITY
                    if is_legal
                    else EstablishmentKind.SITE,
                    region=subdivision.region,
                    city=city,
                    postal_code=self.postal_code(department),
                    address=self.fake.street_address(),
                )
                roll = self.rng.random()
                if roll < 0.07:
                    pass  # IMOTEP left it without any identifier
                elif roll < 0.11:
                    siret = self.new_siret()  # typed with a wrong check key
                    establishment.siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)
                    establishment.legacy_id = f"IMO-{self.rng.randint(10000, 99999)}"
                else:
                    establishment.finess = self.new_finess(department)
                    if self.rng.random() < 0.5:
                        establishment.siret = self.new_siret()
                if is_legal:
                    legal_entities.append((establishment, subdivision))
                else:
                    pending.append(
                        (establishment, subdivision, len(legal_entities) - 1)
                    )
        for establishment, _ in legal_entities:
            establishment.data_quality = data_quality_for(
                establishment.finess, establishment.siret
            )
        bulk_create_with_history(
            [e for e, _ in legal_entities], Establishment, batch_size=BATCH
        )
        for establishment, subdivision, parent_index in pending:
            parent, parent_subdivision = legal_entities[parent_index]
            # Geographic sites hang under a legal entity of their subdivision.
            if parent_subdivision == subdivision:
                establishment.parent = parent
            establishment.data_quality = data_quality_for(
                establishment.finess, establishment.siret
            )
            sites.append((establishment, subdivision))
        bulk_create_with_history([e for e, _ in sites], Establishment, batch_size=BATCH)
        ordered = legal_entities + sites
        self.establishments = [e for e, _ in ordered]
        self.establishment_subdivision = {e.pk: s for e, s in ordered}
        self.counts["établissements"] = len(self.establishments)
        self.counts["établissements à corriger"] = sum(
            e.data_quality == DataQuality.TO_FIX for e in self.establishments
        )

    def build_training_sites(self) -> None:
        sites = []
        for establishment in self.establishments:
            subdivision = self.establishment_subdivision[establishment.pk]
            ambulatory = establishment.name.startswith(("Maison", "Centre de santé"))
            n = max(1, round(self.rng.gauss(self.scale.sites_per_establishment, 1.0)))
            if (
                establishment.kind == EstablishmentKind.LEGAL_ENTITY
                and "universitaire"
                in (
                    establishment.name
                    + " "
                    + " ".join(REAL_CHU.get(subdivision.code, ("",)))
                )
            ):
                n += 4
            departments = self.rng.sample(HOSPITAL_DEPARTMENTS, k=min(n, 30))
            if establishment.finess == REAL_CHU["LYON"][1]:
                # The demo RTS's service: cardiology, at the Lyon CHU.
                departments = ["Cardiologie"] + [
                    d for d in departments if d != "Cardiologie"
                ]
            for department in departments:
                if ambulatory:
                    name = (
                        f"Cabinet du Dr {self.fake.last_name()} — {establishment.city}"
                    )
                    kind = TrainingSiteKind.AMBULATORY
                    department = "Médecine générale"
                else:
                    name = f"{department} — {establishment.name}"
                    kind = TrainingSiteKind.HOSPITAL
                sites.append(
                    TrainingSite(
                        establishment=establishment,
                        subdivision=subdivision,
                        name=name[:255],
                        department=department,
                        kind=kind,
                        address=establishment.address,
                        description=f"Service accueillant des internes en {department.lower()}.",
                        legacy_id=f"TS-{len(sites) + 1:06d}",
                        is_active=self.rng.random() > 0.03,
                    )
                )
        bulk_create_with_history(sites, TrainingSite, batch_size=BATCH)
        self.sites = sites
        self.counts["terrains de stage"] = len(self.sites)

    def _spec(
        self,
        email: str,
        functions: list[tuple[str, dict]],
        *,
        civility: str | None = None,
        first_name: str = "",
        last_name: str = "",
        password: str | None = None,
    ) -> PersonSpec:
        civility = civility or self.rng.choice([Civility.MR, Civility.MRS])
        if not first_name:
            first_name = (
                self.fake.first_name_male()
                if civility == Civility.MR
                else self.fake.first_name_female()
            )
        return PersonSpec(
            email=email.lower(),
            civility=civility,
            first_name=first_name,
            last_name=last_name or self.fake.last_name(),
            password=password,
            functions=functions,
        )

    def people_specs(self) -> list[PersonSpec]:
        """Somebody for every role and perimeter, then the named demo accounts."""
        specs: list[PersonSpec] = []
        lyon = next(s for s in self.subdivisions if s.code == "LYON")
        hcl = next(e for e in self.establishments if e.finess == REAL_CHU["LYON"][1])
        lyon_sites = [s for s in self.sites if s.subdivision_id == lyon.pk]
        hcl_site = next(
            s
            for s in lyon_sites
            if s.establishment_id == hcl.pk and s.department == "Cardiologie"
        )
        lyon_ambulatory = next(
            (s for s in lyon_sites if s.kind == TrainingSiteKind.AMBULATORY), hcl_site
        )
        des = [s for s in self.specialties if s.kind != SpecialtyKind.FST]
        cardiology = next((s for s in des if s.code == "DES-MCA"), des[0])

        def add(prefix: str, domain: str, role: str, count: int, **perimeter) -> None:
            for i in range(count):
                email = f"{prefix}.{i}@{domain}"
                specs.append(self._spec(email, [(role, perimeter)]))

        for site in self.sites:
            # Every site has its supervisor; ambulatory ones are run by an MSU.
            role = (
                Role.PRACTITIONER
                if site.kind == TrainingSiteKind.AMBULATORY
                else Role.SITE_SUPERVISOR
            )
            spec = self._spec(
                f"rts.{site.legacy_id}@terrains-demo.fr",
                [(role, {"training_site": site})],
            )
            spec.supervises = site
            specs.append(spec)
            if self.rng.random() < 0.1:
                add(
                    f"assistant.{site.legacy_id}",
                    "terrains-demo.fr",
                    Role.SITE_ASSISTANT,
                    1,
                    training_site=site,
                )
        for establishment in self.establishments:
            if establishment.kind == EstablishmentKind.LEGAL_ENTITY:
                tag = f"etab{establishment.pk}"
                add(
                    f"dam.{tag}",
                    "etablissements-demo.fr",
                    Role.MEDICAL_AFFAIRS,
                    1,
                    establishment=establishment,
                )
                add(
                    f"direction.{tag}",
                    "etablissements-demo.fr",
                    Role.ESTABLISHMENT_DIRECTOR,
                    1,
                    establishment=establishment,
                )
        for region in {s.region for s in self.subdivisions}:
            add(f"ars.{region.code}", "ars-demo.fr", Role.ARS, 3, region=region)
        for subdivision in self.subdivisions:
            code = subdivision.code.lower()
            add(
                f"scolarite.{code}",
                "univ-demo.fr",
                Role.FACULTY_REGISTRY,
                2,
                subdivision=subdivision,
            )
            add(
                f"representant.{code}",
                "internes-demo.fr",
                Role.RESIDENT_REPRESENTATIVE,
                2,
                subdivision=subdivision,
            )
            add(
                f"support.{code}",
                "uness-demo.fr",
                Role.SUPPORT_L1,
                1,
                subdivision=subdivision,
            )
            for i in range(self.scale.coordinators_per_subdivision):
                specs.append(
                    self._spec(
                        f"coord.{code}.{i}@univ-demo.fr",
                        [
                            (
                                Role.COORDINATOR,
                                {
                                    "subdivision": subdivision,
                                    "specialty": des[i % len(des)],
                                },
                            )
                        ],
                    )
                )
            for i in range(self.scale.residents_per_subdivision):
                spec = self._spec(
                    f"interne.{code}.{i}@internes-demo.fr", [(Role.RESIDENT, {})]
                )
                specs.append(replace(spec, home=subdivision))
        add("dgos", "sante-demo.fr", Role.DGOS, 2)
        add("uness", "uness-demo.fr", Role.UNESS_ADMIN, 2)
        add("support2", "uness-demo.fr", Role.SUPPORT_L2, 3)

        demo_perimeters = {
            Role.ARS: {"region": lyon.region},
            Role.FACULTY_REGISTRY: {"subdivision": lyon},
            Role.RESIDENT_REPRESENTATIVE: {"subdivision": lyon},
            Role.SUPPORT_L1: {"subdivision": lyon},
            Role.COORDINATOR: {"subdivision": lyon, "specialty": cardiology},
            Role.SITE_SUPERVISOR: {"training_site": hcl_site},
            Role.PRACTITIONER: {"training_site": lyon_ambulatory},
            Role.SITE_ASSISTANT: {"training_site": hcl_site},
            Role.MEDICAL_AFFAIRS: {"establishment": hcl},
            Role.ESTABLISHMENT_DIRECTOR: {"establishment": hcl},
        }
        for role, (_local, civility, first, last) in DEMO_ACCOUNTS.items():
            specs.append(
                self._spec(
                    demo_email(role),
                    [(role, demo_perimeters.get(role, {}))],
                    civility=civility,
                    first_name=first,
                    last_name=last,
                    password=DEMO_PASSWORD,
                )
            )
        return specs

    def build_people(self) -> None:
        specs = self.people_specs()
        users = [
            User(
                username=spec.email,
                email=spec.email,
                first_name=spec.first_name,
                last_name=spec.last_name,
                password=make_password(spec.password)
                if spec.password
                else self.unusable_password,
                is_staff=spec.email == demo_email(Role.UNESS_ADMIN),
                is_superuser=spec.email == demo_email(Role.UNESS_ADMIN),
            )
            for spec in specs
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        persons = [
            Person(
                user=user,
                civility=spec.civility,
                first_name=spec.first_name,
                last_name=spec.last_name,
                birth_date=self.fake.date_of_birth(minimum_age=26, maximum_age=65),
                phone=self.fake.phone_number(),
            )
            for user, spec in zip(users, specs, strict=True)
        ]
        bulk_create_with_history(persons, Person, batch_size=BATCH)
        bulk_create_with_history(
            [
                EmailAddress(
                    person=person, email=spec.email, is_primary=True, is_verified=True
                )
                for person, spec in zip(persons, specs, strict=True)
            ],
            EmailAddress,
            batch_size=BATCH,
        )
        start = date(self.today.year - 2, 9, 1)
        functions = [
            Function(person=person, role=role, start_date=start, **perimeter)
            for person, spec in zip(persons, specs, strict=True)
            for role, perimeter in spec.functions
        ]
        bulk_create_with_history(functions, Function, batch_size=BATCH)
        user_ids = [user.pk for user in users]
        for i in range(0, len(user_ids), BATCH):
            permissions_sync_many(user_ids=user_ids[i : i + BATCH], day=self.today)
        self.resident_persons = [
            (person, spec.home or lyon_of(self.subdivisions))
            for person, spec in zip(persons, specs, strict=True)
            if any(role == Role.RESIDENT for role, _ in spec.functions)
        ]
        self.site_supervisor = {
            spec.supervises.pk: person.pk
            for person, spec in zip(persons, specs, strict=True)
            if spec.supervises is not None
        }
        self.counts["personnes"] = len(persons)
        self.counts["fonctions"] = len(functions)

    def _random_state_and_dates(self) -> tuple[str, date, date]:
        state = self.rng.choices(
            [s for s, _ in STATE_WEIGHTS], weights=[w for _, w in STATE_WEIGHTS]
        )[0]
        year = self.current.year
        if state == AccreditationState.GRANTED:
            start = date(self.rng.randint(year - 4, year), self.rng.choice([5, 11]), 1)
            if start > self.current.start_date:
                start = self.current.start_date
            end = date(start.year + 5, start.month, 1) - timedelta(days=1)
        elif state == AccreditationState.PROVISIONAL:
            start = self.rng.choice([self.current.start_date, date(year, 5, 1)])
            end = date(start.year + 1, start.month, 1) - timedelta(days=1)
        elif state == AccreditationState.EXPIRED:
            start = date(year - 6, 11, 1)
            end = date(year - 1, 10, 31)
        else:
            start = date(year + 1, 5, 1)
            end = date(year + 6, 4, 30)
        return state, start, end

    def build_accreditations(self) -> None:
        accreditations, phase_sets = [], []
        by_code = {s.code: s for s in self.specialties}
        for site in self.sites:
            n = max(1, round(self.rng.gauss(self.scale.accreditations_per_site, 0.8)))
            fitting = [
                by_code[code]
                for code in DEPARTMENT_SPECIALTIES.get(site.department, ())
                if code in by_code
            ]
            chosen = fitting[:n] or self.rng.sample(self.specialties, k=1)
            demo_service = (
                site.department == "Cardiologie"
                and site.establishment.finess == REAL_CHU["LYON"][1]
            )
            for rank, specialty in enumerate(chosen):
                state, start, end = self._random_state_and_dates()
                if demo_service and rank == 0:
                    # The demo RTS's service: accredited in force for every phase.
                    state = AccreditationState.GRANTED
                    start = self.current.start_date - timedelta(days=365)
                    end = date(start.year + 5, start.month, 1) - timedelta(days=1)
                accreditations.append(
                    Accreditation(
                        training_site=site,
                        specialty=specialty,
                        start_date=start,
                        end_date=end,
                        state=state,
                        type=AccreditationType.PRINCIPAL
                        if rank == 0
                        else AccreditationType.COMPLEMENTARY,
                        supervisor_id=self.site_supervisor.get(site.pk),
                        decision_reference=f"ARS-{start.year}-{len(accreditations) + 1:06d}",
                    )
                )
                k = self.rng.choice([1, 1, 2, 3])
                phases = self.rng.sample(self.phases, k=k)
                phase_sets.append(
                    list(self.phases) if demo_service and rank == 0 else phases
                )
        created = bulk_create_with_history(
            accreditations, Accreditation, batch_size=BATCH
        )
        Through = Accreditation.phases.through
        Through.objects.bulk_create(
            (
                Through(accreditation_id=a.pk, phase_id=p.pk)
                for a, phases in zip(created, phase_sets, strict=True)
                for p in phases
            ),
            batch_size=BATCH * 2,
        )
        self.accreditations = list(zip(created, phase_sets, strict=True))
        self.counts["agréments"] = len(created)

    def build_posts(self) -> None:
        semester = self.current
        active_site = {site.pk: site.is_active for site in self.sites}
        open_here = [
            (a, phases)
            for a, phases in self.accreditations
            if a.state in ACTIVE_ACCREDITATION_STATES
            and a.start_date <= semester.start_date <= a.end_date
            and active_site[a.training_site_id]
        ]
        self.rng.shuffle(open_here)
        # The demo accounts work in Lyon: its sites' posts come first under the cap.
        lyon = next(s.pk for s in self.subdivisions if s.code == "LYON")
        site_subdivision = {site.pk: site.subdivision_id for site in self.sites}
        open_here.sort(
            key=lambda item: site_subdivision[item[0].training_site_id] != lyon
        )
        posts, seen = [], set()
        for accreditation, phases in open_here:
            for phase in phases:
                key = (
                    accreditation.training_site_id,
                    accreditation.specialty_id,
                    phase.pk,
                )
                if key in seen:
                    continue
                seen.add(key)
                posts.append(
                    Post(
                        semester=semester,
                        training_site_id=accreditation.training_site_id,
                        specialty_id=accreditation.specialty_id,
                        phase=phase,
                        seats=self.rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[
                            0
                        ],
                    )
                )
                if len(posts) >= self.scale.posts:
                    break
            if len(posts) >= self.scale.posts:
                break
        bulk_create_with_history(posts, Post, batch_size=BATCH)
        # Couple a few posts two by two on the same site (one seat shared by two halves).
        created = list(Post.objects.filter(semester=semester).order_by("pk"))
        by_site: dict[int, list[Post]] = {}
        for post in created:
            by_site.setdefault(post.training_site_id, []).append(post)
        coupled = []
        for site_posts in by_site.values():
            if len(site_posts) >= 2 and self.rng.random() < 0.04:
                site_posts[0].coupled_with = site_posts[1]
                coupled.append(site_posts[0])
        Post.objects.bulk_update(coupled, ["coupled_with"], batch_size=BATCH)
        self.counts["postes (semestre en cours)"] = len(created)

    def build_account_requests(self) -> None:
        """A few newcomers waiting for the Lyon ARS agent, one of them on a new site."""
        lyon = next(s for s in self.subdivisions if s.code == "LYON")
        sites = [s for s in self.sites if s.subdivision_id == lyon.pk][:2]
        requests = [
            AccountRequest(
                civility=Civility.MRS,
                first_name=self.fake.first_name_female(),
                last_name=self.fake.last_name(),
                email=f"nouvelle.rts.{i}@chu-demo.fr",
                role=Role.SITE_SUPERVISOR,
                region=lyon.region,
                training_site=site,
                message="Je remplace le précédent responsable du service.",
            )
            for i, site in enumerate(sites)
        ]
        requests.append(
            AccountRequest(
                civility=Civility.MR,
                first_name=self.fake.first_name_male(),
                last_name=self.fake.last_name(),
                email="nouveau.msu@cabinet-demo.fr",
                role=Role.PRACTITIONER,
                region=lyon.region,
                site_not_listed="Cabinet médical des Pentes, Lyon 1er",
            )
        )
        bulk_create_with_history(requests, AccountRequest, batch_size=BATCH)
        self.counts["demandes de compte"] = len(requests)

    def build_sign_in_cases(self) -> None:
        """The local test university (dev only), and a duplicate for the UNESS admin:
        the same doctor recovered twice, whose university sign-in matched both."""
        if settings.SAML_DEV_IDP:
            provider = dev_idp.register()
            provider.legacy_id_attribute = "imotepId"
            provider.legacy_id_system = "imotep"
            provider.save()
        else:
            provider = IdentityProvider(
                entity_id=DEMO_ISSUER,
                email_domains=dev_idp.EMAIL_DOMAINS,
                legacy_id_system="imotep",
            )
        issuer = provider.entity_id
        first = person_create(
            civility=Civility.MRS,
            first_name="Hélène",
            last_name="Garnier",
            email="helene.garnier@univ-lyon1.fr",
            email_verified=True,
            by=SYSTEM,
        )
        person_create(
            civility=Civility.MRS,
            first_name="Hélène",
            last_name="Garnier",
            email="h.garnier@chu-lyon.fr",
            email_verified=True,
            imotep_id="IMO-DEMO-0001",
            by=SYSTEM,
        )
        federated_sign_in(
            identity=ExternalIdentity(
                issuer=issuer,
                subject="hgarnier@univ-lyon1.fr",
                label="hgarnier@univ-lyon1.fr",
                emails=(first.primary_email,),
                first_name="Hélène",
                last_name="Garnier",
                legacy_id="IMO-DEMO-0001",
                assertion_id=f"demo-{uuid.uuid4()}",
                expires_at=timezone.now(),
                came_from="",
                in_response_to="",
            ),
            provider=provider,
        )
        self.counts["connexions à rapprocher"] = 1
