"""Online accounts and pages: reading what people type into a platform and a key."""
