"""Finding services: typo-tolerant text search with filters, over SQLite or PostgreSQL.

``search_services(session, SearchQuery(...))`` answers one page of ``SearchHit``s. Filters run in SQL
first; text goes through an in-memory word index (``index.py``) and rapidfuzz re-ranking.
"""

from directory.search import freshness
from directory.search.engine import nearest_matches, search_services
from directory.search.query import FINDABLE_STATUSES, SORTS, SearchHit, SearchQuery, SearchResults

freshness.install()

__all__ = [
    "FINDABLE_STATUSES",
    "SORTS",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "nearest_matches",
    "search_services",
]
