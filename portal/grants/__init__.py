"""Grant letters (tilsagn): issue, accept or decline, payments, change requests."""
