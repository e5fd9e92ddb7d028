"""`hilos serve`: the SPARQL 1.1 Protocol endpoint and its routes (`http`), the explorer's
page and JSON API (`explorer`), and the note a running server leaves beside its store
(`serving`). The command line starts it; nothing below the interfaces imports it."""
