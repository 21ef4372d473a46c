"""Notifications to citizens and staff through a transactional outbox."""
