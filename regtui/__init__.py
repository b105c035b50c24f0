"""regtui: container registry credentials, checks, mirrors and Docker Hub rate limits."""

__version__ = "0.1.0"
