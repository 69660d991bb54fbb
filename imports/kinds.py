"""One importer per kind of legacy file. Writes go through the domains' services."""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from domains.accreditation.models import AccreditationRequest
from domains.choices import activity
from domains.choices.models import (
    ActivityKind,
    ActivityLine,
    ActivitySource,
    ActivityStatus,
)
from domains.people.models import EmailAddress, LegacyIdentifier, LegacySystem, Person
from domains.people.roles import Role
from domains.people.selectors import person_for_email, persons_for_legacy_id
from domains.people.services import function_grant, person_create
from domains.people.validators import validate_birth_date
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    AccreditationState,
    AccreditationType,
    DataQuality,
    Establishment,
    Faculty,
    Phase,
    Post,
    Semester,
    Specialty,
    SpecialtyKind,
    Subdivision,
    TrainingSite,
    TrainingSiteKind,
)
from domains.referential.services import (
    accreditation_update,
    accreditations_import,
    establishment_create,
    establishment_update,
    post_open,
    post_update,
    training_site_create,
    training_site_update,
)
from domains.referential.validators import compact, finess_is_valid, siret_is_valid
from domains.residents.models import (
    Enrolment,
    EnrolmentState,
    Placement,
    PlacementMode,
    Resident,
)
from domains.residents.services import placements_import, residents_import

from .linking import person_attach
from .models import PersonProposal
from .permissions import may_import
from .pipeline import Column, Importer, Rejected, RowResult, Status
from .reading import FileRefused
from .values import (
    digits,
    fold,
    parse_bool,
    parse_date,
    parse_int,
    parse_semester,
    text,
)
from .writes import activity_lines_import

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
IMOTEP_ID = Column(
    "legacy_id", "Identifiant IMOTEP", ("id imotep", "identifiant", "id", "code imotep")
)


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


class EstablishmentsImporter(Importer):
    kind, label = "etablissements", "Établissements"
    columns = [
        IMOTEP_ID,
        Column("name", "Raison sociale", ("nom", "libelle", "etablissement")),
        Column(
            "finess", "FINESS", ("finess geographique", "finess et", "n finess"), False
        ),
        Column(
            "finess_legal",
            "FINESS juridique",
            ("finess ej", "finess entite juridique"),
            False,
        ),
        Column("siret", "SIRET", ("n siret",), False),
        Column("address", "Adresse", ("adresse postale",), False),
        Column("postal_code", "Code postal", ("cp",), False),
        Column("city", "Ville", ("commune",), False),
    ]

    def prepare(self):
        if self.region is None:
            raise FileRefused(
                "Indiquez la région des établissements importés (--region CODE)."
            )
        self.by_legacy = {
            e.legacy_id: e for e in Establishment.objects.exclude(legacy_id="")
        }
        self.by_finess = {
            e.finess: e
            for e in Establishment.objects.exclude(finess="").select_related("region")
        }

    def handle(self, row, line):
        legacy_id = self.required(row, "legacy_id")
        name = self.required(row, "name")
        notes = []
        finess = compact(text(row.get("finess")))
        if finess and not finess_is_valid(finess):
            notes.append(f"FINESS {finess} invalide, non repris")
            finess = ""
        siret = digits(row.get("siret"))
        if siret and not siret_is_valid(siret):
            notes.append(f"SIRET {siret} invalide, non repris")
            siret = ""
        fields = {
            "name": name,
            "finess": finess,
            "siret": siret,
            "address": text(row.get("address")),
            "postal_code": digits(row.get("postal_code"))[:5],
            "city": text(row.get("city")),
            "legacy_id": legacy_id,
        }
        legal = compact(text(row.get("finess_legal")))
        parent = self.by_finess.get(legal) if legal else None
        if parent is not None and parent.kind == "legal_entity":
            fields["parent"] = parent
        elif legal:
            notes.append(f"entité juridique {legal} inconnue, non rattachée")
        existing = self.by_legacy.get(legacy_id) or (
            self.by_finess.get(finess) if finess else None
        )
        if existing is not None and existing.region_id != self.region.pk:
            raise Rejected(
                "Identifiant IMOTEP", "établissement d'une autre région que la vôtre"
            )
        if not (finess or siret):
            notes.append("ni FINESS ni SIRET valide : établissement « à corriger »")
        try:
            if existing is None:
                establishment = establishment_create(
                    by=self.by, region=self.region, **fields
                )
                status = Status.CREATED
            elif all(getattr(existing, k) == v for k, v in fields.items()):
                establishment, status = existing, Status.UNCHANGED
            else:
                establishment = establishment_update(
                    establishment=existing, by=self.by, **fields
                )
                status = Status.UPDATED
        except ValidationError as error:
            raise Rejected("FINESS", _refusal(error))
        self.by_legacy[legacy_id] = establishment
        if establishment.finess:
            self.by_finess[establishment.finess] = establishment
        return RowResult(line, status, key=legacy_id, reason="; ".join(notes))


SITE_KINDS = {
    "hospitalier": TrainingSiteKind.HOSPITAL,
    "hopital": TrainingSiteKind.HOSPITAL,
    "ambulatoire": TrainingSiteKind.AMBULATORY,
    "autre": TrainingSiteKind.OTHER,
}


def _subdivisions() -> dict[str, Subdivision]:
    found = {}
    for subdivision in Subdivision.objects.select_related("region"):
        for name in (subdivision.code, subdivision.name, subdivision.chu_city):
            if name:
                found[fold(name)] = subdivision
    return found


