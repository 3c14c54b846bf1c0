"""A hand-written DOCUMENT (format 1) for the report renderer: Keep it Local, six consulted principles
(one rejected), two new candidate principles, campaign responses and suppressed cells."""
from __future__ import annotations

import copy

from analysis.shares import percent

SCALE = (("strongly_agree", "Strongly agree"), ("agree", "Agree"), ("neither", "Neither agree nor disagree"),
         ("disagree", "Disagree"), ("strongly_disagree", "Strongly disagree"), ("dont_know", "Don't know"))
GROUPS = (("community", "Community organisations"), ("councils", "Councils and commissioners"), ("others", "Others"))
MIN_CELL = 5


def _agreement(counts, by_group):
    """counts: six scale counts in SCALE order (None = suppressed); by_group: (n, agree %) per group or None."""
    known = [c for c in counts if c is not None]
    total = sum(known) + sum(1 for c in counts if c is None) * 3  # suppressed cells hold a small hidden count
    rows = [{"value": value, "label": label, "count": count,
             "percent": None if count is None else percent(count, total), "suppressed": count is None}
            for (value, label), count in zip(SCALE, counts)]
    agree = sum(c or 0 for c in counts[:2])
    disagree = sum(c or 0 for c in counts[3:5])
    return {"total": total, "agree_percent": percent(agree, total),
            "disagree_percent": percent(disagree, total), "rows": rows,
            "by_group": [{"group": g, "label": label, "n": None if cell is None else cell[0],
                          "agree_percent": None if cell is None else cell[1], "suppressed": cell is None}
                         for (g, label), cell in zip(GROUPS, by_group)]}


def _quotes(items):
    return [{"id": f"q-{answer_id}", "text": text, "attribution": who, "answer_id": answer_id,
             "respondent_id": respondent_id} for answer_id, respondent_id, who, text in items]


def _said(items):
    return [{"text": text, "answer_id": answer_id, "respondent_id": f"r-{answer_id}"} for answer_id, text in items]


def _principle(number, headline, statement, explanation, status, agreement, heard, themes, reasons_for,
               reasons_against, quotes, candidates=()):
    return {"id": f"p{number}", "number": number, "source": "consulted", "headline": headline,
            "consulted_statement": statement, "explanation": explanation, "status": status,
            "agreement": agreement, "what_we_heard": _said(heard),
            "themes": [{"name": n, "count": c, "respondents": r} for n, c, r in themes],
            "reasons_for": _said(reasons_for), "reasons_against": _said(reasons_against),
            "quotes": _quotes(quotes), "quote_candidates": _quotes(candidates)}


