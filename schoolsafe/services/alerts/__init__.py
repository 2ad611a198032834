"""Alerts: who is told about a report, school hours, and escalation when nobody answers."""
