"""Database: engine and sessions, SQLAlchemy tables by area, Alembic migrations."""
