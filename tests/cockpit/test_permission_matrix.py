"""Every cockpit URL × five people: the perimeter holds everywhere.

Built from the URL configuration: a new cockpit URL is covered without touching this file
(an unknown URL parameter makes the test fail, asking to extend `_kwargs`).

- anonymous: sent to the sign-in page;
- a resident, the RTS of a site in Rennes, the ARS agent of Brittany: 403 or 404 on any
  URL that names a record of Lyon; on lists and exports, the record is absent;
- the ARS agent of Auvergne-Rhône-Alpes (the rightful user): succeeds; a redirect that
  carries an error message counts as a refusal.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from helpdesk.models import FollowUpAttachment
from openpyxl import load_workbook

from assistance.models import Period
from assistance.services import request_file, teams_setup
from domains.accreditation.models import (
    AccreditationRequest,
    Attachment,
    CampaignMailing,
)
from domains.choices.models import (
    ActivityLine,
    CallList,
    CallListContest,
    CallListEntry,
    ChoiceSession,
    InterChuHosting,
    OpeningRule,
    PostOpening,
    PreChoice,
)
from domains.choices.services import choice_group_save
from domains.cockpit.models import SavedFilter
from domains.cockpit.registry import registry
from domains.identity.models import AccountRequest, ReconciliationCase
from domains.matching.models import Audience, MatchingRun, MatchResult, RunStatus
from domains.matching.selectors import round_instance
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import email_add, function_grant
from domains.residents.models import (
    LastAdmittedRank,
    ReplacementThreshold,
    SituationKind,
    SpecialSituation,
)
from domains.residents.services import phase_change_many
from imports.models import ImportRun, PersonProposal
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.accreditation import bare_campaign
from tests.factories.matching import complete_file, matching_world
from tests.factories.people import make_person, make_user_with_role
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    TrainingSiteFactory,
    current_semester,
    region,
    specialty,
    subdivision,
)
from tests.factories.residents import accredited_site, add_placement, make_resident

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOGIN = "/compte/connexion/"
PUBLIC = {"email_verify"}  # the link sent by e-mail: signed, works signed out


def cockpit_urls() -> list[tuple[str, str]]:
    """(name, route) of every cockpit URL, read from the URL configuration."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((pattern.name, prefix + str(pattern.pattern)))

    cockpit = get_resolver().namespace_dict["cockpit"][1]
    walk(cockpit.url_patterns)
    return sorted(found)


URLS = [u for u in cockpit_urls() if u[0] not in PUBLIC]


