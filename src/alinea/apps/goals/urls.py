from django.urls import path

from alinea.apps.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list_page, name="index"),
    path("<int:goal_id>/", views.goal_page, name="detail"),
    path("<int:goal_id>/add/<slug:what>/", views.goal_add, name="add"),
]
