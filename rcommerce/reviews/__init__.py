"""Reviews and testimonials: verified collection, honest moderation, replies, votes, import/export and rich-snippet markup."""
