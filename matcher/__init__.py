"""Pure rules engine: plain dataclasses in, a package of support out. Imports nothing from Flask,
SQLAlchemy or the directory app."""
