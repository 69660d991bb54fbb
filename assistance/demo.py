"""Demo UNESS Assistance: help articles, canned answers, campaign periods and requests
with realistic histories (answers, escalations, resolutions, reopened and late ones)
over the last year, spread over every subdivision's team.

Bulk-written (a national platform holds ~50,000 requests): the rows are those the
services would write, with the same targets and measures (hours.py, targets.py)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from helpdesk.models import (
    FollowUp,
    KBCategory,
    KBItem,
    PreSetReply,
    Ticket,
    TicketChange,
)

from domains.demo.accounts import demo_email
from domains.people.models import Person
from domains.people.roles import Role
from domains.people.selectors import person_for_email
from domains.referential.models import Subdivision
from domains.residents.models import Resident

from .hours import PARIS, add_working_time, is_working_day
from .models import ArticleRead, Category, Period, Team, TicketContext, Tier
from .services import answer_send, request_file, teams_setup
from .targets import TARGET_HOURS, hours_since

# (name, days before today it opened, days it lasted): relative, so a demo seeded any
# day has its campaigns within the past year.
PERIODS = [
    ("Campagne d'agréments {year}", 320, 75),
    ("Appariement Docteurs Juniors {year} (tours 1 et 2)", 190, 53),
    ("Amphis de choix {year}", 52, 46),
]
# During a campaign, its category dominates the requests.
PERIOD_CATEGORY = [Category.ACCREDITATION, Category.MATCHING, Category.CHOICES]

SUBJECTS = {
    Category.ACCREDITATION: [
        "Impossible de déposer mon dossier d'agrément",
        "Pièce jointe refusée dans le dossier d'agrément",
        "Mon terrain n'apparaît pas dans la campagne",
        "Renouvellement d'agrément : quelle date limite ?",
    ],
    Category.MATCHING: [
        "Mes vœux ne sont pas enregistrés",
        "Je ne vois pas les postes de ma spécialité",
        "Contrat de formation : quel document déposer ?",
        "Classement des candidats impossible",
    ],
    Category.CHOICES: [
        "Mon rang dans l'amphi est erroné",
        "Poste manquant dans la liste de l'amphi",
        "Je serai absent le jour de l'amphi : procuration ?",
    ],
    Category.ACCOUNT: [
        "Je ne peux plus me connecter",
        "Lien de connexion expiré",
        "Changer l'adresse e-mail de mon compte",
        "Double authentification : téléphone perdu",
    ],
    Category.PATH: [
        "Un stage manque dans mon parcours",
        "Attestation de fin de phase introuvable",
        "Ma disponibilité n'est pas prise en compte",
    ],
    Category.TRAINING: [
        "Badge non reçu après la formation",
        "Inscription à la session de formation",
    ],
    Category.OTHER: ["Question sur SIIMOP", "Suggestion d'amélioration"],
}

ARTICLES = [
    (
        "Compte et connexion",
        "Se connecter avec un lien reçu par e-mail",
        "Je n'ai pas de mot de passe : comment me connecter ?",
        "Saisissez votre adresse sur la page de connexion et cliquez sur le lien reçu "
        "(valable 15 minutes).",
    ),
    (
        "Compte et connexion",
        "Mot de passe oublié",
        "Je ne peux plus me connecter, mon mot de passe est refusé.",
        "Utilisez « Mot de passe oublié » ou la connexion par lien e-mail.",
    ),
    (
        "Compte et connexion",
        "Double authentification : changer de téléphone",
        "J'ai perdu le téléphone de ma double authentification.",
        "Demandez la réinitialisation à l'assistance : un agent vérifie votre identité.",
    ),
    (
        "Agréments",
        "Déposer un dossier d'agrément",
        "Comment déposer ou renouveler l'agrément de mon terrain de stage ?",
        "Depuis votre tableau de bord RTS, ouvrez la campagne puis « Nouveau dossier ».",
    ),
    (
        "Agréments",
        "Pièces jointes du dossier d'agrément",
        "Quels fichiers joindre au dossier d'agrément ?",
        "Des PDF de 5 Mo au plus : projet pédagogique, rapport de visite.",
    ),
    (
        "Appariements",
        "Saisir ses vœux d'appariement",
        "Combien de vœux faut-il saisir pour l'appariement Docteurs Juniors ?",
        "Au moins 4 vœux et 20 % des postes de votre spécialité, avant la clôture.",
    ),
    (
        "Appariements",
        "Classer ses candidats",
        "Comment classer les candidats de mon terrain ?",
        "Menu APPARIEMENT > Classer mes candidats : au moins 80 % des candidats.",
    ),
    (
        "Amphis de choix",
        "Rang de choix et amphi",
        "Comment est calculé mon rang pour l'amphi de choix ?",
        "Votre rang suit votre classement et votre ancienneté de semestres.",
    ),
    (
        "Parcours et documents",
        "Un stage manque dans mon parcours",
        "Un stage validé n'apparaît pas dans mon parcours.",
        "La scolarité de votre faculté saisit les stages ; signalez-le-lui.",
    ),
    (
        "Formations",
        "Obtenir son badge de formation",
        "Je n'ai pas reçu mon badge après la formation.",
        "Le badge est attribué quand toutes les leçons sont vues et le quiz réussi.",
    ),
]

CANNED = [
    (
        "Lien de connexion",
        "Bonjour,\n\nDemandez un nouveau lien de connexion depuis la "
        "page « Se connecter » : il est valable 15 minutes.\n\nBien cordialement,",
    ),
    (
        "Transmis au niveau 2",
        "Bonjour,\n\nVotre demande est transmise à l'équipe UNESS, "
        "qui revient vers vous au plus vite.\n\nBien cordialement,",
    ),
    (
        "Stage à saisir par la scolarité",
        "Bonjour,\n\nLes stages sont saisis par la "
        "scolarité de votre faculté : nous lui avons transmis votre demande.\n\nBien "
        "cordialement,",
    ),
    (
        "Vœux d'appariement",
        "Bonjour,\n\nVos vœux sont enregistrés dès que la règle est "
        "respectée (au moins 4 vœux et 20 % des postes).\n\nBien cordialement,",
    ),
]
ANSWERS = [
    "Bonjour,\n\nC'est corrigé : pouvez-vous vérifier de votre côté ?",
    "Bonjour,\n\nLa manipulation est décrite dans l'article d'aide joint ; dites-nous "
    "si le problème persiste.",
    "Bonjour,\n\nPouvez-vous nous envoyer une capture d'écran du message d'erreur ?",
]


class AssistanceBuilder:
    def __init__(self, *, tickets: int, rng: random.Random, today: date):
        self.count = tickets
        self.rng = rng
        self.today = today

    @transaction.atomic
    def build(self) -> dict[str, int]:
        teams_setup()
        self.teams = {t.subdivision_id: t for t in Team.objects.filter(tier=1)}
        self.level_2 = Team.objects.get(tier=Tier.LEVEL_2)
        self.build_articles()
        self.build_canned()
        periods = []
        for name, ago, days in PERIODS:
            start = self.today - timedelta(days=ago)
            periods.append(
                Period.objects.create(
                    name=name.format(year=start.year),
                    start=start,
                    end=start + timedelta(days=days),
                )
            )
        self.build_tickets(periods)
        return {
            "Articles d'aide": KBItem.objects.count(),
            "Demandes d'assistance": Ticket.objects.count(),
            "Suivis de demandes": FollowUp.objects.count(),
        }

    def build_articles(self) -> None:
        categories = {}
        for i, (category, title, question, answer) in enumerate(ARTICLES):
            if category not in categories:
                categories[category] = KBCategory.objects.create(
                    name=category,
                    title=category,
                    slug=f"aide-{len(categories) + 1}",
                    description=f"Questions fréquentes : {category.lower()}.",
                )
            KBItem.objects.create(
                category=categories[category],
                title=title,
                question=question,
                answer=answer,
                order=i,
            )
        self.articles = list(KBItem.objects.all())

    def build_canned(self) -> None:
        for name, body in CANNED:
            PreSetReply.objects.create(name=name, body=body)  # national
        lyon = Subdivision.objects.filter(code="LYON").first()
        if lyon is not None and lyon.pk in self.teams:
            reply = PreSetReply.objects.create(
                name="Scolarité de Lyon : horaires",
                body="Bonjour,\n\nLa scolarité de Lyon vous reçoit du lundi au "
                "vendredi, de 9 h à 12 h.\n\nBien cordialement,",
            )
            reply.queues.add(self.teams[lyon.pk].queue)

    # --- requests ----------------------------------------------------------------

    def _moment(self, start: date, end: date) -> datetime:
        """A working-hours moment between two dates (requests come in office hours)."""
        while True:
            day = start + timedelta(days=self.rng.randrange((end - start).days + 1))
            if is_working_day(day) or self.rng.random() < 0.05:
                minute = self.rng.randrange(8 * 60, 19 * 60)
                return datetime.combine(day, time(minute // 60, minute % 60), PARIS)

    def _delay(self, median_hours: float) -> timedelta:
        return timedelta(
            hours=min(200.0, self.rng.lognormvariate(0, 1.1) * median_hours)
        )

    def build_tickets(self, periods: list[Period]) -> None:
        rng = self.rng
        people = self._people_by_subdivision()
        agents = self._agents()
        subdivisions = list(self.teams)
        weights = [len(people.get(s, ())) + 5 for s in subdivisions]
        year_ago = self.today - timedelta(days=365)
        now = datetime.combine(self.today, time(17, 0), PARIS)
        specs = []
        for i in range(self.count):
            in_period = rng.random() < 0.7
            p = rng.randrange(len(periods))
            start, end = (
                (periods[p].start, min(periods[p].end, self.today))
                if in_period
                else (year_ago, self.today)
            )
            created = self._moment(start, end)
            category = (
                PERIOD_CATEGORY[p]
                if in_period and rng.random() < 0.6
                else rng.choice(Category.values)
            )
            subdivision = rng.choices(subdivisions, weights)[0]
            person = (
                rng.choice(people[subdivision]) if people.get(subdivision) else None
            )
            specs.append((i, created, category, subdivision, person))
        specs.sort(key=lambda s: s[1])

        tickets, contexts, followups, changes, reads = [], [], [], [], []
        for i, created, category, subdivision, person in specs:
            team = self.teams[subdivision]
            priority = rng.choices([1, 2, 3, 4, 5], [1, 8, 70, 15, 6])[0]
            ticket = Ticket(
                title=rng.choice(SUBJECTS[category]),
                queue_id=team.queue_id,
                created=created,
                modified=created,
                submitter_email=person[1] if person else f"demandeur{i}@exemple.fr",
                description="Bonjour,\n\nJe rencontre un problème : "
                + rng.choice(SUBJECTS[category]).lower()
                + ".\n\nMerci de votre aide.",
                priority=priority,
                status=Ticket.OPEN_STATUS,
            )
            first_due, resolution_due = (
                add_working_time(created, timedelta(hours=h))
                for h in TARGET_HOURS[priority]
            )
            context = TicketContext(
                category=category,
                tier=Tier.LEVEL_1,
                subdivision_id=subdivision,
                person_id=person[0] if person else None,
                application=rng.choice(["Cockpit", "Cockpit", "Site"]),
                first_response_due=first_due,
                resolution_due=resolution_due,
            )
            history = []  # (follow-up, changes)
            agent = rng.choice(agents[subdivision] or agents[None])
            age = created
            if rng.random() < 0.9:
                age = add_working_time(created, self._delay(4))
                if age < now:
                    history.append(
                        (
                            FollowUp(
                                title="Réponse de l'assistance",
                                comment=rng.choice(ANSWERS),
                                public=True,
                                user_id=agent,
                                date=age,
                            ),
                            [],
                        )
                    )
                    context.first_answer_at = age
                    context.first_response_hours = hours_since(created, age)
            if context.first_answer_at and rng.random() < 0.13:
                age = add_working_time(age, self._delay(3))
                if age < now:
                    history.append(
                        (
                            FollowUp(
                                title="Escaladée au niveau 2",
                                comment="Anomalie à corriger par l'UNESS.",
                                public=False,
                                user_id=agent,
                                date=age,
                            ),
                            [("Équipe", team.queue.title, self.level_2.queue.title)],
                        )
                    )
                    ticket.queue_id = self.level_2.queue_id
                    context.tier, context.escalated = Tier.LEVEL_2, True
                    agent = rng.choice(agents[None])
            if context.first_answer_at and rng.random() < 0.8:
                age = add_working_time(age, self._delay(10))
                if age < now:
                    ticket.status = Ticket.RESOLVED_STATUS
                    history.append(
                        (
                            FollowUp(
                                title="Demande résolue",
                                comment="Bonjour,\n\nC'est réglé. Bonne journée.",
                                public=True,
                                user_id=agent,
                                date=age,
                                new_status=Ticket.RESOLVED_STATUS,
                            ),
                            [],
                        )
                    )
                    context.resolved_at = age
                    context.resolution_hours = hours_since(created, age)
                    if person and rng.random() < 0.3 and age + timedelta(hours=2) < now:
                        ticket.status = Ticket.CLOSED_STATUS
                        history.append(
                            (
                                FollowUp(
                                    title="Close par le demandeur",
                                    comment="",
                                    public=True,
                                    user_id=person[2],
                                    date=age + timedelta(hours=2),
                                    new_status=Ticket.CLOSED_STATUS,
                                ),
                                [],
                            )
                        )
            ticket.modified = max([created] + [f.date for f, _ in history])
            tickets.append(ticket)
            contexts.append(context)
            followups.append(history)
            if rng.random() < 0.3:
                reads.append(
                    ArticleRead(
                        article=rng.choice(self.articles), subdivision_id=subdivision
                    )
                )
                reads[-1].at_value = created - timedelta(minutes=5)

        dates = [(t.created, t.modified) for t in tickets]
        Ticket.objects.bulk_create(tickets, batch_size=2000)
        # auto_now(_add) stamped them "now" on the way in: back to their history.
        for ticket, (created, modified) in zip(tickets, dates, strict=True):
            ticket.created, ticket.modified = created, modified
        Ticket.objects.bulk_update(tickets, ["created", "modified"], batch_size=2000)
        for ticket, context in zip(tickets, contexts, strict=True):
            context.ticket_id = ticket.pk
        TicketContext.objects.bulk_create(contexts, batch_size=2000)
        flat = []
        for ticket, history in zip(tickets, followups, strict=True):
            for followup, change_rows in history:
                followup.ticket_id = ticket.pk
                flat.append((followup, change_rows))
        FollowUp.objects.bulk_create([f for f, _ in flat], batch_size=2000)
        for followup, change_rows in flat:
            changes.extend(
                TicketChange(
                    followup_id=followup.pk, field=field, old_value=old, new_value=new
                )
                for field, old, new in change_rows
            )
        TicketChange.objects.bulk_create(changes, batch_size=2000)
        ArticleRead.objects.bulk_create(reads, batch_size=2000)
        for read in reads:  # auto_now_add: dated afterwards, like the requests
            read.at = read.at_value
        ArticleRead.objects.bulk_update(reads, ["at"], batch_size=2000)
        self._demo_requests()

    def _people_by_subdivision(self) -> dict[int, list[tuple[int, str, int]]]:
        """(person id, e-mail, user id) of residents, by subdivision."""
        people: dict[int, list] = {}
        rows = Resident.objects.values_list(
            "subdivision_id", "person_id", "person__user__email", "person__user_id"
        )
        for subdivision, person, email, user in rows:
            if email and user:
                people.setdefault(subdivision, []).append((person, email, user))
        return people

    def _agents(self) -> dict[int | None, list[int]]:
        """Support agents' user ids by subdivision (None: level 2)."""
        agents: dict[int | None, list[int]] = {s: [] for s in self.teams}
        agents[None] = []
        for role, subdivision, user in Person.objects.filter(
            functions__role__in=[Role.SUPPORT_L1, Role.SUPPORT_L2]
        ).values_list("functions__role", "functions__subdivision_id", "user_id"):
            if user:
                agents.setdefault(
                    subdivision if role == Role.SUPPORT_L1 else None, []
                ).append(user)
        return agents

    def _demo_requests(self) -> None:
        """The demo resident's own requests, one answered, so "Mes demandes" shows."""
        person = person_for_email(demo_email(Role.RESIDENT))
        agent = person_for_email(demo_email(Role.SUPPORT_L1))
        if person is None or not hasattr(person, "resident"):
            return
        subdivision = person.resident.subdivision
        answered = request_file(
            title="Attestation de fin de phase socle introuvable",
            description="Je ne trouve pas mon attestation dans « Mon parcours ».",
            category=Category.PATH,
            email=demo_email(Role.RESIDENT),
            subdivision=subdivision,
            person=person,
            application="Cockpit",
            page="/cockpit/mon-parcours/",
        )
        if agent is not None:
            answer_send(
                by=agent.user,
                ticket=answered,
                text="Bonjour,\n\nL'attestation est disponible depuis ce matin dans "
                "« Mon parcours » > Documents.\n\nBien cordialement,",
            )
        request_file(
            title="Je ne vois pas les postes de cardiologie",
            description="Dans « Mon appariement », la liste des postes est vide.",
            category=Category.MATCHING,
            email=demo_email(Role.RESIDENT),
            subdivision=subdivision,
            person=person,
            application="Cockpit",
            page="/cockpit/mon-appariement/",
        )
