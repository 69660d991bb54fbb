"""Demo catalogue: three real-looking online courses with lessons and quizzes, a café
pédagogique, and some learners' progress (through the services)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from domains.demo.accounts import demo_email
from domains.people.roles import Role
from siimop_site.models import HomePage
from siimop_site.pages import publish, stream

from .models import (
    CatalogueIndexPage,
    CourseKind,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
    TrainingSession,
)
from .services import (
    attendance_record,
    course_enrol,
    lesson_see,
    quiz_submit,
    session_register,
)

COURSES = [
    {
        "title": "Prendre en main le Cockpit",
        "summary": "Menus, fonctions actives, listes filtrées, filtres enregistrés et exports.",
        "audiences": ["ars", "faculty", "coordinator", "supervisor"],
        "module": "cockpit",
        "duration_minutes": 45,
        "badge_name": "Cockpit SIIMOP : les bases",
        "modules": [
            ("Se repérer", ["Le menu et les fonctions", "Mes informations"]),
            (
                "Travailler avec les listes",
                ["Filtrer et trier", "Exporter en XLSX ou CSV"],
            ),
        ],
        "quiz": [
            (
                "Où changer de fonction active ?",
                [
                    ("Dans l'en-tête, sous mon nom", True),
                    ("Dans l'administration", False),
                ],
                False,
            ),
            (
                "Quels formats d'export ?",
                [("XLSX", True), ("CSV", True), ("PDF", False)],
                True,
            ),
        ],
    },
    {
        "title": "Gérer une campagne d'agréments",
        "summary": "Du lancement de la campagne à la décision du DG ARS.",
        "audiences": ["ars", "faculty"],
        "module": "agrements",
        "duration_minutes": 90,
        "level": "intermediate",
        "prerequisites": "Prendre en main le Cockpit",
        "badge_name": "Campagne d'agréments",
        "modules": [
            ("Préparer", ["Le calendrier de la campagne", "Les terrains à renouveler"]),
            ("Instruire", ["Suivre les dossiers", "La commission"]),
        ],
        "quiz": [
            (
                "Qui décide de l'agrément ?",
                [("Le DG ARS", True), ("Le coordonnateur", False)],
                False,
            ),
        ],
    },
    {
        "title": "Appariement Docteurs Juniors : guide RTS",
        "summary": "Classer les candidats de son terrain et lire les résultats.",
        "audiences": ["supervisor"],
        "module": "appariement",
        "duration_minutes": 30,
        "badge_name": "Appariement : classer ses candidats",
        "modules": [("Classer", ["Les candidatures", "Le classement et ses règles"])],
        "quiz": [
            (
                "Quelle part des candidats faut-il classer ?",
                [("Au moins 80 %", True), ("Tous", False), ("Au moins 20 %", False)],
                False,
            ),
        ],
    },
]


def build_sessions(cafe: CoursePage, workshop: CoursePage) -> None:
    """A café each month in video, two workshops (one past, attendance recorded, one
    to come, nearly full), registrations through the services."""
    users = get_user_model().objects
    trainer = users.filter(email=demo_email(Role.UNESS_ADMIN)).first()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for month in (1, 2, 3):
        start = (now + dt.timedelta(days=30 * month - 20)).replace(hour=12, minute=30)
        TrainingSession.objects.create(
            course=cafe,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            video_link="https://visio.uness.fr/siimop-cafe",
            capacity=100,
            trainer=trainer,
        )
    learners = [
        u
        for u in (
            users.filter(email=demo_email(role)).first()
            for role in (Role.ARS, Role.FACULTY_REGISTRY, Role.COORDINATOR)
        )
        if u
    ]
    coming_start = (now + dt.timedelta(days=21)).replace(hour=9)
    past_start = (now - dt.timedelta(days=14)).replace(hour=9)
    sessions = [
        TrainingSession.objects.create(
            course=workshop,
            starts_at=coming_start,
            ends_at=coming_start + dt.timedelta(hours=3),
            place=place,
            capacity=capacity,
            trainer=trainer,
        )
        for place, capacity in (
            ("ARS Auvergne-Rhône-Alpes, 241 rue Garibaldi, Lyon — salle 2", 12),
            (
                "Faculté de médecine Lyon-Est, 8 avenue Rockefeller — salle du conseil",
                len(learners) + 1,
            ),
        )
    ]
    for session in sessions:
        for user in learners:
            session_register(user=user, session=session)
    # The first workshop took place two weeks ago (registrations were taken before).
    past = sessions[0]
    TrainingSession.objects.filter(pk=past.pk).update(
        starts_at=past_start, ends_at=past_start + dt.timedelta(hours=3)
    )
    past.refresh_from_db()
    registrations = list(past.registrations.all())
    if trainer and registrations:
        attendance_record(
            by=trainer, session=past, present={r.pk for r in registrations[:-1]}
        )
    for user in learners[:1]:
        session_register(user=user, session=cafe.sessions.first())


def build_catalogue() -> dict[str, int]:
    home = HomePage.objects.first()
    if home is None:
        return {}
    catalogue = publish(
        home,
        CatalogueIndexPage(
            title="Formations",
            slug="formations",
            intro="Apprendre SIIMOP à son rythme, en session ou lors des cafés pédagogiques.",
        ),
    )
    courses = []
    for spec in COURSES:
        course = publish(
            catalogue,
            CoursePage(
                title=spec["title"],
                slug=slugify(spec["title"])[:50],
                summary=spec["summary"],
                audiences=spec["audiences"],
                module=spec["module"],
                duration_minutes=spec["duration_minutes"],
                level=spec.get("level", "beginner"),
                prerequisites=spec.get("prerequisites", ""),
                badge_name=spec["badge_name"],
                badge_description=f"A suivi la formation « {spec['title']} » et réussi son quiz.",
            ),
        )
        for m, (module_title, lessons) in enumerate(spec["modules"], start=1):
            module = publish(course, ModulePage(title=module_title, slug=f"module-{m}"))
            for n, lesson in enumerate(lessons, start=1):
                publish(
                    module,
                    LessonPage(
                        title=lesson,
                        slug=f"lecon-{n}",
                        body=stream(
                            {
                                "type": "paragraph",
                                "value": f"<p>{lesson} : l'essentiel en quelques minutes.</p>",
                            },
                            {
                                "type": "callout",
                                "value": {
                                    "title": "À retenir",
                                    "text": f"<p>{spec['summary']}</p>",
                                },
                            },
                        ),
                    ),
                )
        publish(
            module,
            QuizPage(
                title="Quiz de validation",
                slug="quiz",
                questions=stream(
                    *[
                        {
                            "type": "question",
                            "value": {
                                "question": q,
                                "multiple": multiple,
                                "feedback": "",
                                "choices": [
                                    {"text": t, "correct": ok} for t, ok in choices
                                ],
                            },
                        }
                        for q, choices, multiple in spec["quiz"]
                    ]
                ),
            ),
        )
        courses.append(course)
    cafe = publish(
        catalogue,
        CoursePage(
            title="Café pédagogique : vos questions sur SIIMOP",
            slug="cafe-pedagogique",
            summary="Trente minutes de questions-réponses en visio, chaque mois.",
            audiences=["ars", "faculty", "coordinator", "supervisor", "resident"],
            module="cockpit",
            kind=CourseKind.CAFE,
            duration_minutes=30,
        ),
    )
    workshop = publish(
        catalogue,
        CoursePage(
            title="Atelier : préparer sa commission d'agréments",
            slug="atelier-commission-agrements",
            summary="Une demi-journée en groupe pour préparer l'ordre du jour, les avis et le procès-verbal.",
            audiences=["ars", "faculty", "coordinator"],
            module="agrements",
            kind=CourseKind.SESSION,
            duration_minutes=180,
            level="intermediate",
            prerequisites="Gérer une campagne d'agréments",
            badge_name="Commission d'agréments : atelier",
            badge_description="A participé à l'atelier de préparation de la commission d'agréments.",
        ),
    )
    build_sessions(cafe, workshop)
    # Learners: the demo ARS agent finished the Cockpit course; the faculty registry
    # is half-way through it.
    users = get_user_model().objects
    done = users.filter(email=demo_email(Role.ARS)).first()
    halfway = users.filter(email=demo_email(Role.FACULTY_REGISTRY)).first()
    cockpit = courses[0]
    steps = cockpit.steps()
    if done:
        course_enrol(user=done, course=cockpit)
        for step in steps:
            if isinstance(step, LessonPage):
                lesson_see(user=done, lesson=step)
            else:
                answers = {
                    n: {i for i, c in enumerate(b.value["choices"]) if c["correct"]}
                    for n, b in enumerate(step.questions)
                }
                quiz_submit(user=done, quiz=step, answers=answers)
    if halfway:
        course_enrol(user=halfway, course=cockpit)
        for step in steps[:2]:
            lesson_see(user=halfway, lesson=step)
    return {
        "formations": CoursePage.objects.count(),
        "sessions de formation": TrainingSession.objects.count(),
    }
