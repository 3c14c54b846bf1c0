"""What demonstration answers are made of: the codebook, and banks of sentences per question and theme.

As in real consultations, some answers recommend what councils should do ("Fund the full cost of services,
including overheads"), so a draft has recommendations to propose as candidate principles.

Every sentence is tagged with the theme it expresses, so the generator can code the answers it composes.
Slots in braces ({service}, {place}, {n}...) are filled from SLOTS with the generator's seeded random.
Places are invented; organisations are always prefixed "Demo:".
"""
from __future__ import annotations

# key, name, parent key, description
THEMES = [
    ("process", "Commissioning process", None, "How contracts and grants are designed, advertised and awarded."),
    ("scale", "Contract scale", "process", "Contracts too large for local organisations: services or areas bundled into one lot."),
    ("burden", "Procurement burden", "process", "Bidding that is complex, costly or rushed: long forms, portals, short notice."),
    ("price", "Price over quality", "process", "Decisions made mainly on lowest price, squeezing quality and staff pay."),
    ("funding", "Funding and finance", None, "How long, how fully and how reliably work is paid for."),
    ("short_term", "Short-term funding", "funding", "Grants and contracts too short to plan, keep staff or build trust."),
    ("full_cost", "Full cost recovery", "funding", "Funding that does not cover real costs; late payment and payment by results."),
    ("monitoring", "Monitoring and reporting", "funding", "Reporting that takes too much time or measures the wrong things."),
    ("early", "Early intervention", None, "Helping people before problems get worse, and the savings that follow."),
    ("neighbourhood", "Neighbourhood working", None, "Planning and joining up services around neighbourhoods and places."),
    ("system", "Whole-system working", None, "Services designed together across silos, around people rather than budgets."),
    ("local_economy", "Local economy and social value", None, "Local jobs, suppliers, volunteers and the social value of local spend."),
    ("trust", "Trust and relationships", None, "Relationships between councils and local organisations, and the trust people place in them."),
    ("codesign", "Co-design with communities", None, "Designing services with local organisations and the people who use them."),
    ("quality_first", "Quality before locality", None, "Public money should buy the best service wherever the provider is based; "
                                                        "local preference risks quality, fairness or breaching procurement rules."),
    ("budgets", "Stretched budgets", None, "Council budgets and capacity that limit what commissioners can change."),
]

SLOTS = {
    "service": ["youth club", "lunch club for older people", "debt advice service", "carers' support group",
                "food pantry", "mental health drop-in", "family hub", "employment support project",
                "community transport scheme", "domestic abuse service", "befriending service", "holiday activities programme"],
    "place": ["Eastbrook", "Millfield", "Brackenford", "Oakhaven", "Fernlea", "Kingsmere", "Hollowmead", "Larkrise",
              "Marshgate", "Ashdown Vale", "Copperfield", "Wrenbury Cross"],
    "n": ["two", "three", "four", "five"],
    "months": ["six", "nine", "twelve", "eighteen"],
    "pct": ["10", "15", "20", "25", "30", "40"],
    "money": ["£40,000", "£60,000", "£85,000", "£120,000", "£250,000"],
    "ratio": ["£3", "£4", "£5", "£7"],
}