class SitesImporter(Importer):
    kind, label = "terrains", "Terrains de stage"
    columns = [
        IMOTEP_ID,
        Column("name", "Libellé", ("nom", "libelle du terrain", "terrain")),
        Column("department", "Service", ("unite",), False),
        Column(
            "establishment",
            "Établissement",
            ("etablissement imotep", "finess", "siret"),
        ),
        Column("subdivision", "Subdivision"),
        Column("kind", "Type", ("type de terrain",), False),
        Column("rts_last_name", "RTS nom", ("nom rts", "nom du rts"), False),
        Column("rts_first_name", "RTS prénom", ("prenom rts", "prenom du rts"), False),
        Column(
            "rts_email", "RTS email", ("email rts", "courriel rts", "mail rts"), False
        ),
    ]

    def prepare(self):
        self.subdivisions = _subdivisions()
        self.establishments = {}
        for e in Establishment.objects.all():
            for key in (e.legacy_id, e.finess, e.siret):
                if key:
                    self.establishments.setdefault(key, e)
        self.by_legacy = {
            s.legacy_id: s for s in TrainingSite.objects.exclude(legacy_id="")
        }

    def handle(self, row, line):
        legacy_id = self.required(row, "legacy_id")
        name = self.required(row, "name")
        reference = text(row.get("establishment"))
        establishment = self.establishments.get(reference) or self.establishments.get(
            digits(reference)
        )
        if establishment is None:
            raise Rejected(
                "Établissement",
                f"établissement « {reference} » inconnu (importez d'abord les établissements)",
            )
        subdivision = self.subdivisions.get(fold(row.get("subdivision")))
        if subdivision is None:
            raise Rejected(
                "Subdivision",
                f"subdivision « {text(row.get('subdivision'))} » inconnue",
            )
        if self.region is not None and subdivision.region_id != self.region.pk:
            raise Rejected(
                "Subdivision", "terrain d'une subdivision hors de votre région"
            )
        kind_label = fold(row.get("kind"))
        if kind_label and kind_label not in SITE_KINDS:
            raise Rejected(
                "Type",
                f"type « {text(row.get('kind'))} » inconnu (hospitalier ou ambulatoire)",
            )
        fields = {
            "establishment": establishment,
            "subdivision": subdivision,
            "name": name,
            "department": text(row.get("department")),
            "kind": SITE_KINDS.get(kind_label, TrainingSiteKind.HOSPITAL),
            "legacy_id": legacy_id,
        }
        existing = self.by_legacy.get(legacy_id)
        if existing is None:
            site, status = training_site_create(by=self.by, **fields), Status.CREATED
        elif all(getattr(existing, k) == v for k, v in fields.items()):
            site, status = existing, Status.UNCHANGED
        else:
            site = training_site_update(training_site=existing, by=self.by, **fields)
            status = Status.UPDATED
        self.by_legacy[legacy_id] = site
        notes = []
        if establishment.data_quality == DataQuality.TO_FIX:
            notes.append("établissement « à corriger » : terrain importé, à compléter")
        email = text(row.get("rts_email")).lower()
        if email:
            notes.append(self._supervisor(site, email, row))
        return RowResult(
            line, status, key=legacy_id, reason="; ".join(n for n in notes if n)
        )

    def _supervisor(self, site, email, row) -> str:
        person = person_for_email(email)
        if person is None:
            last, first = (
                text(row.get("rts_last_name")),
                text(row.get("rts_first_name")),
            )
            if not (last and first):
                return f"RTS {email} inconnu et sans nom : non créé"
            person = person_create(
                civility="M", first_name=first, last_name=last, email=email, by=self.by
            )
        if person.functions.filter(
            role=Role.SITE_SUPERVISOR, training_site=site, end_date__isnull=True
        ).exists():
            return ""
        function_grant(
            person=person,
            role=Role.SITE_SUPERVISOR,
            start_date=timezone.localdate(),
            training_site=site,
            by=self.by,
        )
        return f"RTS {email} rattaché"


def _specialties() -> dict[str, Specialty]:
    found = {}
    for specialty in Specialty.objects.all():
        for name in (specialty.code, specialty.label, specialty.national_code):
            if name:
                found[fold(name)] = specialty
    return found


def _phases() -> dict[str, Phase]:
    found = {}
    for phase in Phase.objects.all():
        for name in (phase.code, phase.label, phase.label.replace("Phase ", "")):
            found[fold(name)] = phase
    found[fold("approfondissement")] = found[fold("approfondissement")]
    found[fold("Docteur Junior")] = found.get(fold("consolidation"))
    return found


def _phase_of(phases, value, column) -> Phase:
    folded = fold(value)
    for prefix in ("phase de ", "phase d ", "phase "):
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    phase = phases.get(folded)
    if phase is None:
        raise Rejected(
            column,
            f"phase « {text(value)} » inconnue (socle, approfondissement, consolidation)",
        )
    return phase


DECISIONS = {
    "accorde": AccreditationState.GRANTED,
    "favorable": AccreditationState.GRANTED,
    "agree": AccreditationState.GRANTED,
    "5 ans": AccreditationState.GRANTED,
    "provisoire": AccreditationState.PROVISIONAL,
    "1 an": AccreditationState.PROVISIONAL,
    "refuse": AccreditationState.REFUSED,
    "defavorable": AccreditationState.REFUSED,
}


class AccreditationsImporter(Importer):
    kind, label = "agrements", "Agréments"
    columns = [
        Column("site", "Terrain", ("terrain imotep", "identifiant terrain")),
        Column("specialty", "Spécialité", ("des", "specialite des", "des fst")),
        Column("phases", "Phases", ("phase",)),
        Column("type", "Type", ("type d agrement",), False),
        Column("start", "Début", ("date de debut", "debut agrement")),
        Column("end", "Fin", ("date de fin", "fin agrement")),
        Column("decision", "Décision", ("etat", "avis"), False),
    ]

    def prepare(self):
        self.sites = {
            s.legacy_id: s
            for s in TrainingSite.objects.exclude(legacy_id="").select_related(
                "subdivision", "establishment"
            )
        }
        self.specialties, self.phases = _specialties(), _phases()
        self.existing = {
            (a.training_site_id, a.specialty_id, a.start_date): a
            for a in Accreditation.objects.prefetch_related("phases")
        }
        self.new = []

    def handle(self, row, line):
        site = self.sites.get(self.required(row, "site"))
        if site is None:
            raise Rejected(
                "Terrain",
                f"terrain « {text(row.get('site'))} » inconnu (importez d'abord les terrains)",
            )
        if self.region is not None and site.subdivision.region_id != self.region.pk:
            raise Rejected("Terrain", "terrain hors de votre région")
        specialty = self.specialties.get(fold(self.required(row, "specialty")))
        if specialty is None:
            raise Rejected(
                "Spécialité", f"spécialité « {text(row.get('specialty'))} » inconnue"
            )
        names = [
            p for p in re.split(r"[,;/+]| et ", text(row.get("phases"))) if p.strip()
        ]
        phases = [_phase_of(self.phases, p, "Phases") for p in names]
        try:
            start, end = parse_date(row.get("start")), parse_date(row.get("end"))
        except ValueError as error:
            raise Rejected("Début", str(error))
        if start is None or end is None:
            raise Rejected(
                "Début" if start is None else "Fin", "date obligatoire manquante"
            )
        decision = fold(row.get("decision"))
        state = next(
            (s for word, s in DECISIONS.items() if word in decision),
            AccreditationState.GRANTED,
        )
        if end < timezone.localdate() and state in (
            AccreditationState.GRANTED,
            AccreditationState.PROVISIONAL,
        ):
            state = AccreditationState.EXPIRED
        kind = (
            AccreditationType.COMPLEMENTARY
            if "compl" in fold(row.get("type"))
            else AccreditationType.PRINCIPAL
        )
        key = f"{site.legacy_id} {specialty.code} {start:%d/%m/%Y}"
        existing = self.existing.get((site.pk, specialty.pk, start))
        if existing is not None:
            if existing.pk is None:  # twice in this file
                return RowResult(line, Status.UNCHANGED, key=key)
            same = (
                existing.end_date == end
                and existing.state == state
                and {p.pk for p in existing.phases.all()} == {p.pk for p in phases}
            )
            if same:
                return RowResult(line, Status.UNCHANGED, key=key)
            try:
                accreditation_update(
                    accreditation=existing,
                    phases=phases,
                    end_date=end,
                    state=state,
                    by=self.by,
                )
            except ValidationError as error:
                raise Rejected("Fin", _refusal(error))
            return RowResult(line, Status.UPDATED, key=key)
        if end < start:
            raise Rejected(
                "Fin", f"la fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y})"
            )
        if not phases:
            raise Rejected("Phases", "au moins une phase")
        if specialty.kind == "OPTION":
            raise Rejected(
                "Spécialité",
                "un terrain est agréé pour un DES ou une FST, pas une option",
            )
        accreditation = Accreditation(
            training_site=site,
            specialty=specialty,
            start_date=start,
            end_date=end,
            state=state,
            type=kind,
            decision_reference=text(row.get("decision"))[:100],
        )
        self.new.append((accreditation, phases))
        self.existing[(site.pk, specialty.pk, start)] = accreditation
        clean = site.establishment.data_quality == DataQuality.CLEAN
        note = "" if clean else "terrain sur un établissement « à corriger »"
        return RowResult(line, Status.CREATED, key=key, reason=note)

    def finish(self):
        accreditations_import(items=self.new, by=self.by)


