"""A person's data requests across the whole product: one export or erasure of everything a
store keeps about an e-mail address and/or a phone number, gathered from each package's
``personal_data`` module."""
