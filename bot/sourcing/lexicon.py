"""Words that signal attribution in English news, tuned on PolNeAR dev cues.

Kept as data (frozensets and compiled patterns) so the rules in ``clauses`` read
as grammar, and so the lexicon can grow without touching the logic.
"""

from __future__ import annotations

import re

# Verbs that hand a statement to someone. Past, present and plural forms are listed
# explicitly: a stemmer would also match "show" in "talk show" and "find" in "finding".
SPEECH_CUES: frozenset[str] = frozenset(
    """
    said says say told tells tell added adds stated states wrote writes tweeted posted reported reports
    claimed claims claim argued argues argue noted notes explained explains warned warns warn insisted insists
    asserted asserts alleged alleges allege announced announces acknowledged acknowledges admitted admits
    suggested suggests suggest testified confirmed confirms confirm denied denies revealed reveals stressed
    stresses emphasized emphasizes conceded concedes maintained maintains contended contends recalled recalls
    observed commented remarked replied responded declared declares disclosed cited cites echoed agreed agrees
    read reads predicted predicts predict projected projects estimated estimates estimate concluded concludes
    determined indicated indicates indicate found finds showed shows show believes believe believed thinks think
    urged urges cautioned countered complained boasted accused accuses charged charges vowed pledged promised
    described describes quipped assured mentioned mentions proposed proposes continued continues asked asks joked
    advised advises recommends recommend questioned criticized criticizes condemned condemns blasted praised praises
    called calls theorized theorised reiterated reaffirmed forecasts forecast forecasted expects expect
    underscored highlighted touted touts state note counted
    """.split()
)

# Progressive forms ("is saying", "has been claiming").
PROGRESSIVE_CUES: frozenset[str] = frozenset(
    """saying telling claiming arguing warning suggesting reporting insisting alleging predicting stressing
    calling""".split()
)

# Words allowed between a subject and its cue: "has repeatedly said", "also told".
CUE_AUXILIARIES: frozenset[str] = frozenset(
    """
    has have had also previously later then again repeatedly long recently once often publicly privately earlier
    first further would will did does do not never just now still already even separately reportedly initially
    has also had also today yesterday tonight since himself herself itself themselves
    """.split()
)

# Cues that name a written or recorded document rather than a person speaking.
DOCUMENT_CUES: frozenset[str] = frozenset("found finds showed shows show indicated indicates indicate counted".split())

# Heads of noun phrases that stand for unnamed people: "officials said", "a source close to".
ANONYMOUS_PEOPLE: frozenset[str] = frozenset(
    """
    official officials source sources expert experts analyst analysts scientist scientists researcher researchers
    critic critics observer observers insider insiders people person resident residents witness witnesses aide aides
    adviser advisers advisor advisors diplomat diplomats lawmaker lawmakers spokesman spokeswoman spokesperson
    spokespeople representative representatives someone somebody others many some several most few economists
    doctors physicians investigators authorities officers officer staffers staffer members member voters
    americans adults respondents users commentators pundits supporters opponents activists leaders executives
    employees workers citizens observers historians scholars academics specialists experts, person familiar academic
    relative relatives neighbour neighbours neighbor neighbors friend friends colleague colleagues detective detectives
    investigator feds operative operatives strategist strategists consultant consultants loggers logger student
    students parent parents teacher teachers nurse nurses staff onlookers bystander bystanders survivor survivors
    victim victims villagers locals team volunteers volunteer organizers organisers organizer organiser
    campaigners protesters demonstrators
    """.replace(",", " ").split()
)

# Heads that stand for documents and media: "a report", "the post".
DOCUMENT_HEADS: frozenset[str] = frozenset(
    """
    report reports study studies survey surveys poll polls analysis data document documents memo letter statement
    statements paper papers review audit investigation filing records research findings estimate estimates article
    articles post posts tweet tweets video videos message messages account accounts channel website blog release
    assessment figures numbers footage photos transcript book interview trial trials experiment
    email emails e-mail filings recording recordings dossier legislation regulations regulation affidavit
    complaint indictment ruling judgment judgement test tests
    """.split()
)

