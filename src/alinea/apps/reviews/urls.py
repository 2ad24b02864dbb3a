from django.urls import path

from alinea.apps.reviews import session_views, views

app_name = "reviews"
urlpatterns = [
    path("", views.meetings_page, name="index"),
    path("<int:review_id>/", views.review_page, name="review"),
    path("<int:review_id>/<slug:what>/", views.review_act, name="review_act"),
    path("sessions/<int:session_id>/", session_views.session_page, name="session"),
    path(
        "sessions/<int:session_id>/goals/<int:goal_id>/",
        session_views.session_answers,
        name="session_answers",
    ),
    path("sessions/<int:session_id>/<slug:what>/", session_views.session_act, name="session_act"),
]
