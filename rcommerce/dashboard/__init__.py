"""The manager dashboard: server-rendered pages behind a login."""
