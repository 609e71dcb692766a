"""A sandbox onOffice and mailbox with German sample data, for demo mode and tests."""