# Non-principle questions: question key -> theme key -> sentences.
BANK: dict[str, dict[str, list[str]]] = {
    "barriers_detail": {
        "scale": ["Our {service} lost its contract when the council bundled {n} boroughs into one lot.",
                  "The lots are now so big that only national providers can bid, and they subcontract back to us at a lower rate.",
                  "When the {service} was rolled into a county-wide contract we could not meet the turnover threshold.",
                  "We were told to form a consortium with {n} other groups, which took months and nobody paid for."],
        "burden": ["The last tender ran to {n} hundred pages and we had three weeks to respond.",
                   "We spent more on the bid writer than the first year of the grant would have paid us.",
                   "Every department uses a different portal and asks for the same policies in a different format.",
                   "We had no warning the tender was coming and it closed over the Christmas break."],
        "price": ["The contract went to the cheapest bid, and within a year the service had cut its opening hours.",
                  "Quality counted for {pct} per cent of the score, so in practice it was a race to the bottom on price.",
                  "We cannot compete on price without paying our staff less than the real living wage.",
                  "A provider from outside the area undercut us by a third and then asked us to run the sessions for them."],
        "short_term": ["Twelve-month grants mean we spend a quarter of each year reapplying.",
                       "Our funding is renewed in March for a year starting in April, so we issue redundancy notices every winter.",
                       "With {months}-month contracts we cannot keep experienced staff, and the families lose the person they trusted.",
                       "Short pilots end just as the service starts to work, and then the money moves on to something new."],
        "full_cost": ["The grant pays for the sessions but not the building, the insurance or the manager.",
                      "Payment by results meant we carried all the risk and waited up to {months} weeks to be paid.",
                      "The council pays in arrears, so we have to find the cash to run the {service} for a quarter first.",
                      "The contract value has not gone up in {n} years while our costs have risen sharply."],
        "monitoring": ["We report the same figures to {n} different officers every quarter.",
                       "The monitoring form counts visits, not whether anyone's life got better.",
                       "For a grant of {money} we were asked for the same reporting as a multi-million pound contract."],
        "budgets": ["Our commissioners are stretched so thin that nobody has time to talk to providers before a tender.",
                    "The council's commissioning team has halved in five years, so every contract is copied from the last one.",
                    "When the council's budget is overspent, the voluntary sector grants are the first thing to go."],
    },
    "what_works": {
        "short_term": ["A three-year grant let us plan properly, keep our staff and try new things.",
                       "Fund local groups for at least three years at a time, not from one year to the next."],
        "trust": ["Give every local organisation a named officer who knows its work and answers the phone.",
                  "Where the council treats us as partners rather than suppliers, problems get solved early.",
                  "Regular meetings with the commissioner meant we could raise problems before they became crises."],
        "burden": ["A short, proportionate application form for small grants meant we could spend our time on delivery.",
                   "The council gave {n} months' notice of the tender and ran a drop-in session for small providers.",
                   "Councils should give at least three months' notice of a tender and keep the forms short."],
        "scale": ["Splitting the contract into neighbourhood lots meant local groups could bid in their own right.",
                  "Split large contracts into neighbourhood lots so that local groups can bid in their own right."],
        "codesign": ["The service was designed with the families who use it, and it shows in how many keep coming.",
                     "We sat round the table with the commissioner before the specification was written, not after.",
                     "Young people interviewed the bidders for the {service}, and they asked the hardest questions."],
        "neighbourhood": ["Locality-based teams, where council staff and community groups share a building, work well.",
                          "In {place} the council funds a community anchor to coordinate everything on the estate.",
                          "Our ward councillor brings the housing officer, the school and us together every month."],
        "monitoring": ["Agreeing a few outcomes that matter and reporting them once a year freed up our time.",
                       "Agree a few outcomes that matter with each provider and ask for a report once a year."],
        "full_cost": ["Funding that covers core costs, not just projects, keeps the lights on and the doors open.",
                      "Fund the full cost of services, including overheads, not just the hours of front-line work."],
    },
    "good_practice": {
        "scale": ["In {place} the council split its community support contract into {n} neighbourhood lots, and local groups won most of them."],
        "short_term": ["{place} council moved its voluntary sector grants to three-year agreements, and staff turnover in funded groups fell."],
        "codesign": ["The {place} {service} was redesigned with young people on the panel that chose the provider.",
                     "In {place} the council ran workshops with residents before writing the specification for the {service}."],
        "neighbourhood": ["{place} has a neighbourhood partnership where the council, the GP practice and local charities meet monthly.",
                          "The {place} community hub brings advice, health checks and the {service} under one roof."],
        "trust": ["{place} council appointed a voluntary sector liaison officer, and relations improved within a year.",
                  "In {place} the council and local charities signed a compact and actually stuck to it."],
        "early": ["{place} invested in a {service} for families before crisis point, and referrals to children's services fell."],
        "local_economy": ["{place} council set a target to spend {pct} per cent of its budget with local suppliers and reports on it every year."],
        "burden": ["{place} council uses a simple two-page form for grants under {money}."],
    },
    "value_evidence": {
        "early": ["Our evaluation found that every £1 spent on the {service} saved the NHS and the council about {ratio}.",
                  "Nine in ten of the families we supported did not need a statutory referral in the following year.",
                  "Since the {service} opened, evictions on the estate have fallen by about {pct} per cent, says the housing team.",
                  "People who come to the {service} visit their GP less often, according to the practice's own figures."],
        "local_economy": ["We employ {n} dozen local people and spend most of our budget with suppliers within five miles.",
                          "Our social value report put the value of our volunteers' time at over {money} a year.",
                          "Every volunteer hour we coordinate is an hour of support the council does not have to buy."],
        "trust": ["People tell us they come to us because we are not the council and we are not going anywhere.",
                  "Our user survey shows {pct} per cent of people heard about us from a neighbour or friend."],
        "neighbourhood": ["We reach households in {place} that statutory services say are hard to reach.",
                          "Because we are based on the estate, we see problems weeks before they reach a council office."],
        "system": ["One person can get debt advice, food and a referral for their mental health in a single visit to us."],
    },
    "anything_else": {
        "trust": ["Thank you for running this consultation; it matters that councils hear from small groups.",
                  "Please make sure the final principles are shared with councillors, not just officers.",
                  "Small groups like ours rarely get asked; we are glad to have been."],
        "budgets": ["None of this will work unless central government funds councils properly.",
                    "Councils need the freedom and the money to commission differently; the will is often there."],
        "short_term": ["The single biggest change would be an end to annual funding cycles."],
        "codesign": ["Please involve people who use services in the workshops, not only providers and commissioners."],
        "quality_first": ["Whatever the principles say, the test must be what is best for the people using the service."],
    },
}

