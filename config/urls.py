from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from decisions.views import personal as decisions_personal
from decisions.views.settings import DecisionSettingsView
from ecosystem import views as ecosystem_views

urlpatterns = [
    path("", ecosystem_views.home, name="home"),
    path("healthz", ecosystem_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("invitation/<str:token>/", ecosystem_views.accept_invitation, name="accept_invitation"),
    path("me/notifications/", decisions_personal.notification_settings, name="notification_settings"),
    path("n/<slug:network_slug>/", include("ecosystem.urls")),
    path("n/<slug:network_slug>/partners/", include("partners.urls")),
    path("n/<slug:network_slug>/decision-settings/", DecisionSettingsView.as_view(), name="decision_settings"),
    path("n/<slug:network_slug>/proposals/", include("decisions.urls")),
    path("n/<slug:network_slug>/experiments/", include("experiments.urls")),
    path("admin/", admin.site.urls),
]
