"""Feeds: import Open Referral UK / HSDS 3.0 data and our spreadsheet, and export the directory.

- ``readers``: files into records (``directory.oruk.records``);
- ``validate``: records checked and resolved (postcodes, needs, vocabularies) into a plan;
- ``apply``: the plan written in bulk, all or nothing;
- ``mapping``: external taxonomy terms -> our need codes;
- ``curation``: fields a curator corrected by hand;
- ``export``: the directory as ORUK JSON, an HSDS data package, or our spreadsheet.
"""