PRINCIPLES = [
    _principle(
        1, "Think about the whole system, not service silos",
        "Think about the whole system, not service silos",
        "People's lives do not fit neatly into separate services. This principle asks councils to look at how "
        "services work together for people and places, rather than buying each service on its own.",
        "supported", _agreement((182, 141, 38, 19, 8, None), [(251, 84.1), (97, 71.1), (40, 65.0)]),
        [("a-1042", "Families we support are passed between five different contracts and none of them owns the problem."),
         ("a-2217", "When the council bought housing support and debt advice separately, referrals between them dried up."),
         ("a-0388", "Joint budgets with health have let us keep people out of hospital instead of arguing about who pays.")],
        [("Joined-up services", 164, 151), ("Referral pathways", 77, 70), ("Pooled budgets", 41, 39)],
        [("a-1042", "People with several needs fall between contracts that each cover one of them."),
         ("a-0388", "Pooled budgets with health have already reduced hospital admissions in some areas.")],
        [("a-3120", "Whole-system commissioning can become an excuse for one huge contract that shuts out small providers.")],
        [("a-1042", "r-7K2M", "A charity (Hilltop Trust)",
          "Families we support are passed between five different contracts and none of them owns the problem. "
          "A single plan for the family would save everyone time."),
         ("a-2217", "r-9QXD", "Priya Shah",
          "When the council bought housing support and debt advice separately, referrals between them dried up "
          "within a year."),
         ("a-3120", "r-4TRW", "Councillor",
          "I agree in principle, but whole-system thinking must not become a reason to bundle everything into one "
          "contract that only national firms can bid for.")],
        [("a-0388", "r-2ZZA", "Anonymous respondent",
          "Joint budgets with health have let us keep people out of hospital instead of arguing about who pays.")]),
    _principle(
        2, "Plan and join up services around neighbourhoods",
        "Coordinate services at the neighbourhood level",
        "Local organisations know their neighbourhoods and are often trusted in ways that large providers are not.",
        "supported", _agreement((156, 149, 52, 16, 6, 9), [(248, 81.5), (94, 62.8), (46, 58.7)]),
        [("a-1501", "Residents trust the community centre in a way they will never trust a call centre."),
         ("a-1733", "Neighbourhood hubs have cut the time it takes to get someone the right help from weeks to days.")],
        [("Trusted local organisations", 139, 128), ("Neighbourhood hubs", 88, 80), ("Rural areas", 23, 21)],
        [("a-1501", "Trust in local organisations brings in people who avoid statutory services.")],
        [("a-1874", "Neighbourhood boundaries drawn by the council rarely match how people actually live.")],
        [("a-1501", "r-6HJK", "A community organisation",
          "Residents trust the community centre in a way they will never trust a call centre."),
         ("a-1733", "r-8LMN", "Sam Jones",
          "Our neighbourhood hub cut the time it takes to get someone the right help from weeks to days."),
         ("a-1874", "r-3PQR", "Anonymous respondent",
          "Neighbourhood boundaries drawn by the council rarely match how people actually live, especially in "
          "villages that share a bus route and a GP surgery.")]),
    _principle(
        3, "Increase local spend to invest in the local economy",
        "Increase local spend to invest in the local economy",
        "Money spent with local organisations tends to stay in the area. This principle asks councils to spend "
        "more of their budget locally.",
        "rejected", _agreement((41, 58, 61, 112, 96, 22), [(180, 42.8), (141, 12.1), (None)]),
        [("a-4410", "Procurement rules require us to get best value, and a local spend target would be challenged."),
         ("a-4502", "Local is not always better: some specialist services are only provided well at regional scale.")],
        [("Procurement law", 131, 117), ("Best value", 96, 90), ("Social value", 64, 58)],
        [("a-4630", "Money spent locally pays local wages and keeps volunteers in the area.")],
        [("a-4410", "A fixed local spend target conflicts with procurement law and best value duties."),
         ("a-4502", "Specialist services such as domestic abuse refuges are often better commissioned regionally."),
         ("a-4588", "Social value weighting already rewards local benefit without a spend target.")],
        [("a-4410", "r-1ABC", "A council officer",
          "Procurement rules require us to get best value, and a local spend target would be challenged by the "
          "first national provider that loses a tender."),
         ("a-4502", "r-5DEF", "A charity (Safe Haven Refuges)",
          "Local is not always better. Refuge places have to be commissioned across areas so that women can move "
          "away from the person who harmed them."),
         ("a-4630", "r-7GHI", "Anonymous respondent",
          "Money spent locally pays local wages and keeps volunteers in the area, so I would keep the aim but drop "
          "the target.")]),
    _principle(
        4, "Invest in early help now to save costs tomorrow",
        "Focus on early intervention now to save costs tomorrow",
        "Helping people early is better for them and usually costs less. Local organisations are often the first "
        "to notice when someone needs help.",
        "supported", _agreement((221, 118, 21, 11, None, 7), [(260, 90.0), (101, 80.2), (19, 73.7)]),
        [("a-5120", "Our befriending service is cut first every year, and then the same people arrive at A&E."),
         ("a-5267", "Prevention budgets need protecting for at least three years before savings show.")],
        [("Prevention", 201, 188), ("Short-term funding", 97, 92), ("Savings evidence", 44, 41)],
        [("a-5120", "Cutting early help moves costs to hospitals and social care rather than saving them.")],
        [("a-5301", "Savings from prevention are hard to prove within one budget year.")],
        [("a-5120", "r-2JKL", "Anonymous respondent",
          "Our befriending service is cut first every year, and then the same people arrive at A&E."),
         ("a-5267", "r-4MNO", "A councillor (Northshire County Council)",
          "Prevention budgets need protecting for at least three years before the savings show up."),
         ("a-5301", "r-6PQR", "A social enterprise",
          "We know early help works, but we are asked to prove savings within twelve months, which is impossible "
          "for work with [AGE] year olds that pays off over a decade.")]),
    _principle(
        5, "Commit to the community and actively support local organisations",
        "Commit to the community and proactively support local organisations",
        "Local organisations can only keep serving their communities if they are strong and stable.",
        "supported", _agreement((198, 122, 30, 14, 6, None), [(262, 88.9), (84, 66.7), (24, 70.8)]),
        [("a-6012", "Three-year grants let us keep experienced staff instead of issuing redundancy notices every March."),
         ("a-6140", "The council's bid-writing workshops helped us win our first contract.")],
        [("Longer-term funding", 172, 160), ("Capacity building", 69, 63)],
        [("a-6012", "Longer grants keep experienced staff and stable services.")],
        [("a-6220", "Councils cannot favour particular providers without breaching competition rules.")],
        [("a-6012", "r-8STU", "A charity (Hilltop Trust)",
          "Three-year grants let us keep experienced staff instead of issuing redundancy notices every March."),
         ("a-6140", "r-1VWX", "Maria O'Neill",
          "The council's bid-writing workshops helped us win our first contract. Without them we would not have "
          "known where to start."),
         ("a-6220", "r-3YZA", "A council officer",
          "Support yes, favouritism no. We cannot promise any provider the contract before it is tendered.")]),
    _principle(
        6, "Keep commissioning simple and local by default",
        "Commission services simply and collaboratively so they are local by default",
        "Complicated processes shut out smaller organisations, even when they would do the best job.",
        "mixed", _agreement((97, 104, 71, 66, 31, 10), [(201, 63.2), (118, 31.4), (60, 48.3)]),
        [("a-7011", "A sixty-page tender for a twenty-thousand-pound service is not proportionate."),
         ("a-7123", "Co-designing services with residents produced a better specification than we could have written.")],
        [("Proportionate procurement", 147, 133), ("Co-design", 72, 68), ("Monitoring burden", 58, 55)],
        [("a-7011", "Tender paperwork is out of proportion to the value of small contracts.")],
        [("a-7190", "'Local by default' could breach equal treatment rules unless it is defined carefully."),
         ("a-7204", "Simplicity for providers can mean less assurance for commissioners.")],
        [("a-7011", "r-5BCD", "A community organisation",
          "A sixty-page tender for a twenty-thousand-pound service is not proportionate, and we told them so."),
         ("a-7190", "r-7EFG", "A commissioner",
          "'Local by default' could breach equal treatment rules unless it is defined very carefully."),
         ("a-7123", "r-9HIJ", "Anonymous respondent",
          "Co-designing the service with residents produced a better specification than we could have written "
          "on our own.")]),
]

