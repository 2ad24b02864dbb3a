from django.urls import path

from alinea.apps.imports import mapping_views, views

app_name = "imports"
urlpatterns = [
    path("", views.data_index, name="index"),
    path("jobs/<int:job_id>/", views.data_job, name="job"),
    path("jobs/<int:job_id>/status/", views.data_job_status, name="job_status"),
    path("jobs/<int:job_id>/commit/", views.data_job_commit, name="job_commit"),
    path("jobs/<int:job_id>/map/", mapping_views.data_job_map, name="job_map"),
    path("<int:record_id>/rollback/", views.data_rollback, name="rollback"),
]
