"""Extract: find a client's files, read them as the platform wrote them, recognise each table."""
