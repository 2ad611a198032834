"""Made-up data for development and benchmarks; never imported in production."""
