"""Blueprints of the web pages people read (the OAI endpoint lives in `web.oai_view`)."""
