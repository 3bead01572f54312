"""The Textual app: screens, widgets and styles. Never touches SQL or the ORM."""
