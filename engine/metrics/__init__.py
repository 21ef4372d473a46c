"""Monitoring response time and efficiency (MSA s95(h)): figures from SQL over cases, tasks and events."""
