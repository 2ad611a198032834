"""What an operator runs: readiness, the queue's state, backups and the restore drill."""
