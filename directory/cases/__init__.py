"""Cases, warm handovers and follow-up: closing the loop on every referral.

- ``records``: open, consent, close, find, administrators' reasoned access;
- ``referrals``: handover levels (H0-H4) and each referral's lifecycle;
- ``followup``: the checks made automatically and the team's list of what is due;
- ``retention``: ``flask purge`` and anonymous counts; ``export``: subject access;
- ``views``: the pages under /cases; ``cli``: the commands.
"""
