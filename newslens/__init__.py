"""newslens: offline analytical reports from Russian-language news."""

__version__ = "0.1.0"
