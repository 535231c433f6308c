"""Server-rendered pages: public product and shop pages, the buyer's review form."""
