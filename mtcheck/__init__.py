"""mtcheck: translation-quality checker for machine-translated documents.

Importing this package loads no model and reads no data; everything heavy is
loaded lazily by the stage that needs it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
