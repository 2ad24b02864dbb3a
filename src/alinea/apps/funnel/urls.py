from django.urls import path

from alinea.apps.funnel import views

app_name = "funnel"
urlpatterns = [
    path("", views.funnel_page, name="index"),
    path("leads/", views.lead_list_page, name="leads"),
    # ``path``: lead ids come from the CRM and may contain "/" (e.g. "hubspot/123")
    path("leads/<path:lead_id>/", views.lead_timeline_page, name="lead"),
]
