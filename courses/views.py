"""Taking a course: enrolling, reading lessons (marked seen), answering quizzes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import CoursePage, Enrolment, LessonPage, QuizAttempt, QuizPage
from .selectors import attempts_left, progress
from .services import course_enrol, lesson_see, quiz_submit


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    try:
        enrolment = course_enrol(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.url)
    messages.success(request, _("Vous êtes inscrit(e) à « %s ».") % course.title)
    step = progress(enrolment).next_step
    return redirect(step.url if step else course.url)


def _answers(post, quiz: QuizPage) -> dict[int, set[int]]:
    answers = {}
    for n, _block in enumerate(quiz.questions):
        values = post.getlist(f"q{n}")
        answers[n] = {int(v) for v in values if v.isdigit()}
    return answers


def serve_step(step, request, default_serve, *args, **kwargs):
    """Lessons and quizzes are for the enrolled learner: others go to the course."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = step.course()
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    if enrolment is None:
        messages.info(
            request, _("Inscrivez-vous à la formation pour suivre ses leçons.")
        )
        return redirect(course.url)
    context = {"page": step, "course": course, "enrolment": enrolment}
    if isinstance(step, LessonPage):
        lesson_see(user=request.user, lesson=step)
    else:
        context["attempts_left"] = attempts_left(enrolment, step)
        context["passed"] = QuizAttempt.objects.filter(
            enrolment=enrolment, quiz=step, passed=True
        ).exists()
        if request.method == "POST":
            try:
                attempt, results = quiz_submit(
                    user=request.user, quiz=step, answers=_answers(request.POST, step)
                )
            except ValidationError as error:
                context["error"] = error.messages[0]
            else:
                context.update(
                    attempt=attempt,
                    results=results,
                    passed=attempt.passed,
                    attempts_left=attempts_left(enrolment, step),
                )
    enrolment.refresh_from_db()
    context["progress"] = progress(enrolment)
    return TemplateResponse(request, step.get_template(request), context)
