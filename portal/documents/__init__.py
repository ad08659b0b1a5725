"""The portal's PDF documents: shared reportlab building blocks for receipts and letters."""