# What a link's words may name as the evidence itself: "2026 budget document", "the transit plan".
LINKABLE_DOCUMENTS: frozenset[str] = DOCUMENT_HEADS | frozenset(
    """plan plans budget minutes agenda spreadsheet ruling order bill contract invoice proposal dataset
    database map chart table filing complaint lawsuit indictment affidavit testimony""".split()
)

SOCIAL_WORDS: frozenset[str] = frozenset(
    """
    telegram twitter tweet tweets tweeted facebook instagram tiktok youtube reddit truth social post posts posted
    account channel x.com weibo wechat vk threads bluesky
    """.split()
)

PRONOUNS: frozenset[str] = frozenset("he she they it we i".split())

# Titles that precede a person's name; "Rep. Jim Banks of Indiana" keeps "Rep. Jim Banks".
PERSON_TITLES: frozenset[str] = frozenset(
    """
    rep. sen. gov. dr. mr. mrs. ms. gen. lt. col. maj. capt. adm. sgt. prof. rev. president senator representative
    governor mayor secretary judge justice minister chancellor ambassador general colonel professor speaker
    congressman congresswoman sheriff chief director commissioner chairman chairwoman chair
    """.split()
)

# Capitalised words that open sentences without naming anyone.
NOT_NAMES: frozenset[str] = frozenset(
    """
    the a an this that these those it its he she they we i his her their our my your there here but and or so yet
    if when while after before since although though as in on at by for from with of to into about over under
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight last next earlier later
    however meanwhile still also now then according mr mrs ms
    """.split()
)

ANONYMOUS_MARKERS = re.compile(
    r"""\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red)\b
    |\b(?:it|this)\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+)?
       (?:reported|said|claimed|alleged|believed|rumou?red|understood|thought|estimated|suggested)\b
    |\b(?:is|are|was|were)\s+(?:widely\s+)?(?:said|believed|thought|alleged|rumou?red|understood|reported)\s+to\b
    |\b(?:reports|rumou?rs|sources)\s+(?:say|said|suggest|suggested|indicate|indicated|claim|claimed)\b
    |\b(?:is|are|was|were)\s+(?:then\s+|also\s+|further\s+)?alleged\s+to\b
    |\b(?:has|have)\s+(?:since\s+)?learnt\b|\b(?:has|have)\s+learned\s+that\b|\blearnt\s+that\b|\bunderstands\s+that\b
    |\bit\s+was\s+learned\b|\binformation\s+reaching\b|\breceived\s+reports\b""",
    re.IGNORECASE | re.VERBOSE,
)

# A number a reader would want sourced: money, percentages, counts with a scale word.
FIGURE = re.compile(
    r"""(?:[$€£¥]\s?\d[\d,.]*(?:\s?(?:thousand|million|billion|trillion|bn|m|k)\b)?
    |\b\d[\d,.]*\s?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)
    |\b\d[\d,.]*\s?(?:thousand|million|billion|trillion)\b
    |\b(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions|trillions)(?:\s+of\s+(?:dollars|people))?\b
    |\b(?:thousands|millions|billions|trillions)\s+of\s+(?:dollars|people|troops|jobs|lives|deaths|cases|votes)\b
    |\b\d{1,3}(?:,\d{3})+\b
    |\b\d+\.\d+\b(?!\s*(?:a\.?m|p\.?m)\b)
    |\b\d+(?:\.\d+)?\s?(?:times|fold|people|deaths|cases|troops|soldiers|jobs|votes|years|tons|tonnes|miles|km)\b
    |\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(?:ten|\d+)\b)""",
    re.IGNORECASE | re.VERBOSE,
)

# A first or a record the writer states: an editor wants to know how it is known.
SUPERLATIVE = re.compile(
    r"\b(?:the\s+)?(?:first|only|largest|biggest|highest|lowest|fastest|oldest|youngest|deadliest|worst|best)"
    r"(?:\s+[\w\-.’']+){1,3}?(?=\s+(?:to|in|of|since|ever|on|at|for)\b)"
    r"|\b(?:a|the)\s+record\s+[\w\-]+",
    re.IGNORECASE,
)

