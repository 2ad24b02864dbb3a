"""Imports: the record of every import into the warehouse, its rollback, and saved mappings."""
