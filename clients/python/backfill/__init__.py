"""A client for the Backfill GPU marketplace's HTTP API (standard library only)."""

from backfill._version import __version__
from backfill.client import ApiError, Client

__all__ = ["ApiError", "Client", "__version__"]
