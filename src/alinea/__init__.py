"""alinea: sales and marketing set goals together and hold each other to them with real data."""

__version__ = "0.1.0"
