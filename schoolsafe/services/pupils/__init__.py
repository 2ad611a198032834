"""The pupil directory: pupils, their import, their names in every spelling, and search."""