# Principle "why" answers: principle number -> stance (for, mixed, against) -> (theme key, sentence).
WHY: dict[int, dict[str, list[tuple[str, str]]]] = {
    1: {"for": [("system", "People don't arrive with one problem; they arrive with debt, housing and health all tangled together."),
                ("system", "Buying each service on its own creates gaps that people fall through, especially at 18."),
                ("early", "Joining things up earlier would stop people bouncing between services until they hit crisis."),
                ("neighbourhood", "Local organisations already see the whole person, so councils should build around that."),
                ("trust", "In {place} the {service} and the GP practice share cases, and it works because staff trust each other."),
                ("system", "We once counted eleven agencies involved with one family, and none of them talked to each other."),
                ("codesign", "Ask the people who use services where the joins fail; they can tell you in five minutes."),
                ("system", "A carer should not have to tell the same story to four different teams before anyone helps.")],
        "mixed": [("budgets", "It sounds right, but budgets are still held in silos by different directorates and the NHS."),
                  ("system", "The principle is sound but it needs to say who leads when everyone is responsible."),
                  ("monitoring", "Agreed in theory, but every funder still wants its own outcomes reported separately.")],
        "against": [("budgets", "Whole-system working is a nice idea, but statutory duties come with ring-fenced budgets."),
                    ("quality_first", "Specialist services can get lost when everything is merged into one big system.")]},
    2: {"for": [("neighbourhood", "Neighbourhoods are where people live their lives, so services should be organised there."),
                ("trust", "People will walk into the community centre when they would never go to a council office."),
                ("neighbourhood", "On the {place} estate, the community hub knows every family that is struggling."),
                ("codesign", "Residents should have a say in what their neighbourhood needs, not just the provider."),
                ("scale", "Neighbourhood lots would let local groups bid instead of being subcontracted."),
                ("neighbourhood", "Our ward has its own character, and what works in the town centre does not work on the estate."),
                ("trust", "The mums who come to our group would not go anywhere with a council logo on the door."),
                ("early", "Neighbourhood teams spot the family that is starting to struggle, not the one already in crisis.")],
        "mixed": [("neighbourhood", "It depends on the service: some things need to be organised across the whole county."),
                  ("neighbourhood", "Some neighbourhoods have strong community groups and some have none, so this could widen gaps."),
                  ("budgets", "We tried locality working in {place}, but it fell apart when the coordinator posts were cut.")],
        "against": [("quality_first", "Rare needs are better served by a specialist team across a wider area."),
                    ("budgets", "Coordinating at neighbourhood level needs staff time that councils no longer have.")]},
    3: {"for": [("local_economy", "Money spent locally keeps local people in work and circulates in the high street."),
                ("local_economy", "Local spend should count as social value, because it builds the local economy."),
                ("scale", "National providers take the contract value out of the area and leave with it when the contract ends."),
                ("local_economy", "Our staff live here, shop here and volunteer here; a national firm's profits go elsewhere."),
                ("local_economy", "In {place} the anchor institutions now buy locally, and it has kept {n} small firms going.")],
        "mixed": [("quality_first", "Local spend is good, but not at the expense of quality or value for money."),
                  ("local_economy", "A target for local spend could help, as long as it counts small charities, not just local firms.")],
        "against": [("quality_first", "Public money should go to the best provider, wherever they are based."),
                    ("quality_first", "A local spend target risks breaching procurement rules and inviting legal challenge."),
                    ("quality_first", "Local is not always better: some of the worst services I have seen were run by local incumbents."),
                    ("price", "Preferring local providers could push up costs at a time when every pound is stretched."),
                    ("budgets", "We are legally required to get best value, and a local spend target sits uneasily with that."),
                    ("quality_first", "Specialist national charities bring expertise that no local group in {place} could match."),
                    ("local_economy", "Social value already covers this; a separate local spend target adds nothing but paperwork."),
                    ("quality_first", "Where I live, 'local' has too often meant the same few providers winning year after year."),
                    ("price", "Councils buying on a postcode rather than on value would be hard to defend to taxpayers."),
                    ("quality_first", "Residents want a good service; they do not much mind where the provider's head office is.")]},
    4: {"for": [("early", "Prevention costs a fraction of crisis care, and the people we support say it changed their lives."),
                ("early", "Our {service} catches problems early: once a family reaches social care the cost multiplies."),
                ("early", "Every cut to early help over the last decade has shown up later in A&E and children's services."),
                ("short_term", "Early intervention only works with funding that lasts long enough to show results."),
                ("trust", "People tell a community worker they trust about a problem long before they tell the council."),
                ("early", "A few sessions of debt advice now costs far less than an eviction and temporary accommodation later."),
                ("early", "Our befriending volunteers notice when someone stops eating properly, weeks before a fall."),
                ("budgets", "Councils keep cutting early help to balance this year's books and paying for it next year.")],
        "mixed": [("budgets", "Nobody disagrees with prevention, but statutory services take every pound first."),
                  ("monitoring", "Savings from prevention are real but hard to prove within one budget year.")],
        "against": [("budgets", "With adult social care overspent, we cannot fund prevention without cutting crisis services.")]},
    5: {"for": [("short_term", "Councils should give three-year grants as standard so organisations can plan."),
                ("full_cost", "Supporting local organisations means paying the full cost of the work, including overheads."),
                ("trust", "Community organisations are part of the local fabric, not just another supplier."),
                ("burden", "Help with bidding, like the council's workshops for small providers, makes a real difference."),
                ("full_cost", "Paying on time, and in advance, would stop small groups going under."),
                ("short_term", "Twelve-month grants mean we spend a quarter of every year reapplying instead of helping people."),
                ("trust", "When the council treated us as a partner during the pandemic, we delivered food within days."),
                ("burden", "Small groups need a named contact who can explain the process, not a generic procurement inbox.")],
        "mixed": [("quality_first", "Support is welcome but it must not become favouritism towards particular groups."),
                  ("budgets", "Councils want to help but have lost the staff who used to support the voluntary sector.")],
        "against": [("quality_first", "Councils should commission outcomes, not prop up particular organisations."),
                    ("price", "Proactive support for some providers could distort a fair competition.")]},
    6: {"for": [("burden", "Simpler forms and proportionate requirements would let small organisations take part."),
                ("codesign", "Designing services with the people who use them produces services people actually use."),
                ("burden", "A two-page application for small grants would save us weeks every year."),
                ("scale", "Local by default would stop the habit of bundling everything into one big contract."),
                ("codesign", "When we helped write the specification, the service fitted the {place} community far better."),
                ("burden", "We gave up bidding after a {n}-stage process for a contract worth less than {money}."),
                ("scale", "Start local and scale up only when there is a good reason, not the other way round."),
                ("trust", "Collaboration works when commissioners talk to providers before the tender, not only after it.")],
        "mixed": [("quality_first", "Simplicity is good, but commissioners still have to show fairness and value for money."),
                  ("codesign", "Co-design takes time and money, and it is rarely budgeted for.")],
        "against": [("quality_first", "Local by default could shut out better providers and cut corners on safeguarding.")]},
}

