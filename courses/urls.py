from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("inscription/<int:course_id>/", views.enrol, name="enrol"),
    path(
        "sessions/<int:session_id>/inscription/",
        views.session_register_view,
        name="session_register",
    ),
    path(
        "sessions/<int:session_id>/desinscription/",
        views.session_unregister_view,
        name="session_unregister",
    ),
    path(
        "sessions/<int:session_id>/calendrier.ics",
        views.session_calendar,
        name="session_calendar",
    ),
    path(
        "sessions/<int:session_id>/presences/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("badges/emetteur.json", views.issuer_json, name="issuer"),
    path("badges/revocations.json", views.revocations_json, name="revocations"),
    path(
        "badges/classes/<int:course_id>.json",
        views.badge_class_json,
        name="badge_class",
    ),
    path("badges/classes/<int:course_id>.svg", views.badge_image, name="badge_image"),
    path("badges/<uuid:uid>.json", views.assertion_json, name="assertion"),
    path("badges/<uuid:uid>/", views.verify, name="verify"),
    path("badges/<uuid:uid>/badge.svg", views.baked_badge, name="baked"),
    path("badges/cle.json", views.public_key, name="key"),
    path(
        "badges/<uuid:uid>/credential.jwt", views.signed_credential, name="credential"
    ),
]
