"""Advocates: the people who recommend the store, their referral codes and sign-in links."""
