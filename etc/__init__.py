"""Configuration and reference data: workflows, demo content, deployment examples."""
