"""``/api/v1/`` routes for the reciprocity data and guidance."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from routing import views

router = SimpleRouter()
router.register("countries", views.JurisdictionViewSet, basename="country")
router.register("states", views.UsStateViewSet, basename="state")
router.register("arrangements", views.ArrangementViewSet, basename="arrangement")

urlpatterns = [
    path("guidance/", views.GuidanceView.as_view(), name="guidance"),
    *router.urls,
]
