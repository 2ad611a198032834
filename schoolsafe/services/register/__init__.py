"""The register: entries for places that recur, their history, status and lookalikes."""