# Opening words that vary answers without changing what they say.
OPENERS = ["", "", "", "In our experience, ", "Honestly, ", "Speaking for our organisation, ", "From where I sit, "]
SHORT_REPLIES = {"for": "Agree with this.", "mixed": "It depends.", "against": "Not convinced."}

BARRIER_OTHER = [("full_cost", "Councils do not pay the full cost of delivering the service"),
                 ("trust", "Decisions are made before anyone talks to local groups"),
                 ("budgets", "The council has no commissioning staff left to talk to")]

OTHER_TYPES = ["Parish council clerk", "Volunteer", "GP practice manager", "Housing officer", "Retired social worker"]

# The organised campaign: one template in anything_else, with small edits per copy.
CAMPAIGN_TEXT = ("I am writing in support of the Keep it Local principles. Local charities and community groups know "
                 "our neighbourhoods and are trusted by the people who need help most. Too many services have been "
                 "handed to large national providers through huge contracts. I urge the council to commission "
                 "locally, to fund local organisations for at least three years at a time, and to keep the money in "
                 "our community.")
CAMPAIGN_THEMES = ["trust", "scale", "short_term", "local_economy"]
CAMPAIGN_GREETINGS = ["", "", "Dear Keep it Local team, ", "To whom it may concern: ", "Hello, "]
CAMPAIGN_SIGNOFFS = ["", "", " Thank you.", " Yours sincerely.", " Please listen to local people."]
CAMPAIGN_EXTRAS = ["", "", "", " My family has relied on the {service} in {place} for years.",
                   " Our {service} would not exist without local volunteers."]

