"""The PostgreSQL catalog of captures: connections, the embedded server and schema migrations."""
