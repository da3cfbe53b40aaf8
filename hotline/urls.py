"""URL map: admin, the staff API and its schema (webhooks join in ``hotline.twilio``).

``/health/``, ``/ready/`` and ``/metrics`` are answered by
``hotline.middleware.OpsEndpointsMiddleware``, before host validation."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

#: Swagger UI's files come from its CDN; its start-up script is served apart (no inline code).
SWAGGER_CDN = "https://cdn.jsdelivr.net"
api_docs = csp_update(
    {"script-src": [SWAGGER_CDN], "style-src": [SWAGGER_CDN], "img-src": [SWAGGER_CDN]}
)(SpectacularSwaggerSplitView.as_view(url_name="schema"))

urlpatterns = [
    path("admin/", admin.site.urls),
    path("twilio/", include("hotline.twilio.urls")),
    path("api/v1/", include("routing.urls")),
    path("api/v1/", include("cases.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
]
