"""The advocate portal: magic-link sign-in, the referral link, earnings and the ledger."""
