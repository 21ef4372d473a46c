"""WhatsApp through Meta's Cloud API (issue 15): the webhook, the conversation, and the worker's pass over it."""
