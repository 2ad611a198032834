"""The audit trail: recording who viewed or changed what, and reading it back."""