class ResidentsImporter(Importer):
    """Residents with their enrolment and phase; written in bulk at the end."""

    kind, label = "internes", "Internes"
    columns = [
        IMOTEP_ID,
        Column("last_name", "Nom", ("nom d usage", "nom de famille")),
        Column("first_name", "Prénom"),
        Column("birth_date", "Date de naissance", ("naissance", "ne le"), False),
        Column("email", "Email", ("courriel", "mail", "adresse email", "e mail")),
        Column("subdivision", "Subdivision"),
        Column("faculty", "Faculté", ("ufr", "faculte de rattachement"), False),
        Column("cohort", "Promotion", ("annee ecn", "annee de l ecn", "promo")),
        Column("rank", "Rang", ("rang ecn", "classement"), False),
        Column("specialty", "DES", ("specialite",)),
        Column("option", "Option", (), False),
        Column("fst", "FST", (), False),
        Column("phase", "Phase", ("phase en cours",), False),
    ]

    def prepare(self):
        self.subdivisions, self.specialties = _subdivisions(), _specialties()
        self.phases = _phases()
        self.faculties = {fold(f.name): f for f in Faculty.objects.all()}
        self.first_faculty = {}
        for faculty in Faculty.objects.order_by("pk"):
            self.first_faculty.setdefault(faculty.subdivision_id, faculty)
        self.semesters = {(s.season, s.year): s for s in Semester.objects.all()}
        self.imported = set(
            Resident.objects.filter(
                person__legacy_ids__system=LegacySystem.IMOTEP
            ).values_list("person__legacy_ids__value", flat=True)
        )
        self.known = dict(
            Person.objects.filter(legacy_ids__system=LegacySystem.IMOTEP).values_list(
                "legacy_ids__value", "pk"
            )
        )
        self.emails = {
            e.lower() for e in EmailAddress.objects.values_list("email", flat=True)
        }
        self.rows = []

    def handle(self, row, line):
        legacy_id = self.required(row, "legacy_id")
        if legacy_id in self.imported:
            return RowResult(line, Status.UNCHANGED, key=legacy_id)
        subdivision = self.subdivisions.get(fold(self.required(row, "subdivision")))
        if subdivision is None:
            raise Rejected(
                "Subdivision",
                f"subdivision « {text(row.get('subdivision'))} » inconnue",
            )
        if self.region is not None and subdivision.region_id != self.region.pk:
            raise Rejected(
                "Subdivision", "interne d'une subdivision hors de votre région"
            )
        specialty = self.specialties.get(fold(self.required(row, "specialty")))
        if specialty is None or specialty.kind not in ("DES", "CO-DES"):
            raise Rejected("DES", f"DES « {text(row.get('specialty'))} » inconnu")
        extra = None
        for key, kind in (("option", "OPTION"), ("fst", "FST")):
            value = text(row.get(key))
            if value:
                found = self.specialties.get(fold(value))
                if found is None or found.kind != kind:
                    raise Rejected(
                        self.column_label(key), f"{kind.lower()} « {value} » inconnue"
                    )
                if extra is not None:
                    raise Rejected("FST", "une option ou une FST, pas les deux")
                extra = found
        try:
            cohort = parse_int(self.required(row, "cohort"))
        except ValueError as error:
            raise Rejected("Promotion", str(error))
        try:
            rank = parse_int(row.get("rank"))
        except ValueError as error:
            raise Rejected("Rang", str(error))
        try:
            birth = parse_date(row.get("birth_date"))
            validate_birth_date(birth)
        except ValueError as error:
            raise Rejected("Date de naissance", str(error))
        except ValidationError as error:
            raise Rejected("Date de naissance", " ".join(error.messages))
        semester = self.semesters.get(("winter", cohort))
        if semester is None:
            raise Rejected(
                "Promotion", f"aucun semestre d'hiver {cohort} dans le référentiel"
            )
        faculty = self.faculties.get(
            fold(row.get("faculty"))
        ) or self.first_faculty.get(subdivision.pk)
        if faculty is None:
            raise Rejected(
                "Faculté", "faculté inconnue et aucune faculté dans la subdivision"
            )
        phase = (
            _phase_of(self.phases, row.get("phase"), "Phase").code
            if text(row.get("phase"))
            else "socle"
        )
        entry = {
            "faculty": faculty,
            "subdivision": subdivision,
            "cohort": cohort,
            "national_rank": rank,
            "specialty": specialty,
            "option_or_fst": extra,
            "start_semester": semester,
            "phase": phase,
            "person": None,
        }
        if legacy_id in self.known:
            entry["person"] = Person.objects.get(pk=self.known[legacy_id])
        else:
            email = self.required(row, "email").lower()
            if not EMAIL.fullmatch(email):
                raise Rejected("Email", f"adresse « {email} » invalide")
            if email in self.emails:
                raise Rejected(
                    "Email", f"l'adresse {email} appartient déjà à une autre personne"
                )
            self.emails.add(email)
            entry["new_person"] = {
                "civility": "M",
                "first_name": self.required(row, "first_name"),
                "last_name": self.required(row, "last_name"),
                "email": email,
                "birth_date": birth,
                "imotep_id": legacy_id,
            }
        self.imported.add(legacy_id)
        self.rows.append(entry)
        return RowResult(line, Status.CREATED, key=legacy_id)

    def finish(self):
        residents_import(rows=self.rows, by=self.by)


