"""What every blueprint shares, so no blueprint imports another's modules.

audit.py        the audit row for a view's action (who did what to which record)
paging.py       which page of a list the address asks for
forms.py        form fields and validators used across the forms
report_form.py  the report form, asked by pupils and (reworded) by staff logging a concern
report_input.py that form as the service's ReportInput, and its errors next to their answers
home.py         where a signed-in member of staff starts
"""
