"""SQLite storage: engine, ORM models, versioned migrations with backups."""
