"""The staff workspace: Django's admin with the dashboard, flow map and simulator added."""

from django.contrib import admin
from django.urls import path


class HotlineAdminSite(admin.AdminSite):
    site_header = "Child support hotline: staff workspace"
    site_title = "Hotline staff"
    index_title = "Workspace"

    def get_urls(self):
        from hotline.workspace import views
        from routing.admin import review_queue

        return [
            path("dashboard/", self.admin_view(views.dashboard), name="dashboard"),
            path("flow-map/", self.admin_view(views.flow_map), name="flow_map"),
            path("simulator/", self.admin_view(views.simulator), name="simulator"),
            path("review-queue/", self.admin_view(review_queue), name="review_queue"),
            *super().get_urls(),
        ]
