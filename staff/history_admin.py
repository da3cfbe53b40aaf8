"""The change history in the admin, where looking is viewing and reverting is changing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history lets anyone who may view the history post its revert form; a
    revert rewrites the row, so here it needs the model's change permission."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
