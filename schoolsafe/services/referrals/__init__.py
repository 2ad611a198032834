"""Referral notes: who may receive what, drafting, the note's text and its state."""
