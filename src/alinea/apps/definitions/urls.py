from django.urls import path

from alinea.apps.definitions import views

app_name = "definitions"
urlpatterns = [
    path("", views.index_page, name="index"),
    path("lead/", views.lead_page, name="lead"),
    path("new/<slug:stage>/", views.new_draft, name="new"),
    path("<int:definition_id>/", views.version_page, name="version"),
    path("<int:definition_id>/edit/", views.edit_page, name="edit"),
    path("<int:definition_id>/<slug:action>/", views.version_action, name="action"),
]
