"""The web application: ``create_app(settings)`` builds it; ``speerpunt serve`` runs it.

See docs/web.md for the pages, the API and the security model.
"""

from speerpunt.web.app import create_app
from speerpunt.web.config import Settings

__all__ = ["Settings", "create_app"]
