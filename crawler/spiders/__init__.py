"""The spiders: one generic outlet spider, specialised per outlet by its definition."""
