"""The shop's own records: products, orders, fulfilments and refunds."""
