"""reviewdesk: product ratings and reviews platform."""

__version__ = "0.1.0"
