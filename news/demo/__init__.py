"""Demo content for a fresh portal, loaded by ``manage.py load_demo``."""
