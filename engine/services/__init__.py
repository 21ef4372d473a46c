"""Service functions: each owns its transaction and is what the web layer and the worker call."""
