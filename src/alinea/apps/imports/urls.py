from django.urls import path

from alinea.apps.imports import mapping_views, profile_views, views

app_name = "imports"
urlpatterns = [
    path("", views.data_index, name="index"),
    path("jobs/<int:job_id>/", views.data_job, name="job"),
    path("jobs/<int:job_id>/status/", views.data_job_status, name="job_status"),
    path("jobs/<int:job_id>/commit/", views.data_job_commit, name="job_commit"),
    path("jobs/<int:job_id>/map/", mapping_views.data_job_map, name="job_map"),
    path("<int:record_id>/rollback/", views.data_rollback, name="rollback"),
    path("mappings/", profile_views.data_mappings, name="mappings"),
    path("mappings/<slug:name>/", profile_views.data_mapping, name="mapping"),
    path("mappings/<slug:name>/copy/", profile_views.data_mapping_copy, name="mapping_copy"),
    path("mappings/<slug:name>/delete/", profile_views.data_mapping_delete, name="mapping_delete"),
]
