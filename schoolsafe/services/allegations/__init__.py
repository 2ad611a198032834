"""Reports and cases about a member of staff: who they go to, and who may see them.

visibility.py is the one place that hides them from everyone but the allegations contacts;
contacts.py says who those contacts are for one report.
"""
