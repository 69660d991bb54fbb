from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm

app_name = "identity"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="identity/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("lien/", views.magic_link_ask, name="magic_link_ask"),
    path("demande/", views.account_request, name="account_request"),
    path("deuxieme-facteur/", views.totp_verify, name="totp_verify"),
    path("confirmer/", views.confirm, name="confirm"),
    path("sessions/fermer/", views.sign_out_other_sessions, name="sign_out_everywhere"),
    path("deuxieme-facteur/activer/", views.totp_setup, name="totp_setup"),
    path("lien/<str:token>/", views.magic_link_open, name="magic_link"),
    path("universite/", views.university_choose, name="university_choose"),
    path(
        "universite/<int:pk>/connexion/",
        views.university_sign_in,
        name="university_sign_in",
    ),
    path("universite/relier/", views.university_link, name="university_link"),
    path("methodes/retirer/", views.sign_in_method_unlink, name="method_unlink"),
    path("methodes/lien/activer/", views.magic_link_turn_on, name="magic_link_on"),
    path("saml/acs/", views.saml_acs, name="saml_acs"),
    path("saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("mot-de-passe/", views.PasswordResetAsk.as_view(), name="password_reset"),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="identity/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="identity/password_reset_confirm.html",
            success_url=reverse_lazy("identity:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="identity/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
