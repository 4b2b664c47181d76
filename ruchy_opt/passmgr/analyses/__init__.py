"""Built-in analyses (imported one at a time, on first use, by the analysis manager)."""
