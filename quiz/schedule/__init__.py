"""Stages, due days, pass/fail, learning rate and the card memory model (pure)."""
