"""Cases: opening and working them, the people on them, their chronology and checklist."""
