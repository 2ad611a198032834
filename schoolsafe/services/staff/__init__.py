"""Staff accounts: signing in, second factors, password resets and a school's staff list."""
