"""The service desk's pages, one module per part."""
