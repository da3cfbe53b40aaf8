"""Third-party admin pages, held to the hotline's rule: an action needs its effect's permission."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin


class GuardedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes offers its clean-up (a deletion) to anyone who may view the attempts."""

    @admin.action(description="Clean up expired attempts", permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, GuardedAccessAttemptAdmin)
