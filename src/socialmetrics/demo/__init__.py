"""The demo agency: clients, months and accounts; each platform writes its own files."""
