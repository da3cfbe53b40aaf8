"""``/api/v1/`` routes for conversations, handoffs and messages."""

from rest_framework.routers import SimpleRouter

from cases import views

router = SimpleRouter()
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("handoffs", views.HandoffViewSet, basename="handoff")
router.register("messages", views.MessageViewSet, basename="message")

urlpatterns = router.urls
