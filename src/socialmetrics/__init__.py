"""socialmetrics: platform exports in, a clean cross-platform warehouse and client reports out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("socialmetrics")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
