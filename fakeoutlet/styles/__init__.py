"""The markup and URL schemes of the fake outlets: one module per style."""
