"""Who the customers are: the shopper segments each buyer belongs to, computed per store by a
scheduled job from what the other packages observed, with the reason for each membership."""