# Personal data a few respondents type, so redaction has something to do (invented names; reserved numbers).
PERSONAL = ["You can call me on 07700 900{digits} if you want to hear more.",
            "Email me at sam.okafor{digits}@example.com and I will send the evaluation.",
            "My name is Priya Hartley and I have run the {service} for ten years.",
            "Please contact our manager on 0161 496 0{digits} for the full report."]

ORG_PREFIXES = SLOTS["place"] + ["Riverside", "Northgate", "Southmead", "Westhill", "Elmwood", "Greenbank"]
ORG_KINDS = {
    "community_organisation": ["Community Trust", "Community Association", "Development Trust", "Neighbourhood Centre"],
    "charity": ["Advice Centre", "Carers' Network", "Youth Project", "Age Concern Group", "Family Support"],
    "social_enterprise": ["Community Café CIC", "Green Skills CIC", "Community Transport CIC", "Repair Shop CIC"],
    "local_authority": ["Borough Council", "District Council", "County Council"],
    "nhs_body": ["Integrated Care Board", "Community Health Trust"],
    "housing_association": ["Homes", "Housing Association"],
    "infrastructure_body": ["Council for Voluntary Service", "Voluntary Action"],
    "research_or_think_tank": ["Institute for Local Policy", "Centre for Place Research"],
}
