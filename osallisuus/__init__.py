"""osallisuus: evaluation of client participation and co-development, THL style."""
__version__ = "0.1.0"
