"""Users, teams, memberships with roles, API tokens, and the permission rules built on them."""
