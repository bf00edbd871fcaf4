from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from pic.health import health
from reporting.views import CalendarFeedView, HomeView, SearchView

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("pic.privacy.urls")),
    path("", include("pic.notifications.urls")),
    path("", include("pic.notes.urls")),
    path("", include("neighbourhoods.urls")),
    path("", include("proposals.urls")),
    path("", include("governance.urls")),
    path("suivi/", include("reporting.urls")),
    path("recherche/", SearchView.as_view(), name="search"),
    path("agenda/<str:token>.ics", CalendarFeedView.as_view(), name="calendar-ics"),
    path("", HomeView.as_view(), name="home"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
