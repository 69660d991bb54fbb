from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("nouvelle/", views.request_new, name="new"),
    path("mes-demandes/", views.my_requests, name="mine"),
    path("mes-demandes/<int:pk>/", views.my_request, name="request"),
    path(
        "mes-demandes/<int:pk>/decision/<str:decision>/",
        views.my_request_decision,
        name="request_decision",
    ),
    path(
        "mes-demandes/<int:pk>/pieces/<int:attachment_pk>/",
        views.my_attachment,
        name="attachment",
    ),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("aide/<int:pk>/", views.article, name="article"),
]
