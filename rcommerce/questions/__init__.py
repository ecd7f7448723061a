"""Product questions and answers: shoppers ask, the store and verified buyers answer."""
