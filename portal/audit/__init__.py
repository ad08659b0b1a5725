"""The audit log: every state change, who made it, and what it was before and after."""
