"""Jurisdiction packs: helplines, recipients, rules and pupil help, read from config/."""
