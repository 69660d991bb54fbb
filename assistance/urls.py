from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("nouvelle/", views.request_new, name="new"),
    path("mes-demandes/", views.my_requests, name="mine"),
    path("mes-demandes/<int:pk>/", views.my_request, name="request"),
]
