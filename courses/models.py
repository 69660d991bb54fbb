"""The training catalogue: courses (Wagtail pages) made of modules, lessons and
quizzes, and the learners' enrolments, lessons seen and quiz attempts."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from domains.cockpit.dates import check_order

from .blocks import LessonBody, QuestionBlock


def _salt() -> str:
    return secrets.token_hex(16)


class Audience(models.TextChoices):
    ARS = "ars", _("Agents des ARS")
    FACULTY = "faculty", _("Scolarités des facultés")
    COORDINATOR = "coordinator", _("Coordonnateurs")
    SUPERVISOR = "supervisor", _("Responsables et maîtres de stage")
    RESIDENT = "resident", _("Internes")


class Module(models.TextChoices):
    COCKPIT = "cockpit", _("Cockpit")
    ACCREDITATION = "agrements", _("Agréments")
    MATCHING = "appariement", _("Appariement Docteurs Juniors")
    CHOICES = "amphis", _("Amphis de choix")
    PATH = "parcours", _("Parcours des internes")


class CourseKind(models.TextChoices):
    ONLINE = "online", _("En ligne, à son rythme")
    SESSION = "session", _("Session en présentiel ou en visio")
    CAFE = "cafe", _("Café pédagogique (questions-réponses)")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Découverte")
    INTERMEDIATE = "intermediate", _("Pratique")
    ADVANCED = "advanced", _("Approfondissement")


class CatalogueIndexPage(Page):
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["siimop_site.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalogue des formations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.child_of(self).live().public().order_by("title")
        audience = request.GET.get("public", "")
        module = request.GET.get("module", "")
        if audience in Audience.values:
            # JSON lists: filtered here (a few dozen courses), same on every database.
            courses = [c for c in courses if audience in c.audiences]
        if module in Module.values:
            courses = [c for c in courses if c.module == module]
        context.update(
            courses=Paginator(list(courses), 12).get_page(request.GET.get("page")),
            audiences=Audience.choices,
            modules=Module.choices,
            audience=audience,
            module=module,
        )
        return context


class CoursePage(Page):
    summary = models.CharField(_("résumé"), max_length=300)
    audiences = models.JSONField(_("publics"), default=list, blank=True)
    module = models.CharField(_("module SIIMOP"), max_length=20, choices=Module.choices)
    kind = models.CharField(
        _("format"),
        max_length=10,
        choices=CourseKind.choices,
        default=CourseKind.ONLINE,
    )
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=30)
    level = models.CharField(
        _("niveau"), max_length=15, choices=Level.choices, default=Level.BEGINNER
    )
    prerequisites = models.CharField(_("prérequis"), max_length=300, blank=True)
    badge_name = models.CharField(_("nom du badge"), max_length=120, blank=True)
    badge_description = models.TextField(_("description du badge"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audiences"),
        FieldPanel("module"),
        FieldPanel("kind"),
        FieldPanel("duration_minutes"),
        FieldPanel("level"),
        FieldPanel("prerequisites"),
        FieldPanel("badge_name"),
        FieldPanel("badge_description"),
    ]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.ModulePage"]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    class Meta:
        verbose_name = _("formation")

    def get_context(self, request, *args, **kwargs):
        from .selectors import progress

        context = super().get_context(request, *args, **kwargs)
        enrolment = None
        if request.user.is_authenticated:
            enrolment = CourseEnrolment.objects.filter(
                user=request.user, course=self
            ).first()
        context["enrolment"] = enrolment
        context["progress"] = progress(enrolment) if enrolment else None
        if self.kind != CourseKind.ONLINE:
            from .selectors import upcoming_sessions

            context["sessions"] = upcoming_sessions(self, request.user)
        context["modules"] = [
            (module, [s.specific for s in module.get_children().live()])
            for module in self.get_children().live().specific()
        ]
        return context

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]

    def steps(self) -> list[Page]:
        """Lessons and quizzes in reading order (modules in tree order)."""
        return [
            step.specific
            for step in Page.objects.descendant_of(self)
            .live()
            .type(LessonPage, QuizPage)
            .order_by("path")
        ]


class ModulePage(Page):
    intro = models.CharField(_("chapeau"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module de formation")


class StepPage(Page):
    """A lesson or a quiz: served to the enrolled learner only."""

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).get()

    def serve(self, request, *args, **kwargs):
        from .views import serve_step

        return serve_step(self, request, super().serve, *args, **kwargs)


class LessonPage(StepPage):
    body = StreamField(LessonBody(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("leçon")


class QuizPage(StepPage):
    questions = StreamField(
        [("question", QuestionBlock())], verbose_name=_("questions"), blank=True
    )
    pass_mark = models.PositiveSmallIntegerField(_("seuil de réussite (%)"), default=80)
    max_attempts = models.PositiveSmallIntegerField(
        _("tentatives"), default=3, help_text=_("0 : sans limite.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("pass_mark"),
        FieldPanel("max_attempts"),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = _("quiz")


# --- learners ----------------------------------------------------------------------


class CourseEnrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments"
    )
    started_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    last_step = models.ForeignKey(
        Page, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="course_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class LessonSeen(models.Model):
    enrolment = models.ForeignKey(
        CourseEnrolment, on_delete=models.CASCADE, related_name="lessons_seen"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="course_lesson_seen"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.lesson}"


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(
        CourseEnrolment, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("réussi"))
    answers = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.quiz} : {self.score} %"


class BadgeAward(models.Model):
    """A course's badge awarded to a learner: an Open Badges 2.0 hosted assertion."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    enrolment = models.OneToOneField(
        CourseEnrolment, on_delete=models.PROTECT, related_name="badge"
    )
    salt = models.CharField(max_length=32, default=_salt, editable=False)
    issued_on = models.DateTimeField(_("délivré le"), auto_now_add=True)
    expires = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("motif de révocation"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("badge délivré")
        verbose_name_plural = _("badges délivrés")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires__isnull=True)
                | models.Q(expires__gt=models.F("issued_on")),
                name="course_badge_expires_after_issue",
                violation_error_message=_("Le badge expire avant d'être délivré."),
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("issued_on")),
                name="course_badge_revoked_after_issue",
                violation_error_message=_("Le badge est révoqué avant d'être délivré."),
            ),
        ]

    def clean(self):
        super().clean()
        check_order(
            self,
            (
                "issued_on",
                "expires",
                _("L'expiration (%(end)s) doit suivre la délivrance (%(start)s)."),
                True,
            ),
            (
                "issued_on",
                "revoked_at",
                _("La révocation (%(end)s) précède la délivrance (%(start)s)."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.enrolment.course.badge_name} — {self.enrolment.user}"


# --- dated sessions ------------------------------------------------------------------


def _trainers() -> models.Q:
    """Who may be picked as a trainer: UNESS staff, not the whole user base."""
    from domains.people.models import Function
    from domains.people.roles import Role

    staff = Function.objects.filter(
        role__in=[Role.UNESS_ADMIN, Role.SUPPORT_L1, Role.SUPPORT_L2]
    ).values("person__user_id")
    return models.Q(is_staff=True) | models.Q(pk__in=staff)


class TrainingSession(models.Model):
    """A dated occurrence of a session or café course: a place or a video link, a
    capacity, a trainer who records attendance."""

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("formation"),
        limit_choices_to={"kind__in": [CourseKind.SESSION, CourseKind.CAFE]},
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), default=20)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_trained",
        verbose_name=_("formateur"),
        limit_choices_to=_trainers,
        help_text=_("Un administrateur UNESS ou un agent du support."),
    )

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="course_session_ends_after_start",
                violation_error_message=_(
                    "La fin de la session doit suivre son début."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(place="", video_link=""),
                name="course_session_place_or_link",
            ),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        start = timezone.localtime(self.starts_at)
        return f"{self.course.title} — {start:%d/%m/%Y %H:%M}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        try:
            check_order(self, ("starts_at", "ends_at", None, True))
        except ValidationError as error:
            errors.update(error.error_dict)
        if not self.place and not self.video_link:
            errors["place"] = _("Indiquez un lieu ou un lien de visioconférence.")
        if errors:
            raise ValidationError(errors)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit(e)")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Désinscrit(e)")


class SessionRegistration(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_registrations",
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RegistrationStatus.choices
    )
    registered_at = models.DateTimeField(_("inscrit(e) le"), auto_now_add=True)
    attended = models.BooleanField(_("présent(e)"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription à une session")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="course_session_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} ({self.get_status_display()})"
