"""Batho engine: domain, persistence, the workflow library behind engine/bpmn, services and scheduler (no HTTP here)."""
