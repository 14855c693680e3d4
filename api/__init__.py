"""The versioned public API (/api/v1/) with its generated OpenAPI schema."""
