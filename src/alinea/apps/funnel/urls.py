from django.urls import path

from alinea.apps.funnel import views

app_name = "funnel"
urlpatterns = [
    path("", views.funnel_page, name="index"),
    path("leads/", views.lead_list_page, name="leads"),
    path("leads/<str:lead_id>/", views.lead_timeline_page, name="lead"),
]