class PlacementsImporter(Importer):
    """Stages: R3C on a clean, accredited site; otherwise archived with the reason."""

    kind, label = "stages", "Stages"
    columns = [
        Column("resident", "Interne", ("identifiant interne", "interne imotep")),
        Column("semester", "Semestre", ("periode",)),
        Column("site", "Terrain", ("terrain imotep", "identifiant terrain")),
        Column("specialty", "Spécialité", ("des", "specialite du stage")),
        Column("phase", "Phase"),
        Column("validated", "Validé", ("validation", "valide")),
        Column("reason", "Motif", ("motif de non validation", "commentaire"), False),
    ]

    def prepare(self):
        self.residents = dict(
            Resident.objects.filter(
                person__legacy_ids__system=LegacySystem.IMOTEP
            ).values_list("person__legacy_ids__value", "pk")
        )
        self.resident_region = dict(
            Resident.objects.values_list("pk", "subdivision__region_id")
        )
        self.sites = {
            s.legacy_id: s
            for s in TrainingSite.objects.exclude(legacy_id="").select_related(
                "establishment"
            )
        }
        self.specialties, self.phases = _specialties(), _phases()
        self.semesters = {(s.season, s.year): s for s in Semester.objects.all()}
        # (site, specialty, phase) → accreditation periods, for the R3C check in memory.
        self.accredited = {}
        periods = Accreditation.objects.filter(
            state__in=["granted", "provisional", "expired"]
        ).values_list(
            "training_site_id", "specialty_id", "phases", "start_date", "end_date"
        )
        for site_id, specialty_id, phase_id, start, end in periods:
            self.accredited.setdefault((site_id, specialty_id, phase_id), []).append(
                (start, end)
            )
        self.existing = {
            (r, s): (pk, validation, site)
            for pk, r, s, validation, site in Placement.objects.values_list(
                "pk", "resident_id", "semester_id", "validation", "training_site_id"
            )
        }
        self.rows = []

    def handle(self, row, line):
        legacy_resident = self.required(row, "resident")
        resident_id = self.residents.get(legacy_resident)
        if resident_id is None:
            raise Rejected(
                "Interne",
                f"interne « {legacy_resident} » inconnu (importez d'abord les internes)",
            )
        if (
            self.region is not None
            and self.resident_region[resident_id] != self.region.pk
        ):
            raise Rejected("Interne", "interne d'une subdivision hors de votre région")
        try:
            season, year = parse_semester(self.required(row, "semester"))
        except ValueError as error:
            raise Rejected("Semestre", str(error))
        semester = self.semesters.get((season, year))
        if semester is None:
            raise Rejected(
                "Semestre", f"semestre {season} {year} absent du référentiel"
            )
        site = self.sites.get(self.required(row, "site"))
        if site is None:
            raise Rejected("Terrain", f"terrain « {text(row.get('site'))} » inconnu")
        specialty = self.specialties.get(fold(self.required(row, "specialty")))
        if specialty is None:
            raise Rejected(
                "Spécialité", f"spécialité « {text(row.get('specialty'))} » inconnue"
            )
        phase = _phase_of(self.phases, self.required(row, "phase"), "Phase")
        raw = text(row.get("validated"))
        try:
            validated = (
                None if fold(raw) in ("", "en attente", "en cours") else parse_bool(raw)
            )
        except ValueError as error:
            raise Rejected("Validé", str(error))
        reason = text(row.get("reason"))
        if validated is False and not reason:
            raise Rejected("Motif", "un stage non validé exige son motif")
        validation = {None: "pending", True: "validated", False: "not_validated"}[
            validated
        ]
        key = f"{legacy_resident} {semester}"
        known = self.existing.get((resident_id, semester.pk))
        if known is not None:
            same = known[1] == validation and known[2] == site.pk
            return RowResult(
                line,
                Status.UNCHANGED if same else Status.REJECTED,
                key=key,
                column="" if same else "Semestre",
                reason="" if same else "un autre stage existe déjà ce semestre",
            )
        archive = []
        if site.establishment.data_quality != DataQuality.CLEAN:
            archive.append("établissement « à corriger » (ni FINESS ni SIRET valide)")
        periods = self.accredited.get((site.pk, specialty.pk, phase.pk), [])
        if not any(start <= semester.start_date <= end for start, end in periods):
            archive.append(
                f"terrain non agréé pour {specialty.label} en {phase.label} au début du semestre"
            )
        mode = PlacementMode.ARCHIVE if archive else PlacementMode.R3C
        self.existing[(resident_id, semester.pk)] = (None, validation, site.pk)
        self.rows.append(
            {
                "resident_id": resident_id,
                "semester": semester,
                "training_site": site,
                "specialty": specialty,
                "phase": phase,
                "validation": validation,
                "validation_reasons": reason if validated is False else "",
                "mode": mode,
                "archive_reason": "; ".join(archive)[:300],
            }
        )
        if archive:
            return RowResult(line, Status.ARCHIVED, key=key, reason="; ".join(archive))
        return RowResult(line, Status.CREATED, key=key)

    def finish(self):
        placements_import(rows=self.rows, by=self.by)


ROLES = {
    "rts": Role.SITE_SUPERVISOR,
    "responsable": Role.SITE_SUPERVISOR,
    "responsable de terrain de stage": Role.SITE_SUPERVISOR,
    "msu": Role.PRACTITIONER,
    "maitre de stage": Role.PRACTITIONER,
    "maitre de stage universitaire": Role.PRACTITIONER,
    "assistant": Role.SITE_ASSISTANT,
    "assistante": Role.SITE_ASSISTANT,
}


