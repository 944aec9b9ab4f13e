"""daylog: daily study logs for a team."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("daylog")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
