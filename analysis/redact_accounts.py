"""Organisations' own accounts and mailboxes, which are no one's personal data: "@CarersTrust", "@NCVO",
"@keepitlocal_uk", "facebook.com/KeepItLocalCampaign", "procurement@northumberland.gov.uk",
"hello@ourgarden.org.uk". A private person's handle or address ("@sarah_k_1984", "jo.bloggs@gmail.com",
"info.ahmed.yusuf@outlook.com") is still redacted."""

from __future__ import annotations

import re

from analysis.redact_lexicon import lexicon

# Words an organisation's account name is made of; matched inside run-together names ("keepitlocal").
ORG_PARTS = re.compile(r"(?i:trust|network|campaign|council|charity|charities|project|foundation|alliance|forum|association"
                       r"|partnership|centre|center|society|official|community|communities|local|action|support|services"
                       r"|collective|library|museum|coalition|federation|volunteer|carers|united|cymru|scotland|england|advice|rescue|relief"
                       r"|shelter|appeal|aid\b|uk$|youth|sport)")
# Short words that count only as a whole part: "KeepItLocalNet", "ncvo_hq", "leeds_fc".
ORG_WORDS = frozenset("net hub cic fc hq nhs org gov news info club team uk".split())
CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# A mailbox of a role, not a person, at an organisation's own domain.
ROLE_MAILBOX = frozenset("info hello enquiries enquiry admin office contact contactus procurement dpo team help support "
                         "bookings booking finance accounts membership volunteering volunteer press media comms "
                         "communications consultation consultations feedback complaints reception general mail post "
                         "secretary chair treasurer clerk director manager events commissioning grants funding policy "
                         "planning housing customerservices communities engagement partnerships haveyoursay yourviews "
                         "foi dataprotection democratic".split())
WEBMAIL = frozenset("gmail googlemail hotmail outlook live yahoo btinternet icloud aol sky talktalk virginmedia ntlworld "
                    "protonmail mail msn btopenworld tiscali blueyonder me".split())


# The writer's own account: "Find me on Instagram @...", "my TikTok", "follow me".
OWN_ACCOUNT_BEFORE = re.compile(r"(?i:\b(?:me|my|i'm|i am|mine)\b[^!?\n]{0,60})$")


OWN_ACCOUNT_AFTER = re.compile(r"(?i:[^.!?\n]{0,30}\b(?:that's me|thats me|it's me|(?<!not )mine|my (?:page|account)))")


def org_account(name: str, before: str = "", after: str = "") -> bool:
    """A handle or page name of an organisation: an acronym ("NCVO"), or made of organisation words, with no
    given name among its parts ("@CarersUnitedBarnsley_Sue" is one woman's) and not the writer's own."""
    name = name.lstrip("@")
    if OWN_ACCOUNT_BEFORE.search(before) or OWN_ACCOUNT_AFTER.match(after):
        return False
    if re.fullmatch(r"[A-Z]{2,6}", name):
        return True
    pieces = [p for chunk in re.split(r"[_.\-]+", name) for p in CAMEL_PART.findall(chunk)]
    parts = [p.lower() for p in pieces]
    lex = lexicon()
    if any(p in lex.given and not ORG_PARTS.fullmatch(p) and p not in ORG_WORDS for p in parts):
        return False
    # "@UKYouth", "@BBCSport", "@GroveHillYC": an acronym beside other words, none of them a person's name
    acronym = len(pieces) > 1 and any(len(p) >= 2 and p.isupper() for p in pieces) \
        and not any(p in lex.surnames for p in parts if len(p) > 2)
    return acronym or bool(ORG_PARTS.search(name)) or any(p in ORG_WORDS for p in parts[1:])


PUBLIC_BODY = re.compile(r"(?i:\.(?:gov\.uk|gov\.wales|gov\.scot|llyw\.cymru|nhs\.uk|nhs\.net|police\.uk|sch\.uk))$")


def role_mailbox(address: str) -> bool:
    """ "procurement@northumberland.gov.uk", "hello@ourgarden.org.uk": a role's box at an organisation's domain;
    at a public body's, any box whose name is one word and no given name ("safeguarding@cardiff.gov.uk"; not
    "jane.smith@...", "rhys@...")."""
    local, _, domain = address.partition("@")
    if PUBLIC_BODY.search(domain) and re.fullmatch(r"[A-Za-z]+", local) and local.lower() not in lexicon().given:
        return True
    return local.lower() in ROLE_MAILBOX and domain.split(".")[0].lower() not in WEBMAIL and "example" not in domain.lower()
