"""Tables, database connection and migrations: the only place that knows SQL."""
