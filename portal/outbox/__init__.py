"""The transactional mail outbox: mail is queued with the change, and delivered after commit."""
