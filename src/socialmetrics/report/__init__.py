"""Reports: the month's data from the marts, rendered as HTML, PDF and Excel."""
