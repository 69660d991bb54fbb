from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("inscription/<int:course_id>/", views.enrol, name="enrol"),
]
