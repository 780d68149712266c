"""The domain core: values, entities and rules. Imports the standard library only."""