@pytest.fixture
def world():
    lyon_establishment = EstablishmentFactory(
        name="Hôpital Lyonnais Témoin", region=region("84")
    )
    site = TrainingSiteFactory(
        name="Réanimation Témoin Lyon",
        establishment=lyon_establishment,
        subdivision=subdivision("LYON"),
    )
    accreditation = AccreditationFactory(
        training_site=site, decision_reference="DECISION-TEMOIN"
    )
    post = PostFactory(
        training_site=site,
        specialty=accreditation.specialty,
        semester=current_semester(),
    )
    supervisor = make_person(first_name="Témoin", last_name="Superviseur")
    site_function = function_grant(
        person=supervisor,
        role=Role.SITE_SUPERVISOR,
        start_date=date(2024, 1, 1),
        training_site=site,
        by=SYSTEM,
    )
    rennes_site = TrainingSiteFactory(
        name="Site de Rennes",
        establishment=EstablishmentFactory(name="CHU Rennes", region=region("53")),
        subdivision=subdivision("RENNES"),
    )
    rightful = make_user_with_role(Role.ARS, region=region("84"))
    duplicate_a = make_person(email="temoin.double@univ-lyon1.fr")
    duplicate_b = make_person(email="t.double@chu-lyon.fr", imotep_id="IMO-TEMOIN")
    case = ReconciliationCase.objects.create(
        issuer="https://idp.univ-lyon1.fr/idp/shibboleth",
        subject="rapprochement-temoin@univ-lyon1.fr",
    )
    case.candidates.add(duplicate_a, duplicate_b)
    resident = make_resident(last_name="TEMOINTERNE")
    placement = add_placement(resident, "winter", 2023, site=accredited_site())
    situation = SpecialSituation.objects.create(
        resident=resident,
        kind="supernumerary_v",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 10, 31),
    )
    faculty_registry = make_user_with_role(
        Role.FACULTY_REGISTRY, subdivision=subdivision("LYON")
    )
    import_run = ImportRun(
        kind="etablissements",
        region=region("84"),
        filename="reprise-temoin.csv",
        sha256="0" * 64,
        status=ImportRun.Status.CHECKED,
        by=rightful,
    )
    import_run.file.save("reprise-temoin.csv", ContentFile(b"a;b\n"), save=False)
    import_run.save()
    proposal = PersonProposal.objects.create(
        line=2,
        last_name="PROPOSITEMOIN",
        first_name="Paul",
        region=region("84"),
        reason="même nom",
    )
    proposal.candidates.add(supervisor)
    operation = phase_change_many(
        residents=[resident],
        jury_date=date(2024, 10, 1),
        decision="extended",
        by=faculty_registry,
    )
    secondary = email_add(
        person=rightful.person, email="secondaire@ars-ara.fr", by=SYSTEM
    )
    matching = matching_world(residents=1, sites=1)
    candidacy = matching.round.candidacies.get()
    complete_file(matching, candidacy)
    MatchingRun.objects.create(
        round=matching.round,
        seed=0,
        instance=round_instance(matching.round, 0),
        input_hash="0" * 64,
        status=RunStatus.DONE,
        output={"assignments": {}, "unassigned": []},
    )
    MatchResult.objects.create(round=matching.round, candidacy=candidacy, offer=None)
    accreditation_campaign = bare_campaign(name="Agréments Témoin 2026")
    accreditation_request = AccreditationRequest.objects.create(
        campaign=accreditation_campaign,
        training_site=site,
        specialty=accreditation.specialty,
        status="submitted",
        supervisor=supervisor,
    )
    CampaignMailing.objects.create(
        campaign=accreditation_campaign, subject="Dépôts ouverts", body="Bonjour."
    )
    Attachment.objects.create(
        request=accreditation_request,
        kind="dossier",
        title="Projet pédagogique",
        file=ContentFile(b"%PDF-1.4\n", name="projet.pdf"),
    )
    teams_setup()
    ticket = request_file(
        title="Demande Témoin d'assistance",
        description="Rien ne s'affiche.",
        category="parcours",
        email="temoin@etu.exemple.fr",
        subdivision=subdivision("LYON"),
        attachments=[SimpleUploadedFile("capture.png", b"\x89PNG\r\n", "image/png")],
    )
    users = {
        "resident": make_user_with_role(Role.RESIDENT),
        "rts_other": make_user_with_role(
            Role.SITE_SUPERVISOR, training_site=rennes_site
        ),
        "ars_other": make_user_with_role(Role.ARS, region=region("53")),
        "rightful": rightful,
        # National work: the rightful user of these screens is a UNESS admin.
        "rightful:rapprochements": make_user_with_role(Role.UNESS_ADMIN),
        # Residents' paths are kept by the faculty registry (the ARS only reads them).
        "rightful:mon-parcours": resident.person.user,
        **{
            f"rightful:{slug}": faculty_registry
            for slug in ("internes", "stages", "situations", "activite-semestrielle")
        },
        "rightful:mon-semestre-prochain": resident.person.user,
        "rightful:mes-voeux": resident.person.user,
        "rightful:mon-pre-choix": resident.person.user,
        "rightful:opening_national": make_user_with_role(Role.DGOS),
        # A URL of its own: the coordinator of the DES gives the opening's opinion.
        "rightful:opening_opinion": make_user_with_role(
            Role.COORDINATOR,
            subdivision=subdivision("LYON"),
            specialty=accreditation.specialty,
        ),
        # The last ranks admitted: the registry of the subdivision enters them; the
        # Ordre's thresholds are national, kept by UNESS.
        "rightful:derniers-rangs-admis": faculty_registry,
        "rightful:seuils-remplacement": make_user_with_role(Role.UNESS_ADMIN),
        "rightful:tableau-de-bord-etablissement": make_user_with_role(
            Role.MEDICAL_AFFAIRS, establishment=lyon_establishment
        ),
        "rightful:campagnes-appariement": matching.ars,
        "rightful:mon-appariement": candidacy.resident.person.user,
        "rightful:candidatures": candidacy.resident.person.user,
        "rightful:classements": matching.supervisors[0],
        "rightful:demandes-assistance": make_user_with_role(
            Role.SUPPORT_L1, subdivision=subdivision("LYON")
        ),
        "rightful:periodes-assistance": make_user_with_role(Role.UNESS_ADMIN),
        "rightful:formations": make_user_with_role(Role.UNESS_ADMIN),
        "rightful:mes-agrements": supervisor.user,
        "rightful:vue-nationale-agrements": make_user_with_role(Role.DGOS),
    }
    # Next semester, the resident chooses: she has ranked one site in her pre-choice.
    next_semester = coming()
    ActivityLine.objects.create(
        semester=next_semester,
        subdivision=subdivision("LYON"),
        resident=resident,
        specialty=accreditation.specialty,
        phase=post.phase,
        kind="chooses",
        source="prefill",
        status="validated",
        validated_at=timezone.now(),
    )
    PreChoice.objects.create(
        semester=next_semester, resident=resident, accreditations=[accreditation.pk]
    )
    call_list = CallList.objects.create(
        semester=current_semester(),
        subdivision=subdivision("LYON"),
        specialty=accreditation.specialty,
        phase=post.phase,
    )
    records = {
        "etablissements": lyon_establishment,
        "terrains-de-stage": site,
        "agrements": accreditation,
        "postes": post,
        "personnes": supervisor,
        "mes-informations": secondary,
        "demandes-de-compte": AccountRequest.objects.create(
            civility="MME",
            first_name="Louise",
            last_name="Témoin",
            email="louise.temoin@chu-lyon.fr",
            role=Role.SITE_SUPERVISOR,
            region=region("84"),
            training_site=site,
        ),
        "rapprochements": case,
        "internes": resident,
        "stages": placement,
        "situations": situation,
        "activite-semestrielle": ActivityLine.objects.create(
            semester=current_semester(),
            subdivision=subdivision("LYON"),
            resident=resident,
            kind="chooses",
            reason="Choisit son stage en amphi.",
            source="prefill",
        ),
        "listes-d-appel": call_list,
        "accueils-interchu": InterChuHosting.objects.create(
            situation=SpecialSituation.objects.create(
                resident=make_resident(
                    last_name="TEMOINCHU", subdivision_code="GRENOBLE"
                ),
                kind="inter_chu",
                start_date=date(2027, 5, 1),
                end_date=date(2027, 10, 31),
                target_subdivision=subdivision("LYON"),
                status="approved",
            ),
            host_subdivision=subdivision("LYON"),
            specialty=accreditation.specialty,
        ),
        "ouvertures": PostOpening.objects.create(
            semester=current_semester(), subdivision=subdivision("LYON")
        ),
        "groupes-de-choix": choice_group_save(
            by=SYSTEM,
            subdivision=subdivision("LYON"),
            label="Groupe Témoin",
            specialties=[accreditation.specialty, specialty("DES-PSY")],
        ),
        "reprise": import_run,
        "personnes-a-rapprocher": proposal,
        "campagnes-appariement": matching.campaign,
        "demandes-assistance": ticket,
        "campagnes-agrements": accreditation_campaign,
        "demandes-agrement": accreditation_request,
        "periodes-assistance": Period.objects.create(
            name="Période Témoin", start=date(2026, 3, 1), end=date(2026, 4, 30)
        ),
        "derniers-rangs-admis": LastAdmittedRank.objects.create(
            specialty=accreditation.specialty,
            subdivision=subdivision("LYON"),
            cohort=2019,
            ranking_kind="ecn",
            last_rank=98765,
        ),
        "seuils-remplacement": ReplacementThreshold.objects.get(
            specialty__code="DES-MGE"
        ),
        # A rule of the ARS's region (84); the ARS of Brittany does not reach it.
        "amphis": ChoiceSession.objects.create(
            call_list=call_list,
            wishes_until=timezone.now() + timedelta(days=7),
            opened_by=rightful,
        ),
        "regles-ouverture": OpeningRule.objects.create(
            region=region("84"),
            specialty=accreditation.specialty,
            ratio="1.07",
            threshold=200,
            extra=30,
            comment="Règle Témoin",
        ),
    }
    labels = {
        "etablissements": "Hôpital Lyonnais Témoin",
        "terrains-de-stage": "Réanimation Témoin Lyon",
        "agrements": "Réanimation Témoin Lyon",
        "postes": "Réanimation Témoin Lyon",
        "personnes": "Superviseur",
        "demandes-de-compte": "louise.temoin@chu-lyon.fr",
        "rapprochements": "rapprochement-temoin@univ-lyon1.fr",
        "internes": "TEMOINTERNE",
        "stages": "TEMOINTERNE",
        "situations": "TEMOINTERNE",
        "activite-semestrielle": "TEMOINTERNE",
        "listes-d-appel": "Lyon",
        "ouvertures": "Lyon",
        "accueils-interchu": "TEMOINCHU",
        "groupes-de-choix": "Groupe Témoin",
        "reprise": "reprise-temoin.csv",
        "personnes-a-rapprocher": "PROPOSITEMOIN",
        "campagnes-appariement": "Appariement cardiologie 2027",
        "demandes-assistance": "Demande Témoin",
        "periodes-assistance": "Période Témoin",
        "campagnes-agrements": "Agréments Témoin",
        "demandes-agrement": "Réanimation Témoin Lyon",
        "derniers-rangs-admis": "98765",
        "seuils-remplacement": "Licence de remplacement en médecine générale",
        "regles-ouverture": "Règle Témoin",
        "amphis": "Lyon",
    }
    filters = {
        slug: SavedFilter.objects.create(
            owner=users.get(f"rightful:{slug}", rightful),
            screen=slug,
            name="Témoin",
            query="q=Témoin",
        )
        for slug in registry.screens
    }
    CallListEntry.objects.create(
        call_list=records["listes-d-appel"],
        resident=resident,
        position=1,
        seniority=0,
        why="ancienneté 0, rang 0.1",
    )
    contest = CallListContest.objects.create(
        call_list=records["listes-d-appel"], resident=resident, text="Rang témoin"
    )
    return {
        "contest": contest,
        "users": users,
        "records": records,
        "labels": labels,
        "site_function": site_function,
        "filters": filters,
        "operation": operation,
        "matching": matching,
        "candidacy": candidacy,
    }


