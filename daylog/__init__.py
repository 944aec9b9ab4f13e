"""daylog: daily study logs for a team."""

from daylog._version import __version__

__all__ = ["__version__"]
