"""Batho engine: domain, persistence, the SpiffWorkflow wrapper, services and scheduler (no HTTP here)."""
