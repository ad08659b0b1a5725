"""The pool ("puljen"): its parameters, budget categories and timeline, and the public front page."""