NEW_PRINCIPLES = [
    {"id": "new-1", "number": 7, "source": "new", "headline": "Fund core costs, not just projects", "theme": "Core costs",
     "headline_source": {"headline": "Fund core costs, not just projects", "answer_id": "a-8090", "respondent_id": "r-1ZZZ",
                         "text": "Councils should fund core costs, not just projects.", "attribution": "A charity"},
     "headline_options": [], "raised_by": 96, "recommended_by": 31,
     "recommendations": _said([("a-8095", "Pay a fair share of the rent and the manager's time in every grant.")]),
     "consulted_statement": None,
     "explanation": "Raised by 96 respondents: funders pay for projects but not for the rent, management and "
                    "back-office costs that keep an organisation running.",
     "status": "new", "agreement": None,
     "what_we_heard": _said([("a-8001", "Every grant pays for delivery, none of them pays for the manager who keeps the lights on."),
                             ("a-8044", "We subsidise council contracts from our reserves because overheads are capped at ten per cent.")]),
     "themes": [{"name": "Core costs", "count": 104, "respondents": 96}],
     "reasons_for": [], "reasons_against": [],
     "quotes": _quotes([("a-8001", "r-2KLM", "Anonymous respondent",
                         "Every grant pays for delivery, none of them pays for the manager who keeps the lights on."),
                        ("a-8044", "r-4NOP", "A charity (Eastgate Advice)",
                         "We subsidise council contracts from our reserves because overheads are capped at ten per cent.")]),
     "quote_candidates": []},
    {"id": "new-2", "number": 8, "source": "new", "headline": "Pay on time and share financial risk fairly",
     "theme": "Late payment", "raised_by": 61, "recommended_by": 12,
     "headline_source": {"headline": "Pay on time and share financial risk fairly", "answer_id": "a-8121",
                         "respondent_id": "r-1YYY", "text": "Pay on time and share financial risk fairly.",
                         "attribution": "Anonymous respondent"},
     "consulted_statement": None,
     "explanation": "Raised by 61 respondents: late payment and payment by results push financial risk onto small "
                    "providers who cannot carry it.",
     "status": "new", "agreement": None,
     "what_we_heard": _said([("a-8120", "We waited four months for the first payment and had to borrow to pay staff.")]),
     "themes": [{"name": "Late payment", "count": 58, "respondents": 52},
                {"name": "Payment by results", "count": 19, "respondents": 17}],
     "reasons_for": [], "reasons_against": [],
     "quotes": _quotes([("a-8120", "r-6QRS", "Tom Bell",
                         "We waited four months for the first payment and had to borrow to pay staff."),
                        ("a-8150", "r-8TUV", "A social enterprise",
                         "Payment by results means we carry all of the risk and the council carries none of it.")]),
     "quote_candidates": []},
]

