"""String tables, one module per language, with the same keys."""
