"""The words the sample-record generator (`metadata.samples`) draws from, as plain (unescaped) text.

Kept apart from the generator so the tables can grow without the code growing. Everything is
fictional except the classification codes, which are the real ISCED-F 2013 fields and ISCED 2011
levels, so that demo records classify the way real repositories' records do. Some strings carry
`&`, `<`, `>` and apostrophes on purpose: they exercise the generator's escaping and every
consumer's handling of it.
"""
from __future__ import annotations

LANGUAGES = ("nl", "en", "fr", "de")
LANGUAGE_WEIGHTS = (35, 30, 20, 15)


def _words(nl: str, en: str, fr: str, de: str) -> dict[str, str]:
    """One text in each of `LANGUAGES`, in that order."""
    return {"nl": nl, "en": en, "fr": fr, "de": de}


# Each subject: its ISCED-F 2013 path (broad, narrow, detailed), its name, topics (with the article
# the description sentences need), and a few keywords.
SUBJECTS = (
    {
        "path": (("05", "Natural sciences, mathematics and statistics"),
                 ("054", "Mathematics and statistics"), ("0541", "Mathematics")),
        "name": _words("Wiskunde", "Mathematics", "Mathématiques", "Mathematik"),
        "topics": (
            _words("breuken", "fractions", "les fractions", "Brüche"),
            _words("lineaire vergelijkingen", "linear equations", "les équations linéaires", "lineare Gleichungen"),
            _words("kansrekening", "probability", "les probabilités", "Wahrscheinlichkeitsrechnung"),
            _words("de stelling van Pythagoras", "the Pythagorean theorem", "le théorème de Pythagore",
              "den Satz des Pythagoras"),
            _words("afgeleiden", "derivatives", "les dérivées", "Ableitungen"),
            _words("ongelijkheden (a < b)", "inequalities (a < b)", "les inégalités (a < b)", "Ungleichungen (a < b)"),
        ),
        "keywords": _words("rekenen;algebra;meetkunde", "arithmetic;algebra;geometry",
                      "calcul;algèbre;géométrie", "Rechnen;Algebra;Geometrie"),
    },
    {
        "path": (("05", "Natural sciences, mathematics and statistics"),
                 ("053", "Physical sciences"), ("0533", "Physics")),
        "name": _words("Natuurkunde", "Physics", "Physique", "Physik"),
        "topics": (
            _words("de wetten van Newton", "Newton's laws", "les lois de Newton", "die Newtonschen Gesetze"),
            _words("elektrische schakelingen", "electric circuits", "les circuits électriques", "Stromkreise"),
            _words("optica", "optics", "l'optique", "die Optik"),
            _words("energie & arbeid", "energy & work", "l'énergie & le travail", "Energie & Arbeit"),
        ),
        "keywords": _words("krachten;beweging;energie", "forces;motion;energy",
                      "forces;mouvement;énergie", "Kräfte;Bewegung;Energie"),
    },
    {
        "path": (("05", "Natural sciences, mathematics and statistics"),
                 ("053", "Physical sciences"), ("0531", "Chemistry")),
        "name": _words("Scheikunde", "Chemistry", "Chimie", "Chemie"),
        "topics": (
            _words("het periodiek systeem", "the periodic table", "le tableau périodique", "das Periodensystem"),
            _words("zuren & basen", "acids & bases", "les acides & les bases", "Säuren & Basen"),
            _words("chemische bindingen", "chemical bonds", "les liaisons chimiques", "chemische Bindungen"),
            _words("reactiesnelheid", "reaction rates", "la vitesse de réaction", "die Reaktionsgeschwindigkeit"),
        ),
        "keywords": _words("molecuul;reactie;atoom", "molecule;reaction;atom",
                      "molécule;réaction;atome", "Molekül;Reaktion;Atom"),
    },
    {
        "path": (("05", "Natural sciences, mathematics and statistics"),
                 ("051", "Biological and related sciences"), ("0511", "Biology")),
        "name": _words("Biologie", "Biology", "Biologie", "Biologie"),
        "topics": (
            _words("fotosynthese", "photosynthesis", "la photosynthèse", "die Photosynthese"),
            _words("de cel", "the cell", "la cellule", "die Zelle"),
            _words("erfelijkheid", "genetics", "la génétique", "die Genetik"),
            _words("ecosystemen", "ecosystems", "les écosystèmes", "Ökosysteme"),
        ),
        "keywords": _words("leven;evolutie;organisme", "life;evolution;organism",
                      "vivant;évolution;organisme", "Leben;Evolution;Organismus"),
    },
    {
        "path": (("05", "Natural sciences, mathematics and statistics"),
                 ("053", "Physical sciences"), ("0532", "Earth sciences")),
        "name": _words("Aardwetenschappen", "Earth sciences", "Sciences de la Terre", "Geowissenschaften"),
        "topics": (
            _words("platentektoniek", "plate tectonics", "la tectonique des plaques", "die Plattentektonik"),
            _words("het klimaat", "climate", "le climat", "das Klima"),
            _words("de waterkringloop", "the water cycle", "le cycle de l'eau", "den Wasserkreislauf"),
        ),
        "keywords": _words("aarde;klimaat;gesteente", "earth;climate;rock",
                      "Terre;climat;roche", "Erde;Klima;Gestein"),
    },
    {
        "path": (("02", "Arts and humanities"), ("022", "Humanities (except languages)"),
                 ("0222", "History and archaeology")),
        "name": _words("Geschiedenis", "History", "Histoire", "Geschichte"),
        "topics": (
            _words("de industriële revolutie", "the Industrial Revolution", "la révolution industrielle",
              "die industrielle Revolution"),
            _words("het Romeinse Rijk", "the Roman Empire", "l'Empire romain", "das Römische Reich"),
            _words("de Koude Oorlog", "the Cold War", "la guerre froide", "den Kalten Krieg"),
            _words("de middeleeuwen", "the Middle Ages", "le Moyen Âge", "das Mittelalter"),
        ),
        "keywords": _words("bronnen;tijdvakken;samenleving", "sources;periods;society",
                      "sources;périodes;société", "Quellen;Epochen;Gesellschaft"),
    },
    {
        "path": (("02", "Arts and humanities"), ("023", "Languages"), ("0231", "Language acquisition")),
        "name": _words("Moderne vreemde talen", "Modern languages", "Langues vivantes", "Fremdsprachen"),
        "topics": (
            _words("onregelmatige werkwoorden", "irregular verbs", "les verbes irréguliers", "unregelmäßige Verben"),
            _words("begrijpend lezen", "reading comprehension", "la compréhension écrite", "das Leseverstehen"),
            _words("een brief schrijven", "letter writing", "l'écriture d'une lettre", "das Briefeschreiben"),
            _words("uitspraak", "pronunciation", "la prononciation", "die Aussprache"),
        ),
        "keywords": _words("grammatica;woordenschat;spreken", "grammar;vocabulary;speaking",
                      "grammaire;vocabulaire;oral", "Grammatik;Wortschatz;Sprechen"),
    },
    {
        "path": (("06", "Information and Communication Technologies (ICTs)"),
                 ("061", "Information and Communication Technologies (ICTs)"),
                 ("0613", "Software and applications development and analysis")),
        "name": _words("Informatica", "Computer science", "Informatique", "Informatik"),
        "topics": (
            _words("programmeren in Python", "programming in Python", "la programmation en Python",
              "das Programmieren mit Python"),
            _words("databases & SQL", "databases & SQL", "les bases de données & SQL", "Datenbanken & SQL"),
            _words("algoritmen", "algorithms", "les algorithmes", "Algorithmen"),
            _words("het <canvas>-element", "the <canvas> element", "l'élément <canvas>", "das <canvas>-Element"),
        ),
        "keywords": _words("programmeren;code;computationeel denken", "programming;code;computational thinking",
                      "programmation;code;pensée informatique", "Programmierung;Code;Informatisches Denken"),
    },
    {
        "path": (("03", "Social sciences, journalism and information"),
                 ("031", "Social and behavioural sciences"), ("0311", "Economics")),
        "name": _words("Economie", "Economics", "Économie", "Wirtschaft"),
        "topics": (
            _words("vraag & aanbod", "supply & demand", "l'offre & la demande", "Angebot & Nachfrage"),
            _words("inflatie", "inflation", "l'inflation", "die Inflation"),
            _words("persoonlijke financiën", "personal budgeting", "le budget personnel", "private Finanzen"),
        ),
        "keywords": _words("markt;geld;consument", "market;money;consumer",
                      "marché;monnaie;consommateur", "Markt;Geld;Verbraucher"),
    },
    {
        "path": (("02", "Arts and humanities"), ("021", "Arts"), ("0213", "Fine arts")),
        "name": _words("Beeldende vorming", "Visual arts", "Arts plastiques", "Bildende Kunst"),
        "topics": (
            _words("perspectieftekenen", "perspective drawing", "le dessin en perspective", "das Perspektivzeichnen"),
            _words("kleurenleer", "colour theory", "la théorie des couleurs", "die Farbenlehre"),
            _words("het impressionisme", "Impressionism", "l'impressionnisme", "den Impressionismus"),
        ),
        "keywords": _words("tekenen;kunstgeschiedenis;kleur", "drawing;art history;colour",
                      "dessin;histoire de l'art;couleur", "Zeichnen;Kunstgeschichte;Farbe"),
    },
)

