from django.urls import path

from alinea.apps.sla import alert_views, policy_views, views

app_name = "sla"
urlpatterns = [
    path("", views.scorecard_page, name="index"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("inbox/decide/", views.inbox_decide, name="inbox_decide"),
    path("inbox/attempt/", views.inbox_attempt, name="inbox_attempt"),
    path("alerts/", alert_views.alerts_page, name="alerts"),
    path("policy/", policy_views.policy_page, name="policy"),
    path("policy/<int:policy_id>/", policy_views.policy_page, name="policy_version"),
    path("policy/<int:policy_id>/edit/", policy_views.policy_edit, name="policy_edit"),
    path("policy/<int:policy_id>/<slug:action>/", policy_views.policy_action, name="policy_action"),
]
