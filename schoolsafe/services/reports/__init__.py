"""Reports from pupils and staff: taking them in, urgency, the queue and the thread."""
