"""REST API under /api/v1 (FastAPI): thin routers over the services."""
