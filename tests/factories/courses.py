"""A small online course: catalogue → course → module → two lessons and a quiz."""

import json
import uuid

from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from siimop_site.models import HomePage


def _stream(*blocks) -> str:
    return json.dumps([{**b, "id": str(uuid.uuid4())} for b in blocks])


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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
    catalogue = CatalogueIndexPage.objects.first() or _publish(
        home, CatalogueIndexPage(title="Formations", slug="formations")
    )
    course = _publish(
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
    module = _publish(course, ModulePage(title="Les écrans", slug="ecrans"))
    lessons = [
        _publish(
            module,
            LessonPage(
                title=f"Leçon {n}",
                slug=f"lecon-{n}",
                body=_stream({"type": "paragraph", "value": f"<p>Contenu {n}.</p>"}),
            ),
        )
        for n in (1, 2)
    ]
    quiz = _publish(
        module,
        QuizPage(
            title="Quiz final",
            slug="quiz",
            pass_mark=100,
            max_attempts=max_attempts,
            questions=_stream(
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
