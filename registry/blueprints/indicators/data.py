"""The criminal-justice part of the logframe (EU Action Document ACT-61926, §3.6), as seeded."""

INDICATORS = [
    {
        "code": "2.3",
        "result": "Outcome 2.3: Increased prosecution of trafficking in human beings and smuggling of migrants",
        "text": "Number of cases related to trafficking in human beings and smuggling of migrants "
        "prosecuted by national institutions per year",
        "unit": "cases",
        "disaggregation": "country; crime type (THB, SOM)",
        "by_sex": False,
        "source": "National government reporting; prosecution case records in this registry",
        "definition": "Cases whose prosecution stage started in the period, per country; THB and SOM "
        "counted apart.",
    },
    {
        "code": "2.4.1",
        "result": "Output 2.4: Strengthened capacity of law enforcement to detect and investigate "
        "trafficking and smuggling",
        "text": "Number of government agencies demonstrating improved understanding of the difference "
        "between trafficking in persons and smuggling of migrants",
        "unit": "agencies",
        "disaggregation": "country",
        "by_sex": False,
        "source": "Pre- and post-training tests",
        "definition": "Agencies with at least one practitioner who improved in a training on THB vs "
        "SOM held in the period.",
    },
    {
        "code": "2.5.1",
        "result": "Output 2.5: Strengthened capacity of diplomatic, consular and criminal justice "
        "practitioners in the trafficking in human beings and migrant smuggling process",
        "text": "Number of diplomatic and consular staff with increased knowledge of new forms of "
        "trafficking and of assistance mechanisms",
        "unit": "persons",
        "disaggregation": "sex; country",
        "by_sex": True,
        "source": "Pre- and post-training tests",
        "definition": "Distinct diplomatic or consular practitioners who improved in a training held "
        "in the period.",
    },
    {
        "code": "2.5.2",
        "result": "Output 2.5: Strengthened capacity of diplomatic, consular and criminal justice "
        "practitioners in the trafficking in human beings and migrant smuggling process",
        "text": "Number of criminal justice practitioners demonstrating improved understanding of "
        "gender-sensitive and human-rights-based approaches when prosecuting",
        "unit": "persons",
        "disaggregation": "sex; country",
        "by_sex": True,
        "source": "Pre- and post-training tests",
        "definition": "Distinct police officers, investigators, prosecutors, judges and investigative "
        "judges who improved in a training held in the period.",
    },
    {
        "code": "2.6.1",
        "result": "Output 2.6: Increased regional and international cooperation on trafficking and "
        "smuggling cases",
        "text": "Number of dialogues and meetings increasing regional or international cooperation",
        "unit": "meetings",
        "disaggregation": "country",
        "by_sex": False,
        "source": "Meeting records in this registry",
        "definition": "Meetings held in the period that count toward regional or international "
        "cooperation.",
    },
    {
        "code": "2.6.2",
        "result": "Output 2.6: Increased regional and international cooperation on trafficking and "
        "smuggling cases",
        "text": "Number of joint investigations established",
        "unit": "joint investigation teams",
        "disaggregation": "member country",
        "by_sex": False,
        "source": "Joint investigation team records in this registry",
        "definition": "JITs whose agreement was signed in the period, per member country and in total "
        "(a JIT counts once in the total and once for each member).",
    },
]
