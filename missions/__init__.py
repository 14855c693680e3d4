"""Trade missions (misi dagang): a province's mission, the listings its regions enrol, meeting
requests in the mission's time slots, and the outcomes counted afterwards."""
