"""URL map: a landing page, admin, the staff API, its schema (webhooks: ``hotline.twilio``).

``/health/``, ``/ready/`` and ``/metrics`` are answered by
``hotline.middleware.OpsEndpointsMiddleware``, before host validation."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hotline.landing import landing

urlpatterns = [
    path("", landing, name="landing"),
    path("admin/", admin.site.urls),
    path("twilio/", include("hotline.twilio.urls")),
    path("api/v1/", include("routing.urls")),
    path("api/v1/", include("cases.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from the project's static files (sidecar); its start-up script is served apart
    # (the split view), so the Content-Security-Policy needs no inline code.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