def _slug(route: str) -> str:
    return route.split("/")[0]


DECISIONS = {
    "rapprochements": "classer",
    "reprise": "abandonner",
    "personnes-a-rapprocher": "ecarter",
    "demandes-assistance": "escalader",
    "situations": "decider",
    "listes-d-appel": "publier",
    "ouvertures": "signer",
    "accueils-interchu": "accepter",
    "amphis": "clore-voeux",
}
OTHER_PARAMETERS = {
    "kind": lambda world: "semesters",
    "operation_pk": lambda world: world["operation"].pk,
    "which": lambda world: "fichier",
    "number": lambda world: world["matching"].round.number,
    "run_pk": lambda world: world["matching"].round.runs.first().pk,
    "candidacy_pk": lambda world: world["candidacy"].pk,
    "offer_pk": lambda world: world["matching"].offers[0].pk,
    "piece": lambda world: "cv",
    "attachment_pk": lambda world: FollowUpAttachment.objects.get().pk,
    # The ARS reopens the filing of a submitted request (posted with its reason).
    "action": lambda world: "reopen",
    "piece_pk": lambda world: Attachment.objects.get().pk,
    "contest": lambda world: world["contest"].pk,
    # A resident's wish moved, a site of her pre-choice moved.
    "post": lambda world: "1",
    "move": lambda world: "retirer",
    "accreditation": lambda world: world["records"]["agrements"].pk,
}


