"""Demo data for `reviewdesk demo`: shops, catalogue, buyers and review texts."""
