"""Need lexicon: words and phrases that point to each need, as features for the classifier.

People name their needs in a few recurring ways (a refuge, the locks, court, money, the kids).
Each need has a list of patterns over normalised text (safety.danger.normalise); the classifier
gets one feature per need, the number of its patterns that match. The lexicon comes from
domain knowledge and is kept general: it gives the model a hint and never decides alone.
"""

from __future__ import annotations

import re

from safety.text import normalise

NEED_LEXICON: dict[str, list[str]] = {
    "recognise_abuse": [
        r"\bcan (a woman|a man|abuse|women|men) (be|happen)\b|\bas bad as\b|\bhow do i know\b",
        r"\bwhat is (economic|emotional|financial|psychological) abuse\b|isn'?t really abuse",
        r"\bis (this|it|that)\b.{0,30}\b(abuse|abusive|normal|ok|controlling|healthy)",
        r"\bis that (normal|ok|abuse)",
        r"\bnormal\b",
        r"\b(overreact|dramatic|toxic|gaslight|signs of|what counts|count as)",
        r"\b(counts as|what is coercive|what does .* look like|not sure if)",
        r"\b(don'?t know if|wondering if|confused)",
        r"\bis (it|this) (still )?abuse",
    ],
    "advocacy_safety": [
        r"\b(talk to someone|who to talk to|a specialist|support service|on my side)\b",
        r"\b(happening at home|things at home|at home are|been hurting me)\b",
        r"pomoc|krzywdzi|boję się|kontroluje|ajutor|rănește|mi e frică|controlează",
        r"مدد|ظلم|ڈر|সাহায্য|অত্যাচার|ভয়",
        r"\bsafety plan",
        r"\b(advocate|idva|support worker|domestic abuse worker)\b",
        r"\b(domestic (abuse|violence) support)\b",
        r"\b(need|want|get) (some )?(help|support|advice)\b",
        r"\b(abus(ive|ed|ing)|violent|hits? me|hurts? me|slapped|pushed)\b",
        r"\bleave (him|her|them|safely)|\bstay safe\b|keep safe",
    ],
    "safe_accommodation": [
        # Polish, Romanian, Urdu, Bengali (the languages of bot/i18n.py)
        r"miejsc|podziać|uciec z domu|unde să stau|loc sigur|plec de acasă",
        r"جگہ|گھر چھوڑ|জায়গা|বাড়ি ছাড়",
        r"\brefuges?\b",
        r"\bnowhere (to|safe)",
        r"\b(safe (place|house)|somewhere (safe )?to (stay|go|live|sleep))",
        r"\b(where (can|would|do) i (go|live))",
        r"\b(sofa surfing|homeless|sleeping in my car|temporary accommodation)\b",
        r"\b(emergency accommodation|a room|hotel|fleeing|fled)\b",
        r"\bcan'?t go (back )?home",
    ],
    "housing": [
        r"\b(locks?|keys?|tenan(cy|t|ts)|landlord|council (house|housing|flat)?)\b",
        r"\b(housing|rehouse|evict\w*|rent|mortgage|sanctuary|property|home safer)\b",
        r"\b(alarm|doorbell|camera fitted|management move|move house)\b",
        r"\b(housing register|swap)\b",
        r"\bstay (in|put|in my) (my )?(home|house)|\bhis name\b|\bjoint names\b|family home",
    ],
    "counselling": [
        r"\b(counsell\w*|therap\w*|ptsd|trauma|anxi\w*|depress\w*|nightmares?)\b",
        r"\b(flashbacks?|panic attacks?|self.?esteem|confidence|mental health)\b",
        r"\b(feelings?|emotional(ly)? (support)?|cop(e|ing)|numb|lonely|ashamed)\b",
        r"\b(crying|heal|recover|support groups?|peer support|freedom programme)\b",
        r"\b(worthless|broken|blame myself|my fault)\b",
    ],
    "legal": [
        r"\b(non.?molestation|injunction|occupation order|protection order)\b",
        r"\b(restraining order|court|solicitor|lawyer|legal( aid| advice| rights)?)\b",
        r"\b(clare'?s law|disclosure scheme|visa|immigration|indefinite leave)\b",
        r"\b(recourse to public funds|divorce|evidence|press charges)\b",
        r"\b(report (him|her|it|abuse|coercive)|police|bail|statement)\b",
        r"\b(special measures|warning notice|charges|destitution|my rights)\b",
        r"\b(right to ask|history of violence|past)\b",
    ],
    "financial": [
        r"\b(money|debts?|loans?|bank|benefits?|universal credit|wages)\b",
        r"\b(credit( card| score)?|bills|afford|financ\w*|economic|allowance)\b",
        r"\b(receipts?|food bank|council tax|child benefit|grant|cards|pay(ing)?)\b",
        r"\b(cash|nappies|accounts? (he|she) can'?t)\b",
    ],
    "children": [
        r"\b(kids?|child(ren)?|son|daughter|baby|little one|school|pupil)\b",
        r"\b(teen(age(r|d)?)?|custody|contact|child arrangements|social services)\b",
        r"\b(handovers?|abroad|parents?|stepdad|i'?m 1[0-7]|1[0-7] year old)\b",
        r"\b(young people|young person|my dad hurts my mum|my parents)\b",
    ],
    "sexual_violence": [
        r"\b(rap(e|ed|ing)|sexual(ly)?|sex|assault(ed)?|spiked|forensic|sarc|isva)\b",
        r"\b(groped|touched|intimate images|nude|nudes|revenge porn|filmed|consent)\b",
        r"\b(morning after|sti test|forced himself|won'?t take no|said no)\b",
    ],
    "stalking": [
        r"\b(stalk\w*|follow(s|ing|ed)? me|following|turns? up|turning up|watching)\b",
        r"\b(watched|harass\w*|fake accounts?|new numbers|block(ed)? him)\b",
        r"\b(driv(es|ing) past|outside my house|silent calls)\b",
        r"\b(keeps (calling|ringing|texting|messaging|emailing|contacting|sending))\b",
        r"\b(won'?t leave me alone|leaves notes|parcels|always where i am)\b",
    ],
    "harmful_practices": [
        r"\b(forced marriage|marr(y|ied|iage)|wedding|engaged|honou?r|izzat|shame)\b",
        r"\b(dishonou?r|fgm|cut|cutting|genital|mutilation|dowry|in.?laws|disown)\b",
        r"\b(pakistan|abroad|passport|virginity|breast ironing|possessed|spiritual)\b",
        r"\b(family want me)\b",
    ],
    "behaviour_change": [
        r"\bi('?m| am) (abusive|violent|jealous|possessive|controlling|abusing)\b",
        r"\bi (control|scare|hurt|push|check|abuse) (my|the people)\b|\bbefore i hurt\b",
        r"\b(help to change|men who abuse|people who are abusive|how i behave|smash things)\b",
        r"\b(my (own )?behaviou?r)\b",
        r"\bi (hit|pushed|grabbed|threw|shout at|lose my temper|monitor|keep putting)\b",
        r"\bi get (jealous|aggressive|angry)\b",
        r"\b(anger( management)?|temper|perpetrator|abusive one)\b",
        r"\b(programme for abusers|i want to change|be a better)\b",
        r"\bi('ve| have) been (violent|abusive)|arrested for (domestic|assault)|lash(ed)? out\b",
        r"\b(when i was angry|my anger|like my (dad|father)|people who hurt their)\b",
        r"\b(how do i stop being|i'?ve been violent|taking it out on)\b",
        r"\b(sort my head out|what i might do|drive or respect|how i treat)\b",
    ],
    "tech_safety": [
        r"\b(instagram|icloud|login|texts|tiktok|whatsapp|laptop|computer|device)\b",
        r"\b(spyware|track(ing|er|s)?|airtag|gps|passwords?|email|ipad|tablet|phone)\b",
        r"\b(location|find my|hidden cameras?|social media|facebook|snapchat)\b",
        r"\b(hack(ed)?|browsing|private browsing|google account|cloud|wifi)\b",
        r"\b(smart speakers?|baby monitor|bugged|app|accounts?|logs? into)\b",
        r"\b(search(es)?|online)\b",
    ],
    "professional_referral": [
        r"\b(refer\w*|client|patient|pupil|service user|tenant|employee|claimant)\b",
        r"\b(marac|dash|idva service|gp|social worker|health visitor|midwife|nurse)\b",
        r"\b(teacher|police officer|probation|housing officer|support worker)\b",
        r"\b(professional|practitioner|agency|pathway|work coach|employer|on behalf)\b",
        r"\b(adult social care|i work (for|in|at))\b",
    ],
    "worried_about_someone": [
        r"\bmy (friend|sister|brother|mum|neighbour|colleague|cousin|gran|best mate)('?s)?\b",
        r"\bmy (son|daughter)('?s)? (partner|girlfriend|boyfriend|husband|wife)\b",
        r"\b(a friend|someone (i know|who is)|her (husband|boyfriend|partner))\b",
        r"\b(his (wife|girlfriend|partner)|next door|help (a|my) friend)\b",
        r"\b(support someone|asking for a friend|not me|talk to my friend)\b",
    ],
}
_COMPILED = {need: [re.compile(p) for p in patterns] for need, patterns in NEED_LEXICON.items()}


def lexicon_counts(text: str) -> list[int]:
    """For each need in NEED_LEXICON order, how many of its patterns match ``text``."""
    norm = normalise(text)
    return [sum(1 for rx in patterns if rx.search(norm)) for patterns in _COMPILED.values()]
