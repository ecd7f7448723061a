"""Word-of-mouth reports: daily roll-ups, the report, its API and the weekly digest."""
