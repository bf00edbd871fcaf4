"""Notes on a file, with @mentions (see services.py); the models are registered by the pic app
(pic/models.py), the files and their audience by the apps (registry.py)."""
