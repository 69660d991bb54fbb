"""A small online course: catalogue → course → module → two lessons and a quiz."""

import uuid

from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from siimop_site.models import HomePage
from siimop_site.pages import publish, stream


def question(text: str, choices: list[tuple[str, bool]], multiple=False, feedback=""):
    return {
        "type": "question",
        "value": {
            "question": text,
            "multiple": multiple,
            "feedback": feedback,
            "choices": [{"text": t, "correct": ok} for t, ok in choices],
        },
    }


def make_course(title="Prendre en main le Cockpit", max_attempts=2, **course_fields):
    home = HomePage.objects.get()
    catalogue = CatalogueIndexPage.objects.first() or publish(
        home, CatalogueIndexPage(title="Formations", slug="formations")
    )
    course = publish(
        catalogue,
        CoursePage(
            title=title,
            slug=f"c-{uuid.uuid4().hex[:8]}",
            summary="Les écrans, les filtres et les exports du cockpit.",
            audiences=course_fields.pop("audiences", ["ars", "faculty"]),
            module=course_fields.pop("module", "cockpit"),
            badge_name="Cockpit : les bases",
            **course_fields,
        ),
    )
    module = publish(course, ModulePage(title="Les écrans", slug="ecrans"))
    lessons = [
        publish(
            module,
            LessonPage(
                title=f"Leçon {n}",
                slug=f"lecon-{n}",
                body=stream({"type": "paragraph", "value": f"<p>Contenu {n}.</p>"}),
            ),
        )
        for n in (1, 2)
    ]
    quiz = publish(
        module,
        QuizPage(
            title="Quiz final",
            slug="quiz",
            pass_mark=100,
            max_attempts=max_attempts,
            questions=stream(
                question(
                    "Où exporter une liste ?",
                    [("Bouton « Exporter »", True), ("Menu Aide", False)],
                    feedback="Le bouton est en haut à droite de chaque liste.",
                ),
                question(
                    "Quels formats d'export ?",
                    [("XLSX", True), ("CSV", True), ("PDF", False)],
                    multiple=True,
                ),
            ),
        ),
    )
    return course, lessons, quiz


def make_session(capacity=2, days=7, course=None, **fields):
    """A dated session of a session-format course (created when not given)."""
    import datetime as dt

    from django.utils import timezone

    from courses.models import CourseKind, TrainingSession

    if course is None:
        home = HomePage.objects.get()
        catalogue = CatalogueIndexPage.objects.first() or publish(
            home, CatalogueIndexPage(title="Formations", slug="formations")
        )
        course = publish(
            catalogue,
            CoursePage(
                title="Atelier agréments",
                slug=f"s-{uuid.uuid4().hex[:8]}",
                summary="Préparer la commission d'agréments, en groupe.",
                audiences=["ars"],
                module="agrements",
                kind=CourseKind.SESSION,
                badge_name="Atelier agréments",
            ),
        )
    starts = fields.pop("starts_at", timezone.now() + dt.timedelta(days=days))
    return TrainingSession.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place=fields.pop("place", "ARS Auvergne-Rhône-Alpes, salle 3, Lyon"),
        capacity=capacity,
        **fields,
    )
