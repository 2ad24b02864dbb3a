"""The scoreboard: each team's headline numbers, quarter to date against the last quarter."""