class PersonsImporter(Importer):
    """Supervisors known to other sources (SIDES NG, the matching tool): a sure match is
    linked; a doubtful one is proposed for review in the cockpit, never applied."""

    kind, label = "personnes", "Personnes (SIDES NG, appariement)"
    columns = [
        Column("last_name", "Nom"),
        Column("first_name", "Prénom"),
        Column("email", "Email", ("courriel", "mail", "adresse email"), False),
        Column(
            "sides_id",
            "Identifiant SIDES",
            ("id sides", "sides ng", "identifiant sides ng"),
            False,
        ),
        Column("site", "Terrain", ("terrain imotep", "identifiant terrain"), False),
        Column("role", "Fonction", ("role",), False),
    ]

    def prepare(self):
        self.sites = {
            s.legacy_id: s
            for s in TrainingSite.objects.exclude(legacy_id="").select_related(
                "subdivision"
            )
        }
        self.by_name: dict[str, list[int]] = {}
        for pk, last, first in Person.objects.values_list(
            "pk", "last_name", "first_name"
        ):
            self.by_name.setdefault(f"{fold(last)}|{fold(first)}", []).append(pk)

    def handle(self, row, line):
        last, first = self.required(row, "last_name"), self.required(row, "first_name")
        email = text(row.get("email")).lower()
        sides_id = text(row.get("sides_id"))
        site = None
        if text(row.get("site")):
            site = self.sites.get(text(row.get("site")))
            if site is None:
                raise Rejected(
                    "Terrain", f"terrain « {text(row.get('site'))} » inconnu"
                )
            if self.region is not None and site.subdivision.region_id != self.region.pk:
                raise Rejected("Terrain", "terrain hors de votre région")
        role_label = fold(row.get("role"))
        role = (
            ROLES.get(role_label)
            if role_label
            else (Role.SITE_SUPERVISOR if site else "")
        )
        if role is None:
            raise Rejected(
                "Fonction",
                f"fonction « {text(row.get('role'))} » inconnue (RTS, MSU, assistant)",
            )
        key = email or sides_id or f"{first} {last}"
        by_email = person_for_email(email) if email else None
        by_sides = (
            persons_for_legacy_id(LegacySystem.SIDES_NG, sides_id).first()
            if sides_id
            else None
        )
        sure = {p.pk: p for p in (by_email, by_sides) if p is not None}
        if len(sure) == 1:
            person = next(iter(sure.values()))
            changed = self._link(person, sides_id, site, role)
            return RowResult(
                line, Status.UPDATED if changed else Status.UNCHANGED, key=key
            )
        if len(sure) > 1:
            return self._propose(
                row,
                line,
                key,
                list(sure),
                "l'e-mail et l'identifiant SIDES désignent deux personnes différentes",
                site,
                role,
            )
        namesakes = self.by_name.get(f"{fold(last)}|{fold(first)}", [])
        if namesakes:
            return self._propose(
                row,
                line,
                key,
                namesakes,
                f"{len(namesakes)} personne(s) du même nom, sans e-mail ni identifiant commun",
                site,
                role,
            )
        if not email:
            raise Rejected(
                "Email",
                "aucune personne ne correspond et sans e-mail elle ne peut être créée",
            )
        person = person_create(
            civility="M", first_name=first, last_name=last, email=email, by=self.by
        )
        self.by_name.setdefault(f"{fold(last)}|{fold(first)}", []).append(person.pk)
        self._link(person, sides_id, site, role)
        return RowResult(line, Status.CREATED, key=key)

    def _link(self, person, sides_id, site, role) -> bool:
        try:
            return person_attach(
                person=person, sides_id=sides_id, site=site, role=role, by=self.by
            )
        except ValidationError as error:
            raise Rejected("Identifiant SIDES", _refusal(error))
        except PermissionDenied as error:  # a person outside the importer's perimeter
            raise Rejected("Identifiant SIDES", str(error))

    def _propose(self, row, line, key, candidate_ids, reason, site, role):
        proposal = PersonProposal.objects.create(
            run=self.run,
            line=line,
            last_name=text(row.get("last_name")),
            first_name=text(row.get("first_name")),
            email=text(row.get("email")).lower(),
            sides_id=text(row.get("sides_id")),
            training_site=site,
            role=role or "",
            region=site.subdivision.region if site else self.region,
            reason=reason,
        )
        proposal.candidates.set(candidate_ids)
        return RowResult(line, Status.TO_REVIEW, key=key, reason=reason)


# The semester cycle (issue 20): the ARS's spreadsheets of a coming semester ----------

RESIDENT_ID = Column(
    "resident",
    "Interne",
    (
        "identifiant interne",
        "interne imotep",
        "identifiant imotep",
        "id imotep",
        "code imotep",
    ),
    False,
)
# The situations an ARS writes, folded and without spaces ("interCHU sortant",
# "Inter-CHU sortante", "inter chu sortant" are one), besides ActivityKind's own
# labels and values.
SITUATIONS = {
    "choisit": ActivityKind.CHOOSES,
    "choix": ActivityKind.CHOOSES,
    "choisitenamphi": ActivityKind.CHOOSES,
    "amphi": ActivityKind.CHOOSES,
    "standard": ActivityKind.CHOOSES,
    "dispo": ActivityKind.LEAVE,
    "disponibilite": ActivityKind.LEAVE,
    "endisponibilite": ActivityKind.LEAVE,
    "surnombrevalidant": ActivityKind.SUPERNUMERARY_VALIDATING,
    "surnombrevalidante": ActivityKind.SUPERNUMERARY_VALIDATING,
    "sv": ActivityKind.SUPERNUMERARY_VALIDATING,
    "surnombrenonvalidant": ActivityKind.SUPERNUMERARY_NON_VALIDATING,
    "surnombrenonvalidante": ActivityKind.SUPERNUMERARY_NON_VALIDATING,
    "snv": ActivityKind.SUPERNUMERARY_NON_VALIDATING,
    "interchusortant": ActivityKind.INTER_CHU_OUT,
    "interchusortante": ActivityKind.INTER_CHU_OUT,
    "interchuentrant": ActivityKind.INTER_CHU_IN,
    "interchuentrante": ActivityKind.INTER_CHU_IN,
    "recherche": ActivityKind.RESEARCH_YEAR,
    "anneerecherche": ActivityKind.RESEARCH_YEAR,
    "anneederecherche": ActivityKind.RESEARCH_YEAR,
    "horschoix": ActivityKind.OUT_OF_CHOICE,
    "dj": ActivityKind.JUNIOR_DOCTOR,
    "docteurjunior": ActivityKind.JUNIOR_DOCTOR,
    "findecursus": ActivityKind.END_OF_TRAINING,
    "findeformation": ActivityKind.END_OF_TRAINING,
    "findinternat": ActivityKind.END_OF_TRAINING,
    "remords": ActivityKind.SPECIALTY_CHANGE,
    "remord": ActivityKind.SPECIALTY_CHANGE,
    "droitauremords": ActivityKind.SPECIALTY_CHANGE,
    "changementdedes": ActivityKind.SPECIALTY_CHANGE,
}
# A situation in which the resident takes part in the choice: her DES and phase say
# in which call list and which needs she counts.
CHOOSING_KINDS = frozenset(activity.CHOOSING)


def _squashed(value) -> str:
    return fold(value).replace(" ", "")


def _situations() -> dict[str, str]:
    found = dict(SITUATIONS)
    for value, label in ActivityKind.choices:
        found[_squashed(value)] = value
        found[_squashed(label)] = value
    return found


def _situation_of(situations, value) -> str:
    squashed = _squashed(value)
    if squashed in situations:
        return situations[squashed]
    if squashed == "surnombre":
        raise Rejected(
            "Situation",
            "« surnombre » seul ne suffit pas : précisez « surnombre validant » ou "
            "« surnombre non validant »",
        )
    raise Rejected(
        "Situation",
        f"situation « {text(value)} » inconnue (attendu : "
        + ", ".join(str(label).lower() for label in ActivityKind.labels)
        + ")",
    )


