"""Curation: the queue of proposed changes, problem reports, reviews and duplicates; records."""
