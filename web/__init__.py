"""Lectern's edge: the command line now, the Flask application as it arrives."""