def _semester_of(semesters, value) -> Semester:
    try:
        season, year = parse_semester(value)
    except ValueError as error:
        raise Rejected("Semestre", str(error))
    semester = semesters.get((season, year))
    if semester is None:
        raise Rejected("Semestre", f"semestre {season} {year} absent du référentiel")
    return semester


def _des_of(specialties, value, column) -> Specialty:
    specialty = specialties.get(fold(value))
    if specialty is None or specialty.kind not in (
        SpecialtyKind.DES,
        SpecialtyKind.CO_DES,
    ):
        raise Rejected(column, f"DES « {text(value)} » inconnu")
    return specialty


class ActivityImporter(Importer):
    """Activité semestrielle: the ARS's sheet of where each resident will be next
    semester. Lines are declared (the registry still validates them); a validated
    line is never overwritten. All or nothing."""

    kind, label = "activite", "Activité semestrielle"
    all_or_nothing = True
    columns = [
        RESIDENT_ID,
        Column("last_name", "Nom", ("nom d usage", "nom de famille"), False),
        Column("first_name", "Prénom", (), False),
        Column("birth_date", "Date de naissance", ("naissance", "ne le"), False),
        Column("semester", "Semestre", ("periode", "semestre a venir")),
        Column("subdivision", "Subdivision", ("subdivision d accueil",)),
        Column(
            "kind",
            "Situation",
            (
                "activite",
                "situation au semestre",
                "situation prevue",
                "statut",
                "position",
            ),
        ),
        Column("specialty", "DES", ("specialite", "des suivi"), False),
        Column("phase", "Phase", ("phase en cours", "phase au semestre"), False),
        Column("reason", "Motif", ("commentaire", "raison", "observations"), False),
    ]

    def prepare(self):
        self.subdivisions, self.specialties = _subdivisions(), _specialties()
        self.phases, self.situations = _phases(), _situations()
        self.semesters = {(s.season, s.year): s for s in Semester.objects.all()}
        residents = Resident.objects.select_related("person", "subdivision")
        self.by_legacy = {
            identifier.value: identifier.person_id
            for identifier in LegacyIdentifier.objects.filter(
                system=LegacySystem.IMOTEP
            )
        }
        self.residents = {r.person_id: r for r in residents}
        self.by_name: dict[tuple, list] = {}
        for resident in self.residents.values():
            person = resident.person
            key = (fold(person.last_name), fold(person.first_name), person.birth_date)
            self.by_name.setdefault(key, []).append(resident)
        lines = ActivityLine.objects.select_related("subdivision__region")
        if self.subdivision is not None:
            lines = lines.filter(subdivision=self.subdivision)
        elif self.region is not None:
            lines = lines.filter(subdivision__region=self.region)
        self.existing = {
            (line.semester_id, line.subdivision_id, line.resident_id): line
            for line in lines
        }
        self.enrolled: dict[int, set[int]] = {}
        for resident_id, specialty_id in Enrolment.objects.filter(
            state=EnrolmentState.ACTIVE
        ).values_list("resident_id", "specialty_id"):
            self.enrolled.setdefault(resident_id, set()).add(specialty_id)
        self.seen: dict[tuple, int] = {}
        self.new, self.changed = [], []

    def _resident(self, row) -> tuple[Resident, str]:
        legacy_id = text(row.get("resident"))
        if legacy_id:
            resident = self.residents.get(self.by_legacy.get(legacy_id))
            if resident is None:
                raise Rejected(
                    "Interne",
                    f"interne « {legacy_id} » inconnu (importez d'abord les internes)",
                )
            return resident, legacy_id
        last, first = text(row.get("last_name")), text(row.get("first_name"))
        try:
            birth = parse_date(row.get("birth_date"))
        except ValueError as error:
            raise Rejected("Date de naissance", str(error))
        if not (last and first and birth):
            raise Rejected(
                "Interne",
                "interne non identifié : indiquez son identifiant IMOTEP, ou ses nom, "
                "prénom et date de naissance",
            )
        found = self.by_name.get((fold(last), fold(first), birth), [])
        name = f"{first} {last.upper()} (né(e) le {birth:%d/%m/%Y})"
        if not found:
            raise Rejected("Nom", f"aucune interne {name} dans SIIMOP")
        if len(found) > 1:
            raise Rejected(
                "Nom",
                f"{len(found)} internes {name} : indiquez l'identifiant IMOTEP",
            )
        return found[0], f"{first} {last.upper()}"

    def handle(self, row, line):
        resident, key = self._resident(row)
        semester = _semester_of(self.semesters, self.required(row, "semester"))
        subdivision = self.subdivisions.get(fold(self.required(row, "subdivision")))
        if subdivision is None:
            raise Rejected(
                "Subdivision",
                f"subdivision « {text(row.get('subdivision'))} » inconnue",
            )
        outside = (
            self.region is not None and subdivision.region_id != self.region.pk
        ) or (self.subdivision is not None and subdivision.pk != self.subdivision.pk)
        if outside or not may_import(
            self.by, self.kind, [subdivision, subdivision.region]
        ):
            raise Rejected(
                "Subdivision",
                f"subdivision {subdivision.name} hors de votre périmètre",
            )
        kind = _situation_of(self.situations, self.required(row, "kind"))
        home = resident.subdivision
        if kind == ActivityKind.INTER_CHU_IN and home.pk == subdivision.pk:
            raise Rejected(
                "Situation",
                f"interne de {home.name} : un interCHU entrant vient d'une autre "
                "subdivision",
            )
        if kind != ActivityKind.INTER_CHU_IN and home.pk != subdivision.pk:
            raise Rejected(
                "Subdivision",
                f"interne de la subdivision {home.name}, hors de {subdivision.name} : "
                "seule une situation « interCHU entrant » l'y inscrit",
            )
        specialty = phase = None
        if text(row.get("specialty")):
            specialty = _des_of(self.specialties, row.get("specialty"), "DES")
        if text(row.get("phase")):
            phase = _phase_of(self.phases, row.get("phase"), "Phase")
        if kind in CHOOSING_KINDS and (specialty is None or phase is None):
            raise Rejected(
                "DES" if specialty is None else "Phase",
                f"obligatoire pour une situation « {ActivityKind(kind).label} » "
                "(elle dit dans quelle liste d'appel elle choisit)",
            )
        note = ""
        if (
            specialty is not None
            and kind != ActivityKind.SPECIALTY_CHANGE
            and specialty.pk not in self.enrolled.get(resident.pk, {specialty.pk})
        ):
            note = f"{specialty.code} n'est pas le DES de son inscription en cours"
        reason = text(row.get("reason"))[:255] or "Importée du tableur de l'ARS."
        key = f"{key} {semester}"
        identity = (semester.pk, subdivision.pk, resident.pk)
        if identity in self.seen:
            raise Rejected(
                "Interne",
                f"deuxième ligne pour cette interne en {semester} "
                f"(déjà ligne {self.seen[identity]})",
            )
        self.seen[identity] = line
        fields = {
            "kind": kind,
            "specialty_id": specialty.pk if specialty else None,
            "phase_id": phase.pk if phase else None,
        }
        existing = self.existing.get(identity)
        if existing is not None:
            same = all(getattr(existing, k) == v for k, v in fields.items())
            if existing.status == ActivityStatus.VALIDATED:
                if same:
                    return RowResult(line, Status.UNCHANGED, key=key)
                when = (
                    f" le {timezone.localtime(existing.validated_at):%d/%m/%Y}"
                    if existing.validated_at
                    else ""
                )
                raise Rejected(
                    "Situation",
                    f"ligne déjà validée par la scolarité{when} "
                    f"(« {existing.get_kind_display()} ») : elle n'est pas modifiée "
                    "par un import ; demandez à la scolarité de la corriger",
                )
            if same and existing.reason == reason:
                return RowResult(line, Status.UNCHANGED, key=key)
            self.changed.append(existing)
            status = Status.UPDATED
        else:
            existing = ActivityLine(
                semester=semester, subdivision=subdivision, resident=resident
            )
            self.new.append(existing)
            status = Status.CREATED
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.reason = reason
        existing.source = ActivitySource.IMPORT
        existing.status = ActivityStatus.DECLARED
        return RowResult(line, status, key=key, reason=note)

    def finish(self):
        activity_lines_import(new=self.new, changed=self.changed, by=self.by)


