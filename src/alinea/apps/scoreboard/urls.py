from django.urls import path

from alinea.apps.scoreboard import views

app_name = "scoreboard"
urlpatterns = [path("", views.scoreboard_page, name="index")]
