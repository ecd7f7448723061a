"""The referral programme: campaigns, signed links, clicks, attribution, rewards, the ledger."""