# Each kind: LOMv1.0 learningResourceType, interactivityType, MIME type, and its name.
KINDS = (
    ("exercise", "active", "text/html", _words("oefening", "exercise", "exercice", "Übung")),
    ("simulation", "active", "text/html", _words("simulatie", "simulation", "simulation", "Simulation")),
    ("questionnaire", "active", "text/html", _words("vragenlijst", "questionnaire", "questionnaire", "Fragebogen")),
    ("diagram", "expositive", "image/svg+xml", _words("schema", "diagram", "schéma", "Diagramm")),
    ("figure", "expositive", "image/png", _words("afbeelding", "figure", "figure", "Abbildung")),
    ("graph", "expositive", "image/png", _words("grafiek", "graph", "graphique", "Grafik")),
    ("index", "expositive", "text/html", _words("overzicht", "index", "index", "Verzeichnis")),
    ("slide", "expositive", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     _words("presentatie", "slide deck", "diaporama", "Foliensatz")),
    ("table", "expositive", "text/csv", _words("tabel", "data table", "tableau", "Tabelle")),
    ("narrative text", "expositive", "application/pdf", _words("lestekst", "reading", "texte", "Lesetext")),
    ("exam", "active", "application/pdf", _words("toets", "exam", "examen", "Prüfung")),
    ("experiment", "active", "application/pdf", _words("practicum", "lab experiment", "expérience", "Experiment")),
    ("problem statement", "mixed", "application/pdf", _words("opdracht", "assignment", "énoncé", "Aufgabe")),
    ("self assessment", "active", "text/html", _words("zelftoets", "self-test", "auto-évaluation", "Selbsttest")),
    ("lecture", "expositive", "video/mp4", _words("hoorcollege", "lecture", "cours magistral", "Vorlesung")),
)

