"""Referrals to the One Front Door team: the record, its encrypted store and advisor accounts."""
