"""The module fixture ``simulated_2025`` (a real registry and one simulated edition) is in tests/conftest.py."""
