"""Two-lead signing, shared by every agreement both teams must sign (SLA, stage definitions, goal
changes): draft → proposed → approved by the marketing lead *and* the sales lead → active."""
