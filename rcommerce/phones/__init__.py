"""Messages to a person known by phone, whatever they are about: the channels configured
(Zalo ZNS, then SMS), the signed opt-out link every SMS that they did not ask for carries, and
the phones that used it (no more review requests or programme messages from that store)."""