# Each educational setting: LOMv1.0 context, ISCED 2011 levels, typical age range, audience.
SETTINGS = (
    ("school", (("1", "Primary education", "6-12"), ("2", "Lower secondary education", "12-15"),
                ("3", "Upper secondary education", "15-18")),
     _words("leerlingen", "pupils", "élèves", "Schülerinnen und Schüler")),
    ("higher education", (("6", "Bachelor's or equivalent level", "18-22"),
                          ("7", "Master's or equivalent level", "21-")),
     _words("studenten", "students", "étudiants", "Studierende")),
    ("training", (("4", "Post-secondary non-tertiary education", "17-"),
                  ("5", "Short-cycle tertiary education", "18-")),
     _words("cursisten", "trainees", "stagiaires", "Teilnehmende")),
    ("other", (("4", "Post-secondary non-tertiary education", "16-"),),
     _words("volwassenen", "adult learners", "adultes", "Erwachsene")),
)

SETTING_WEIGHTS = (9, 6, 3, 2)

# Description sentences; slots: {kind}, {topic}, {audience}, {subject}, {minutes}.
SENTENCES = {
    "nl": (
        "Deze {kind} behandelt {topic} voor {audience}.",
        "Met uitgewerkte voorbeelden over {topic} oefenen {audience} stap voor stap.",
        "Het materiaal past bij het vak {subject} en kost ongeveer {minutes} minuten.",
        "Docenten kunnen het in de les gebruiken of als huiswerk opgeven.",
        "Antwoorden & tips zijn bijgevoegd, zodat {audience} hun eigen werk kunnen nakijken.",
        "Twee vakexperts hebben de bron beoordeeld voordat die werd gepubliceerd.",
        "Belangrijke begrippen worden uitgelegd in een woordenlijst achteraan.",
        "De bron is geschikt voor gemengd leren; inloggen is niet nodig.",
    ),
    "en": (
        "This {kind} introduces {topic} for {audience}.",
        "Through worked examples on {topic}, {audience} practise step by step.",
        "The material fits a {subject} course and takes about {minutes} minutes.",
        "Teachers can use it in class or set it as homework.",
        "Answers & hints are included, so {audience} can check their own work.",
        "Two subject experts reviewed the resource before it was published.",
        "Key terms are explained in a glossary at the end.",
        "It suits blended learning; no login is required.",
    ),
    "fr": (
        "Cette ressource ({kind}) présente {topic} pour les {audience}.",
        "À l'aide d'exemples résolus sur {topic}, les {audience} progressent pas à pas.",
        "Le contenu s'inscrit dans un cours de {subject} et dure environ {minutes} minutes.",
        "Les enseignants peuvent l'utiliser en classe ou la donner en devoir.",
        "Les réponses & des indices sont fournis pour que les {audience} vérifient leur travail.",
        "Deux experts de la discipline ont relu la ressource avant sa publication.",
        "Les notions clés sont expliquées dans un glossaire à la fin.",
        "Elle convient à l'enseignement hybride ; aucune connexion n'est requise.",
    ),
    "de": (
        "Diese Ressource ({kind}) behandelt {topic} für {audience}.",
        "Anhand durchgerechneter Beispiele zu {topic} üben {audience} Schritt für Schritt.",
        "Das Material passt zum Fach {subject} und dauert etwa {minutes} Minuten.",
        "Lehrkräfte können es im Unterricht einsetzen oder als Hausaufgabe geben.",
        "Lösungen & Hinweise liegen bei, damit {audience} ihre Arbeit selbst prüfen können.",
        "Zwei Fachleute haben die Ressource vor der Veröffentlichung begutachtet.",
        "Wichtige Begriffe werden in einem Glossar am Ende erklärt.",
        "Sie eignet sich für Blended Learning; eine Anmeldung ist nicht nötig.",
    ),
}

