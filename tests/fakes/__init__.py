"""Real-socket fakes of the outside systems (Entra ID, ...), reusable by every test package."""
