"""Pure rules of reviewdesk: no I/O, no web framework, no database session."""
