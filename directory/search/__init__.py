"""Finding services: typo-tolerant text search with filters, over SQLite or PostgreSQL.

``search_services(session, SearchQuery(...))`` answers one page of ``SearchHit``s. The directory is
held in memory (``index.py``: word postings and filter columns, rebuilt when the directory changes);
filters narrow first, then words find candidates, rapidfuzz re-ranks the best, and the page's
services are loaded from the database. ``filters.py`` holds the same filters as SQL.
"""

from directory.search import freshness
from directory.search.engine import nearest_matches, search_services
from directory.search.query import SORTS, SearchHit, SearchQuery, SearchResults

freshness.install()

__all__ = [
    "SORTS",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "nearest_matches",
    "search_services",
]
