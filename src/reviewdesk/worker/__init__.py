"""Background work through Huey: thin tasks that call services."""
