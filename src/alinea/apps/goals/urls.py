from django.urls import path

from alinea.apps.goals import actions, plan_views, views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list_page, name="index"),
    path("preview/", views.goal_preview, name="preview"),
    path("<int:goal_id>/", views.goal_page, name="detail"),
    path("<int:goal_id>/plan/", plan_views.goal_plan_page, name="plan"),
    path("<int:goal_id>/add/<slug:what>/", actions.goal_add, name="add"),
    path(
        "<int:goal_id>/initiatives/<int:initiative_id>/status/",
        actions.initiative_status,
        name="initiative-status",
    ),
    path("<int:goal_id>/changes/", actions.goal_change_propose, name="change-propose"),
    path(
        "<int:goal_id>/changes/<int:change_id>/sign/",
        actions.goal_change_sign,
        name="change-sign",
    ),
    path("asks/<int:ask_id>/answer/", actions.ask_answer, name="ask-answer"),
]
