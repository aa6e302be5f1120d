"""Access to the bureau knowledge base (offices_kb)."""
