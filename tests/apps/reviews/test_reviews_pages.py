"""The meeting pages through HTTP: start a session, run the timer, answer the five questions, close
it and read the minutes; plan, open and close a review; Spanish; who may do what."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alinea.apps.reviews.models import GoalSession, Review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def _session_post(people, goal) -> dict[str, object]:
    return {
        "kind": "session", "session-title": "Q3 goals", "session-held_on": "2025-06-11",
        "session-budget_minutes": "40", "session-goals": [str(goal.pk)],
        "session-participants": [str(people["maria"].pk), str(people["sam"].pk)],
    }  # fmt: skip


def _main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_a_session_from_start_to_minutes(client: Client, people, goal) -> None:
    maria = _login(client, people["maria"])
    assert "No sessions yet." in maria.get("/reviews/").content.decode()
    response = maria.post("/reviews/", _session_post(people, goal))
    session = GoalSession.objects.get()
    assert response["Location"] == f"/reviews/sessions/{session.pk}/"
    html = maria.get(response["Location"]).content.decode()
    assert html.count("data-timer ") == 2
    assert 'data-budget="1200.0"' in html  # 40 minutes, 20 per team
    assert "/static/reviews/timer.js" in html
    for question in range(1, 6):
        assert f"<legend>{question}. " in html

    maria.post(f"/reviews/sessions/{session.pk}/timer/", {"team": "marketing"})
    html = maria.get(f"/reviews/sessions/{session.pk}/").content.decode()
    assert re.search(r'data-team="marketing" data-used="[\d.]+" data-budget="1200.0" '
                     r'data-running="true"', html)  # fmt: skip
    prefix = f"goal-{goal.pk}"
    answers = {
        f"{prefix}-title": goal.title, f"{prefix}-why": "Pipeline for Q3",
        f"{prefix}-initiatives": "Website conversion optimisation\nPaid-search strategy",
        f"{prefix}-obstacles": "Slow pages", f"{prefix}-resource_kind": "analysis",
        f"{prefix}-resources": "Keyword report", f"{prefix}-asked_team": "sales",
        f"{prefix}-asks": "Call paid-search MQLs first",
    }  # fmt: skip
    response = maria.post(f"/reviews/sessions/{session.pk}/goals/{goal.pk}/", answers, follow=True)
    assert "Answers written into the goal" in response.content.decode()
    maria.post(f"/reviews/sessions/{session.pk}/decision/", {"text": "Meet every two weeks"})
    maria.post(f"/reviews/sessions/{session.pk}/close/")

    goal_page = maria.get(f"/goals/{goal.pk}/").content.decode()
    for text in ("Pipeline for Q3", "Paid-search strategy", "Slow pages", "Keyword report",
                 "Call paid-search MQLs first"):  # fmt: skip
        assert text in goal_page
    html = maria.get(f"/reviews/sessions/{session.pk}/").content.decode()
    minutes = html[html.index("data-minutes>") :]
    for text in ("maria", "sam", "Meet every two weeks", "Website conversion optimisation",
                 "Analysis: Keyword report", "Sales: Call paid-search MQLs first",
                 "Why: Pipeline for Q3"):  # fmt: skip
        assert text in html
    assert "data-answers-form" not in html  # closed: no more answers
    assert re.search(r'<span data-team="sales">Sales: 0:00 / 20:00</span>', minutes)


def test_a_sales_member_cannot_change_a_marketing_goal_in_a_session(
    client: Client, people, goal
) -> None:
    _login(client, people["maria"]).post("/reviews/", _session_post(people, goal))
    session = GoalSession.objects.get()
    rita = _login(client, people["rita"])
    prefix = f"goal-{goal.pk}"
    response = rita.post(
        f"/reviews/sessions/{session.pk}/goals/{goal.pk}/",
        {f"{prefix}-obstacles": "Sales says no", f"{prefix}-resource_kind": "data",
         f"{prefix}-asked_team": "marketing"},
        follow=True,
    )  # fmt: skip
    assert "Only marketing and sales members may do this." in response.content.decode()
    assert goal.obstacles.count() == 0


def test_a_viewer_sees_meetings_but_cannot_run_them(client: Client, people, goal) -> None:
    lena = _login(client, people["lena"])
    html = lena.get("/reviews/").content.decode()
    assert "data-session-form" not in html
    response = lena.post("/reviews/", _session_post(people, goal))
    assert response.status_code == 200
    assert not GoalSession.objects.exists()


def test_a_review_is_planned_opened_decided_and_closed(client: Client, people, goal) -> None:
    sam = _login(client, people["sam"])
    post = {"kind": "review", "review-title": "June review", "review-scheduled_for": "2025-06-12",
            "review-participants": [str(people["maria"].pk), str(people["sam"].pk)]}  # fmt: skip
    response = sam.post("/reviews/", post)
    review = Review.objects.get()
    assert response["Location"] == f"/reviews/{review.pk}/"
    html = sam.get(f"/reviews/{review.pk}/").content.decode()
    assert 'data-snapshot="live"' in html
    assert f'<tr data-goal="{goal.pk}"' in html
    assert "No SLA in force" in html
    assert re.search(r'<tr data-stage="mql">.*?<td data-stalled>3</td>', html)
    sam.post(f"/reviews/{review.pk}/open/")
    sam.post(f"/reviews/{review.pk}/decision/", {"text": "Sales calls back within 4 hours"})
    sam.post(f"/reviews/{review.pk}/close/")
    html = sam.get(f"/reviews/{review.pk}/").content.decode()
    assert 'data-snapshot="frozen"' in html
    assert "data-closing" in html
    assert "Sales calls back within 4 hours" in html
    assert "1 check-in missed (every 7 days; first due 2025-06-08)" in html


def test_the_pages_in_spanish(client: Client, people, goal) -> None:
    maria = _login(client, people["maria"])
    maria.post("/i18n/setlang/", {"language": "es"})
    maria.post("/reviews/", _session_post(people, goal))
    session = GoalSession.objects.get()
    html = _main(maria.get(f"/reviews/sessions/{session.pk}/").content.decode())
    assert "¿Qué obstáculos hay en el camino?" in html
    assert "Cerrar la sesión" in html
    index = _main(maria.get("/reviews/").content.decode())
    assert "Planificar una revisión" in index
    both = [people["maria"].pk, people["sam"].pk]
    plan = {"kind": "review", "review-title": "Junio", "review-scheduled_for": "2025-06-12",
            "review-participants": both}  # fmt: skip
    maria.post("/reviews/", plan)
    review = _main(maria.get(f"/reviews/{Review.objects.get().pk}/").content.decode())
    for spanish in ("Estancamientos en el embudo", "Objetivos y su estado",
                    "Incumplimientos del SLA", "1 seguimiento pendiente (cada 7 días"):  # fmt: skip
        assert spanish in review


def test_the_reviews_section_is_built(client: Client, people) -> None:
    html = _login(client, people["lena"]).get("/reviews/").content.decode()
    assert "Not built yet" not in html
    assert 'href="/reviews/" class="nav-link is-active"' in html
