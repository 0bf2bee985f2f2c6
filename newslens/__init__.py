"""newslens: offline analytical reports from Russian-language news."""

from newslens import config as _config

_config.limit_threads()  # before anything loads numpy (see ``config.PROCESS_THREADS``)

__version__ = "0.1.0"
