"""The web page for students at `/`, and what other browser clients need (CORS, docs UI).

Everything a browser loads comes from this package: see README.md here for
the page's design and for where each third-party asset comes from.
"""

from judge_api.web.browsers import cors, docs_ui
from judge_api.web.routes import handlers

__all__ = ["cors", "docs_ui", "handlers"]
