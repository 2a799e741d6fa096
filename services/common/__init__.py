"""The only shared server code: config, logging, errors, interceptors, lifecycle, health, metrics."""
