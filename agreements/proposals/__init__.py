"""What reaches the office from outside the register: the proposals sent to the region
(triage.py: accept into preparation, ask for more, decline; forms, views) and the inquiries a
member sent about another region's listing, turned into an offer (inquiries.py, inquiry_forms.py,
inquiry_views.py). The proposer's own side is in cooperation/."""
