"""Read queries: the only place that builds SELECTs for views and the API."""
