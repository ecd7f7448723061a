"""rcommerce: referrals, reviews, testimonials, sentiment and word-of-mouth reports for online stores."""

__version__ = "0.1.0"
