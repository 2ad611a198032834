"""Insight: grouped counts for governors and trusts, never a pupil's words."""