TITLES = {
    "nl": ("{Topic}: {kind}", "{Topic} voor {audience}", "{Subject} – {topic}"),
    "en": ("{Topic}: {kind}", "{Topic} for {audience}", "{Subject} – {topic}"),
    "fr": ("{Topic} : {kind}", "{Topic} pour les {audience}", "{Subject} – {topic}"),
    "de": ("{Topic}: {kind}", "{Topic} für {audience}", "{Subject} – {topic}"),
}

LICENCE_LEAD = _words("Gepubliceerd onder", "Licensed under", "Publié sous licence", "Veröffentlicht unter")
LICENCES = (
    ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    ("CC BY 3.0 NL", "https://creativecommons.org/licenses/by/3.0/nl/"),
    ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
)

# People (given name, family name) and publishers, per language of the records they appear in.
PEOPLE = {
    "nl": (("Sanne", "de Vries"), ("Daan", "Jansen"), ("Lotte", "Bakker"), ("Thijs", "van Dijk"),
           ("Emma", "Visser"), ("Bram", "Smit"), ("Fleur", "Mulder"), ("Jeroen", "de Boer")),
    "en": (("Olivia", "Smith"), ("James", "O'Connor"), ("Amelia", "Brown"), ("Harry", "Wilson"),
           ("Priya", "Patel"), ("Noah", "Taylor")),
    "fr": (("Camille", "Martin"), ("Lucas", "Bernard"), ("Chloé", "Dubois"), ("Hugo", "Lefèvre"),
           ("Léa", "Moreau"), ("Théo", "Laurent")),
    "de": (("Lena", "Müller"), ("Jonas", "Schmidt"), ("Sophie", "Schneider"), ("Lukas", "Weber"),
           ("Marie", "Fischer"), ("Felix", "Wagner")),
}
PUBLISHERS = {
    "nl": (("Stichting Open Leermiddelen", "leermiddelen.example.org"),
           ("Hogeschool Noorderpoort", "hs-noorderpoort.example.org")),
    "en": (("Open Learning Commons", "commons.example.org"), ("Riverside College", "riverside.example.com")),
    "fr": (("Réseau Ressources Éducatives", "ressources.example.net"),
           ("Université du Littoral Ouest", "univ-lo.example.net")),
    "de": (("Landesinstitut für Schule & Medien", "lernen.example.com"),
           ("Hochschule am Fluss", "hs-fluss.example.com")),
}