# Cues that also start ordinary clauses ("a group called X", "calls for help"): only a named teller counts.
NAMED_ONLY_CUES: frozenset[str] = frozenset(
    "called calls criticized criticizes condemned condemns blasted praised praises".split()
)

# Participles that hang a statement on the main clause's subject: "X rejected it, saying ...".
PARTICIPLE_CUES = re.compile(
    r",\s+(?:saying|adding|arguing|noting|claiming|accusing|warning|insisting|telling|explaining|suggesting|asserting|"
    r"declaring|stating|writing|citing|describing|complaining|predicting|pointing\s+out|acknowledging|vowing|urging|"
    r"calling|charging|contending|maintaining)\b"
)

# Capitalised cues of headlines: "Obama Says Museum Will Tell ...".
HEADLINE_CUES = re.compile(
    r"\b(?:Says|Said|Tells|Told|Warns|Claims|Admits|Reports|Insists|Urges|Vows|Denies|Slams|Blasts)\b"
)

# Labels that open a line without naming a speaker, and imperatives that open a block ("Take this passage ...:").
NOT_SPEAKERS: frozenset[str] = frozenset(
    """truth myth fact note update updated watch read photo photos related editor opinion analysis q a video
    warning correction breaking exclusive live listen source sources image credit see also more latest the
    clarification partial transcript editors
    take consider imagine remember recall compare look here""".split()
)

# Several-word cues for spreading a claim: "has promoted the idea that", "spread a conspiracy theory".
MULTIWORD_CUES: tuple[str, ...] = tuple(
    f"{verb} {det} {noun}"
    for verb in ("promoted", "spread", "pushed", "floated", "raised", "peddled", "advanced", "shared")
    for det in ("the", "a")
    for noun in ("idea", "claim", "theory", "conspiracy theory", "notion", "possibility", "suggestion", "rumor")
) + ("makes clear", "made clear", "make clear", "pointed out", "points out", "point out")

# "the agency said", "the governor added": heads that point back to a teller named earlier.
REFERENCE_HEADS: frozenset[str] = frozenset(
    """
    governor senator congressman congresswoman lawmaker candidate nominee president minister secretary mayor chairman
    chairwoman director judge lawyer attorney prosecutor company firm agency group campaign ministry department
    organization organisation administration committee panel court council government newspaper outlet network
    channel magazine website site party union board institute foundation center centre bank police army military
    office man woman officer doctor author writer authority authorities commission service station broadcaster
    pentagon kremlin white house embassy spokesman spokeswoman official hospital school university club trust
    association federation coalition airline carrier
    """.split()
)

# Cues that are also nouns or everyday verbs ("his TV show", "battleground states", "added the week"):
# they count only when what follows reads like reported content.
AMBIGUOUS_CUES: frozenset[str] = frozenset(
    """show shows states state claims claim notes reports estimates estimate charges calls questions read reads finds
    forecasts forecast""".split()
)
CONTENT_OPENERS: frozenset[str] = frozenset(
    """
    that the a an he she it they there this these those his her its their no not some most more less only how what
    why when whether we i you our in on at to about evidence signs nothing little few many all both each him them
    us me
    """.split()
)
# After these cues a determiner starts an object, not a statement: "added a week", "maintains a program".
OBJECT_CUES: frozenset[str] = frozenset("added adds maintains maintained continued continues".split())
# Cues whose source may follow them: '"...," said Caddell'.
INVERTIBLE_CUES: frozenset[str] = frozenset(
    """said says added adds wrote writes asked asks explained explains noted notes continued recalled insisted
    argued argues warned warns stated declared acknowledged admitted replied responded tweeted posted observed
    countered conceded concluded reported reports estimates estimated predicts predicted believes""".split()
)

# Cues that make a nested teller inside reported content: "Trump said that Clinton once described ...".
RELAY_CUES: frozenset[str] = frozenset(
    """said says reported reports claimed claims wrote writes stated alleged announced told tweeted posted revealed
    found showed shows indicated indicates concluded described""".split()
)
