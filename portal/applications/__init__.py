"""Applications: a kommune fills in the agency's template and submits it; caseworkers read them."""