def _kwargs(route: str, world) -> dict:
    slug = _slug(route)
    kwargs = {}
    for param in (
        "pk",
        "function_pk",
        "filter_pk",
        "fmt",
        "decision",
        *OTHER_PARAMETERS,
    ):
        if f"<int:{param}>" in route or f"<str:{param}>" in route:
            if param in OTHER_PARAMETERS:
                kwargs[param] = OTHER_PARAMETERS[param](world)
            elif param == "pk":
                kwargs["pk"] = world["records"][slug].pk
            elif param == "function_pk":
                kwargs["function_pk"] = world["site_function"].pk
            elif param == "filter_pk":
                kwargs["filter_pk"] = world["filters"][slug].pk
            elif param == "decision":
                kwargs["decision"] = DECISIONS.get(slug, "refuser")
            else:
                kwargs["fmt"] = "csv"
    unknown = route.count("<") - len(kwargs)
    assert unknown == 0, f"{route}: URL parameter unknown to the matrix, extend _kwargs"
    return kwargs


# What the rightful user posts where a form asks something.
POST_DATA = {
    "my_pre_choice_add": lambda world: {
        "accreditation": world["records"]["agrements"].pk
    },
    "call_lists_compute": lambda world: {"subdivision": subdivision("LYON").pk},
    "opening_start": lambda world: {"subdivision": subdivision("LYON").pk},
    "activity_deadline": lambda world: {
        "deadline": (date.today() + timedelta(days=1)).isoformat()
    },
    "opening_opinion": lambda world: {
        "specialty": world["records"]["agrements"].specialty_id,
        "opinion": "favourable",
    },
    "ouvertures_decision": lambda world: {
        "decree_reference": "ARS-TEMOIN-1",
        "commission_date": "2026-09-15",
    },
    "call_list_contest_answer": lambda world: {
        f"contest-{world['contest'].pk}-accepted": "0",
        f"contest-{world['contest'].pk}-answer": "Ancienneté vérifiée : le rang est juste.",
    },
    "call_list_contest": lambda world: {"text": "Mon ancienneté est de 2."},
    "call_list_adjust": lambda world: {
        "resident": world["records"]["internes"].pk,
        "position": 1,
        "reason": "Rang témoin de la matrice",
    },
    "call_list_out_of_choice": lambda world: {
        "resident": world["records"]["internes"].pk,
        "reason": "Hors choix témoin de la matrice",
    },
    "call_list_add_resident": lambda world: {
        "email": world["records"][
            "accueils-interchu"
        ].situation.resident.person.primary_email,
        "reason": "Entrante témoin de la matrice",
    },
    "switch_function": lambda world: {
        "function": world["users"]["rightful"].person.functions.get().pk
    },
    "accreditation_publish": lambda world: {
        "subject": "Campagne d'agrément ouverte",
        "body": "Le dépôt des demandes est ouvert.",
    },
    "internes_situation_record": lambda world: {
        "kind": SituationKind.RESEARCH_YEAR,
        "start_date": "2027-11-01",
        "end_date": "2028-10-31",
        "motive": "Master 2 de recherche",
    },
    "matching_round_new": lambda world: {
        "wishes_open": "2099-01-01T09:00",
        "wishes_close": "2099-01-15T18:00",
        "ranking_open": "2099-01-16T09:00",
        "ranking_close": "2099-01-31T18:00",
        "publication_at": "2099-02-01T12:00",
    },
    "matching_remind": lambda world: {"audience": Audience.CANDIDATES},
    "matching_hearing": lambda world: {"candidacy": world["candidacy"].pk},
    "matching_correct": lambda world: {
        "candidacy": world["candidacy"].pk,
        "note": "Erreur de saisie",
    },
    "my_matching_file": lambda world: {
        "kind": "cv",
        "file": SimpleUploadedFile(
            "cv.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    },
}
# Where the world's records are in a state that refuses the action: the rightful user
# passes the permission check and meets the rule of the state, with its message.
REFUSED_BY_STATE = {
    # The world's resident chooses in no amphi and makes no pre-choice this semester.
    "my_wish_add": "Aucun amphi de choix n'est ouvert pour vous ce semestre.",
    "my_wish_move": "Aucun amphi de choix n'est ouvert pour vous ce semestre.",
    "my_wish_forecast": "Aucun amphi de choix n'est ouvert pour vous ce semestre.",
    # Her pre-choice already ranks the world's site.
    "my_pre_choice_add": "Terrain n° 2 : « Réanimation Témoin Lyon » est déjà classé "
    "plus haut.",
    # The world's call list is still in preparation.
    "call_list_contest": "Vous n'êtes sur aucune liste d'appel publiée.",
    "opening_decree": "L'arrêté n'est pas encore signé.",
    "accueils_interchu_decision": "Le coordonnateur du DES de la subdivision "
    "d'accueil n'a pas encore donné son avis.",
    "call_list_contest_answer": "La liste n'est pas publiée : aucune contestation à "
    "traiter.",
    "accreditation_close_filing": "Le dépôt n'est pas encore clos.",
    "accreditation_publish": "Cette campagne est déjà publiée.",
    "matching_correct": "Seul un résultat publié se corrige.",
    "matching_hearing": "Seul un tour par audition non publié s'affecte à la main.",
    "matching_round_new": "Le tour précédent doit être publié avant d'ouvrir le suivant.",
    "matching_compute": "Le calcul se lance après la clôture des classements.",
    "matching_publish": "Les classements ne sont pas clos.",
    "matching_results": "Les résultats de ce tour ne sont pas publiés.",
    "matching_hearing_publish": (
        "Un tour calculé se publie depuis l'un de ses calculs."
    ),
    "my_email_primary": (
        "Vérifiez d'abord l'adresse secondaire@ars-ara.fr (lien envoyé par e-mail) "
        "avant d'en faire votre adresse principale."
    ),
}


def _post_data(name: str, route: str, world) -> dict:
    screen = registry.screens.get(_slug(route))
    if name.endswith("_bulk"):
        return {
            "action": screen.bulk_actions[0].name,
            "selection": [world["records"][screen.slug].pk],
        }
    if name.endswith("_columns"):
        return {"columns": ["name"], "per_page": "25"}
    if name.endswith("_filter_save"):
        return {"name": "Nouveau", "query": "q=x"}
    if name in POST_DATA:
        return POST_DATA[name](world)
    if "decision" in route or "decide" in name or name == "accreditation_action":
        return {
            "reason": "Motif témoin de la matrice des permissions",
            "until": "2099-12-31T12:00",
            "approve": "1",  # a special situation's decision
        }
    return {}


def _request(client, name, route, world):
    url = reverse(f"cockpit:{name}", kwargs=_kwargs(route, world))
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, _post_data(name, route, world))
    return response


def _messages(response) -> list:
    return list(get_messages(response.wsgi_request))


def _names_a_record(route: str) -> bool:
    return "<int:" in route


def _shows(response, label: str) -> bool:
    if response.get("Content-Type", "").startswith(XLSX):
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return any(
            label in str(cell)
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    if response.get("Content-Type", "").startswith("text/csv"):
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        return any(
            label in cell
            for row in csv.reader(io.StringIO(content), delimiter=";")
            for cell in row
        )
    return label in response.content.decode()


@pytest.mark.parametrize(("name", "route"), URLS, ids=[u[0] for u in URLS])
def test_cockpit_url_respects_perimeters(client, world, name, route):
    # Anonymous: to the sign-in page.
    response = _request(client, name, route, world)
    assert response.status_code == 302, name
    assert response.url.startswith(LOGIN), name

    label = world["labels"].get(_slug(route))
    for who in ("resident", "rts_other", "ars_other"):
        client.force_login(world["users"][who])
        response = _request(client, name, route, world)
        assert response.status_code != 500
        if _names_a_record(route):
            assert response.status_code in (403, 404), f"{who} reached {name}"
        elif label and response.status_code == 200:
            assert not _shows(response, label), f"{who} saw the record on {name}"

    users = world["users"]
    client.cookies.pop("messages", None)  # the others' refusals are not hers
    rightful = users.get(f"rightful:{name}") or users.get(
        f"rightful:{_slug(route)}", users["rightful"]
    )
    login_verified(client, rightful)
    response = _request(client, name, route, world)
    assert response.status_code in (200, 302), f"rightful user refused on {name}"
    if response.status_code == 302:
        assert not response.url.startswith(LOGIN)
        # A redirect that carries a refusal is a refusal.
        refusals = [m.message for m in _messages(response) if m.level >= ERROR]
        expected = [REFUSED_BY_STATE[name]] if name in REFUSED_BY_STATE else []
        assert refusals == expected, f"rightful user refused on {name}: {refusals}"
    elif name.endswith(("_list", "_export")) and label:
        assert _shows(response, label), (
            f"rightful user does not see the record on {name}"
        )


def test_the_matrix_covers_every_screen_action():
    names = {name for name, _route in URLS}
    for screen in registry.screens.values():
        assert f"{screen.url_name}_list" in names
        assert f"{screen.url_name}_detail" in names
        assert f"{screen.url_name}_export" in names
    assert {"postes_delete", "postes_bulk", "terrains_de_stage_bulk"} <= names
    assert len(URLS) >= 40