BARRIERS = (("Contracts are too large for local organisations", 301), ("The bidding process is too complex or costly", 287),
            ("Contracts are decided mainly on lowest price", 240), ("Contracts or grants are too short", 233),
            ("Monitoring and reporting takes too much time", 176),
            ("Payment by results puts too much financial risk on providers", 98),
            ("Payments are late or only made after the work is done", 91), ("Not enough notice or time to prepare a bid", 88),
            ("Insurance, financial or accreditation requirements are too high", 54), ("Something else", None))


def sample_document(*, demo: bool = True) -> dict:
    """A fresh, independent copy each call."""
    principles = copy.deepcopy(PRINCIPLES + NEW_PRINCIPLES)
    questions = [{"key": "barriers",
                  "title": "What gets in the way of local organisations winning contracts or funding to deliver local services?",
                  "total": 412,
                  "rows": [{"label": label, "count": n, "percent": None if n is None else percent(n, 412),
                            "suppressed": n is None} for label, n in BARRIERS]}]
    for p in principles:
        if p["agreement"]:
            a = p["agreement"]
            questions.append({"key": f"principle_{p['number']}_agreement",
                              "title": f"Principle {p['number']}: how far do you agree? ({p['consulted_statement']})",
                              "total": a["total"],
                              "rows": [{k: r[k] for k in ("label", "count", "percent", "suppressed")} for r in a["rows"]]})
    return {
        "format": 2,
        "survey": {"title": "Keep it Local: how councils should commission local services", "slug": "keep-it-local",
                   "closes_at": "2028-03-31T23:59:00Z", "generated_at": "2028-04-14T09:30:00Z"},
        "demo": demo,
        "min_cell": MIN_CELL,
        "counts": {
            "respondents": 428, "individual_responses": 388, "campaign_responses": 40,
            "by_group": [{"group": "community", "label": "Community organisations", "count": 268},
                         {"group": "councils", "label": "Councils and commissioners", "count": 112},
                         {"group": "others", "label": "Others", "count": 48}],
            "by_channel": [{"channel": "web", "count": 371}, {"channel": "email", "count": 38},
                           {"channel": "paper", "count": 12}, {"channel": "workshop", "count": 7}],
            "by_type": [{"label": "Community organisation", "count": 151, "suppressed": False},
                        {"label": "Charity", "count": 82, "suppressed": False},
                        {"label": "Social enterprise", "count": 35, "suppressed": False},
                        {"label": "Commissioner", "count": 44, "suppressed": False},
                        {"label": "Council officer", "count": 39, "suppressed": False},
                        {"label": "Councillor", "count": 29, "suppressed": False},
                        {"label": "Member of the public", "count": 44, "suppressed": False},
                        {"label": "Academic or researcher", "count": None, "suppressed": True},
                        {"label": "Other", "count": None, "suppressed": True}],
            "campaigns": [{"id": 1, "size": 31, "template": "I support Keep it Local. Councils should give local "
                                                             "charities a fair chance and stop bundling services into "
                                                             "giant contracts. Please fund [ORGANISATION] properly."},
                          {"id": 2, "size": 9, "template": "Save our community centre: keep services in the "
                                                            "neighbourhood and out of call centres."},
                          {"id": 3, "size": 4, "template": None, "themes": ["Prevention", "Core costs"]}]},
        "barriers": [{"id": "barrier-1", "theme": "Council capacity", "raised_by": 88, "recommended_by": 2,
                      "description": "Councils without the staff to plan or talk to providers.",
                      "what_we_heard": _said([("a-9001", "Our commissioner covers four boroughs on her own.")]),
                      "quotes": _quotes([("a-9002", "r-3AAA", "A councillor",
                                          "Nobody at the council has time to meet us before a tender goes out.")]),
                      "quote_candidates": []}],
        "themes": {
            "groups": [{"group": "community", "label": "Community organisations"},
                       {"group": "councils", "label": "Councils and commissioners"}, {"group": "others", "label": "Others"}],
            "rows": [{"name": "Prevention", "respondents": 188, "by_group": [131, 41, 16]},
                     {"name": "Longer-term funding", "respondents": 160, "by_group": [128, 22, 10]},
                     {"name": "Joined-up services", "respondents": 151, "by_group": [104, 33, 14]},
                     {"name": "Proportionate procurement", "respondents": 133, "by_group": [77, 44, 12]},
                     {"name": "Procurement law", "respondents": 117, "by_group": [12, 98, 7]},
                     # others (4) is too few, and councils (11) is hidden too: 96 - 81 would give the 4 away.
                     {"name": "Core costs", "respondents": 96, "by_group": [81, None, None]}]},
        "executive_summary": [
            "We received 428 responses between November 2026 and March 2028: 388 individual responses and 40 "
            "responses from two organised campaigns, which we counted separately.",
            "Five of the six draft principles were supported by most respondents. Support was strongest for "
            "investing in early help (82% agreed) and weakest for increasing local spend, which most respondents "
            "disagreed with: many council respondents said a spend target would conflict with procurement law.",
            "Respondents raised two issues that the draft principles did not cover: funding the core costs of "
            "local organisations, and paying on time. We propose both as new candidate principles.",
        ],
        "principles": principles,
        "questions": questions,
        "methodology": {
            "paragraphs": [
                "The consultation ran online from 1 November 2026 to 31 March 2028. We also accepted responses by "
                "email and on paper, and recorded the views of people at seven workshops.",
                "Two researchers read every long answer and coded it against a shared codebook. A sample of answers "
                "was coded by both researchers independently to check that they applied the codes consistently.",
                "Software suggested codes for some answers. A researcher checked every suggestion before it was "
                "used, and no suggestion was counted until a person had accepted it.",
            ],
            "channels": [{"channel": "web", "count": 371}, {"channel": "email", "count": 38},
                         {"channel": "paper", "count": 12}, {"channel": "workshop", "count": 7}],
            "coding": {"coders": 2, "coded_answers": 2871, "double_coded": 300,
                       "agreement": [{"label": "All codes", "alpha": 0.81, "kappa": 0.79, "n": 300},
                                     {"label": "Prevention", "alpha": None, "kappa": 0.88, "n": 64}],
                       "machine_suggested": 912, "machine_accepted": 731, "machine_rejected": 169},
            "campaigns": {"groups": 2, "responses": 40},
        },
        "codebook": [
            {"name": "Commissioning practice", "parent": None, "description": "How councils buy and fund services.", "count": 0},
            {"name": "Proportionate procurement", "parent": "Commissioning practice",
             "description": "Tender effort should match the size and risk of the contract.", "count": 147},
            {"name": "Procurement law", "parent": "Commissioning practice",
             "description": "Legal limits on favouring local or particular providers.", "count": 131},
            {"name": "Funding", "parent": None, "description": "How much, how long and on what terms money is given.", "count": 0},
            {"name": "Core costs", "parent": "Funding", "description": "Overheads, management and premises.", "count": 104},
            {"name": "Longer-term funding", "parent": "Funding", "description": "Grants or contracts of three years or more.", "count": 172},
            {"name": "Late payment", "parent": "Funding", "description": "Payment delayed or made only in arrears.", "count": 58},
            {"name": "Prevention", "parent": None, "description": "Early help before problems become crises.", "count": 201},
            {"name": "Joined-up services", "parent": None, "description": "Services working together around a person or family.", "count": 164},
        ],
    }
