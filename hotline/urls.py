"""URL map: admin, the staff API and its schema (webhooks join in ``hotline.twilio``)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hotline import health

urlpatterns = [
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("metrics", health.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("twilio/", include("hotline.twilio.urls")),
    path("api/v1/", include("routing.urls")),
    path("api/v1/", include("cases.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