# Where a refusal of the referential's post services points in the file.
POST_FIELD_COLUMNS = {
    "seats": "Nombre de postes",
    "shared_specialties": "Mixte",
    "coupled_with": "Couplé avec",
    "cesp_reserved": "Réservé CESP",
    "specialty": "DES",
}
# Posts reserved for CESP signatories: read only once the post model keeps it.
POST_HAS_CESP = any(f.name == "cesp_reserved" for f in Post._meta.get_fields())


def _post_column(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(
            (
                POST_FIELD_COLUMNS[f]
                for f in error.error_dict
                if f in POST_FIELD_COLUMNS
            ),
            "Terrain",
        )
    return "Semestre"  # a semester whose opening is frozen


@dataclass
class _SiteReads:
    accreditations: list[Accreditation]  # in force at the semester's start
    dossier_maxima: dict[int, int]  # accreditation id → its decided dossier's maximum
    posts: dict[tuple[int, int], Post]  # (DES id, phase id) → post open before the run


class PostsImporter(Importer):
    """Ouverture des postes: a semester's posts per site, DES and phase, on sites
    accredited at the semester's start, within the accreditation's maximum; an
    existing post gets its seats (and its coupling and DES when the file says them).
    All or nothing."""

    kind, label = "postes", "Ouverture des postes"
    all_or_nothing = True
    columns = [
        Column("semester", "Semestre", ("periode",)),
        Column(
            "site",
            "Terrain",
            ("terrain imotep", "identifiant terrain", "identifiant imotep"),
        ),
        Column("specialty", "DES", ("specialite", "specialite du poste")),
        Column("phase", "Phase"),
        Column(
            "seats",
            "Nombre de postes",
            ("postes", "nombre de places", "places", "nb postes", "nb de postes"),
        ),
        Column(
            "coupled",
            "Couplé avec",
            ("couple", "poste couple", "terrain couple", "couple avec le terrain"),
            False,
        ),
        Column(
            "mixed",
            "Mixte",
            ("mixte avec", "poste mixte", "des mixtes", "partage avec"),
            False,
        ),
        *(
            [
                Column(
                    "cesp",
                    "Réservé CESP",
                    ("cesp", "reserve cesp", "reserve au cesp", "poste cesp"),
                    False,
                )
            ]
            if POST_HAS_CESP
            else []
        ),
    ]

    def prepare(self):
        self.specialties, self.phases = _specialties(), _phases()
        self.semesters = {(s.season, s.year): s for s in Semester.objects.all()}
        self.sites = {
            s.legacy_id: s
            for s in TrainingSite.objects.exclude(legacy_id="").select_related(
                "subdivision__region", "establishment__parent"
            )
        }
        self.seen: dict[tuple, int] = {}
        self.couplings = []  # (result, post, other site), resolved once all are open
        self.read: dict[tuple[int, int], _SiteReads] = {}

    def _site_reads(self, site, semester) -> _SiteReads:
        """What the rows of a site need for a semester, read once for the run (a file
        lists a site's posts DES by DES and phase by phase), not once per row."""
        key = (semester.pk, site.pk)
        if key not in self.read:
            accreditations = list(
                Accreditation.objects.filter(
                    training_site=site,
                    state__in=ACTIVE_ACCREDITATION_STATES,
                    start_date__lte=semester.start_date,
                    end_date__gte=semester.start_date,
                )
                .select_related("training_site", "specialty")
                .prefetch_related("phases")
                .order_by("-start_date")
            )
            self.read[key] = _SiteReads(
                accreditations=accreditations,
                dossier_maxima=dict(
                    AccreditationRequest.objects.filter(
                        accreditation__in=accreditations, max_residents__isnull=False
                    ).values_list("accreditation_id", "max_residents")
                ),
                posts={
                    (post.specialty_id, post.phase_id): post
                    for post in Post.objects.filter(
                        semester=semester, training_site=site
                    ).prefetch_related("shared_specialties")
                },
            )
        return self.read[key]

    def _in_force(self, site, specialty, phase, semester) -> list[Accreditation]:
        """Newest first."""
        return [
            accreditation
            for accreditation in self._site_reads(site, semester).accreditations
            if accreditation.specialty_id == specialty.pk
            and any(p.pk == phase.pk for p in accreditation.phases.all())
        ]

    def _site(self, value, column) -> TrainingSite:
        site = self.sites.get(text(value))
        if site is None:
            raise Rejected(
                column,
                f"terrain « {text(value)} » inconnu (importez d'abord les terrains)",
            )
        outside = (
            self.region is not None and site.subdivision.region_id != self.region.pk
        ) or (
            self.subdivision is not None and site.subdivision_id != self.subdivision.pk
        )
        if outside or not may_import(
            self.by, self.kind, [site.subdivision, site.subdivision.region]
        ):
            raise Rejected(column, f"terrain « {text(value)} » hors de votre périmètre")
        return site

    def handle(self, row, line):
        semester = _semester_of(self.semesters, self.required(row, "semester"))
        site = self._site(self.required(row, "site"), "Terrain")
        specialty = _des_of(self.specialties, self.required(row, "specialty"), "DES")
        phase = _phase_of(self.phases, self.required(row, "phase"), "Phase")
        try:
            seats = parse_int(self.required(row, "seats"))
        except ValueError as error:
            raise Rejected("Nombre de postes", str(error))
        if seats is None or seats < 1:
            raise Rejected("Nombre de postes", "au moins un poste")
        key = f"{site.legacy_id} {specialty.code} {phase.code} {semester}"
        identity = (semester.pk, site.pk, specialty.pk, phase.pk)
        if identity in self.seen:
            raise Rejected(
                "Terrain", f"ce poste figure déjà ligne {self.seen[identity]}"
            )
        self.seen[identity] = line
        in_force = self._in_force(site, specialty, phase, semester)
        if not in_force:
            raise Rejected(
                "Terrain",
                f"le terrain « {site.legacy_id} » ({site}) n'a pas d'agrément en cours "
                f"pour {specialty.code} en {phase.label.lower()} au début du semestre "
                f"{semester} ({semester.start_date:%d/%m/%Y})",
            )
        self._check_maximum(
            seats, in_force, identity, self._site_reads(site, semester).dossier_maxima
        )
        shared = None
        if "mixed" in row:  # the column is there: the file says the post's DES
            shared = []
            for name in re.split(r"[,;/+]| et ", text(row.get("mixed"))):
                if not name.strip() or fold(name) in ("non", "n", "0"):
                    continue
                other = _des_of(self.specialties, name, "Mixte")
                if other == specialty:
                    continue
                if not self._in_force(site, other, phase, semester):
                    raise Rejected(
                        "Mixte",
                        f"poste mixte refusé : le terrain « {site.legacy_id} » n'a pas "
                        f"d'agrément en cours pour {other.code} en "
                        f"{phase.label.lower()} au début du semestre {semester}",
                    )
                shared.append(other)
        extra = {}
        if "cesp" in row:  # the column is there: the file says the reservation
            try:
                extra["cesp_reserved"] = parse_bool(row.get("cesp"))
            except ValueError as error:
                raise Rejected("Réservé CESP", str(error))
        other_site = None
        if text(row.get("coupled")):
            other_site = self._site(row.get("coupled"), "Couplé avec")
            if other_site == site:
                raise Rejected(
                    "Couplé avec",
                    "un poste ne peut être couplé avec son propre terrain",
                )
        # Each identity comes once in a file (checked above): the posts read before
        # this row are still the ones it may update.
        existing = self._site_reads(site, semester).posts.get((specialty.pk, phase.pk))
        try:
            if existing is None:
                post = post_open(
                    semester=semester,
                    training_site=site,
                    specialty=specialty,
                    phase=phase,
                    seats=seats,
                    shared_specialties=shared or (),
                    by=self.by,
                    **extra,
                )
                status = Status.CREATED
            else:
                same = (
                    existing.seats == seats
                    and (
                        shared is None
                        or {s.pk for s in existing.shared_specialties.all()}
                        == {s.pk for s in shared}
                    )
                    and all(getattr(existing, k) == v for k, v in extra.items())
                )
                if "coupled" in row and other_site is None and existing.coupled_with_id:
                    same = False  # the file uncouples it
                if same:
                    post, status = existing, Status.UNCHANGED
                else:
                    post = post_update(
                        post=existing,
                        seats=seats,
                        shared_specialties=shared,
                        coupled_with=None
                        if "coupled" in row and other_site is None
                        else existing.coupled_with,
                        by=self.by,
                        **extra,
                    )
                    status = Status.UPDATED
        except ValidationError as error:
            raise Rejected(_post_column(error), _refusal(error))
        except PermissionDenied as error:
            raise Rejected("Terrain", str(error))
        result = RowResult(line, status, key=key)
        if other_site is not None:
            self.couplings.append((result, post, other_site))
        return result

    def _check_maximum(self, seats, in_force, identity, dossiers) -> None:
        """The seats opened on the site for the DES that semester (every phase) stay
        within the maximum number of residents of the newest accreditation in force
        that sets one: its own (when the referential keeps it) or its decided
        dossier's (`dossiers`: accreditation id → maximum)."""
        found = None
        for accreditation in in_force:  # newest first
            maximum = getattr(accreditation, "max_residents", None)
            if maximum is None:
                maximum = dossiers.get(accreditation.pk)
            if maximum is not None:
                found = accreditation, maximum
                break
        if found is None:
            return
        accreditation, maximum = found
        semester_id, site_id, specialty_id, phase_id = identity
        others = (
            Post.objects.filter(
                semester_id=semester_id,
                training_site_id=site_id,
                specialty_id=specialty_id,
            )
            .exclude(phase_id=phase_id)
            .aggregate(n=Sum("seats"))["n"]
            or 0
        )
        if seats + others <= maximum:
            return
        named = (
            f"du maximum de {maximum} interne{'s' if maximum > 1 else ''} de "
            f"l'agrément de {accreditation.training_site} en "
            f"{accreditation.specialty.code} ({accreditation.start_date:%d/%m/%Y} – "
            f"{accreditation.end_date:%d/%m/%Y})"
        )
        plural = "s" if seats > 1 else ""
        if others:
            opened = (
                "du poste déjà ouvert"
                if others == 1
                else f"des {others} postes déjà ouverts"
            )
            raise Rejected(
                "Nombre de postes",
                f"{seats} poste{plural} en plus {opened} sur ce terrain en "
                f"{accreditation.specialty.code} ce semestre : au-delà " + named,
            )
        raise Rejected("Nombre de postes", f"{seats} poste{plural} au-delà " + named)

    def finish(self):
        for result, post, other_site in self.couplings:
            other = Post.objects.filter(
                semester=post.semester,
                training_site=other_site,
                specialty=post.specialty,
                phase=post.phase,
            ).first()
            if other is None:
                result.status, result.column = Status.REJECTED, "Couplé avec"
                result.reason = (
                    f"aucun poste en {post.specialty.code} {post.phase.label.lower()} "
                    f"sur le terrain « {other_site.legacy_id} » en {post.semester} : "
                    "ouvrez-le dans le même fichier"
                )
                continue
            if post.coupled_with_id == other.pk:
                continue
            taken = Post.objects.filter(coupled_with=other).exclude(pk=post.pk).first()
            if taken is not None:
                result.status, result.column = Status.REJECTED, "Couplé avec"
                result.reason = (
                    f"le poste de « {other_site.legacy_id} » est déjà couplé avec "
                    f"celui de « {taken.training_site.legacy_id} »"
                )
                continue
            try:
                post_update(post=post, coupled_with=other, by=self.by)
            except ValidationError as error:
                result.status, result.column = Status.REJECTED, "Couplé avec"
                result.reason = _refusal(error)
                continue
            if result.status == Status.UNCHANGED:
                result.status = Status.UPDATED


IMPORTERS = {
    importer.kind: importer
    for importer in (
        EstablishmentsImporter,
        SitesImporter,
        AccreditationsImporter,
        ResidentsImporter,
        PlacementsImporter,
        PersonsImporter,
        ActivityImporter,
        PostsImporter,
    )
}
