"""The bundled corridor dataset and its loader."""
