from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from klantocratie.accounts import views as account_views

admin.site.site_header = "klantocratie beheer"
admin.site.site_title = "klantocratie"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("klantocratie.accounts.urls")),
    path("klantbeeld/", include("klantocratie.clientview.urls")),
    path("balie/", include("klantocratie.frontoffice.urls")),
    path("contacten/", include("klantocratie.contacts.urls")),
    path("zaken/", include("klantocratie.cases.urls")),
    path("kennisbank/", include("klantocratie.knowledge.urls")),
    path("signalen/", include("klantocratie.signals.urls")),
    path("koppelingen/", include("klantocratie.linkage.urls")),
    path("", include("klantocratie.trends.urls")),
    path("mijn/feedback/", include("klantocratie.feedback.urls")),
    path("mijn/participatie/", include("klantocratie.participation.urls")),
    path("mijn/", include("klantocratie.portal.urls")),
    path("api/", include("klantocratie.api.urls")),
    path("beheer/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
