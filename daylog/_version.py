# The one place the version is written: pyproject.toml reads it into the package
# metadata (so `importlib.metadata.version("daylog")` agrees), and `daylog --version`
# prints it without paying for importlib.metadata at start-up.
__version__ = "0.1.0"
