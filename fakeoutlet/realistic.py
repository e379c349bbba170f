"""The realistic web: three outlets behaving as real ones do, edited over eight crawl rounds.

    with realistic_site() as site:        # round 1
        ...crawl...
        site.advance()                    # round 2: that round's edits (ROLES says which)

* `warta` (styles/warta.py), Kompas-like: split articles over `?page=2`, `?page=3` and
  `?page=all`, an `article_url` without `$`; a 404 for an old slug;
* `kilat` (styles/kilat.py), detik-like: an AMP copy of every article, a full redesign
  from round 4 (`REDESIGN_ROUND`) with the caption outside the body, 410 and redirect-home deletions;
* `courier` (styles/courier.py), English: root-relative links with utm parameters,
  JSON-LD `correction` beside a visible "Correction:" line, "Update:" news paragraphs,
  "This story has been updated ..." notices, a consent wall.

Every page churns on every request (styles/portal.py `LiveStyle`). Each article has one
role (`ROLES`: key -> what happens to it, in a few words; `EDITS`: round -> the edits of
that round). The ground truth is the site's own: `FakeSite.served(key)` says what each
round showed of an article, `Reading`s and stand-ins, and `newsroom.reader_changes()`
how two readings differ.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Callable, Hashable

from fakeoutlet.newsroom import Article, Behaviour, Newsroom
from fakeoutlet.site import FakeOutlet, FakeSite
from fakeoutlet.styles import courier, kilat, warta
from fakeoutlet.styles.portal import WIB, shorten
from fakeoutlet.words import make_article, slugify

ROUNDS = 8
REDESIGN_ROUND = 4
OUTLETS = ("warta", "kilat", "courier")
NAMES = {"warta": "Warta.test", "kilat": "kilat.test", "courier": "The Courier"}

# -- article text

_EN_PEOPLE = ["José Ramos-Horta", "Zoë Müller", "Amira Haddad", "Daniel Okafor", "Léa Fontaine", "Rahul Mehta",
              "Siobhán Kelly", "Tomás Ferreira", "Mei Lin", "Ingrid Sørensen"]
_EN_PLACES = ["Dili", "Jakarta", "Canberra", "Manila", "Kuala Lumpur", "Bangkok", "Port Moresby", "Singapore"]
_EN_TOPICS = ["the fisheries agreement", "the new power plant", "the flood relief fund", "the border talks",
              "the vaccine rollout", "the port expansion", "the rice import quota", "the coral reef survey"]
_EN_SENTENCES = [
    "{person} said on Tuesday that {topic} would be reviewed before the end of the month.",
    "Officials in {place} confirmed that {n} people had been affected so far.",
    "\u201cWe are not going to rush this,\u201d {person} told reporters in {place}.",
    "The ministry has set aside ${m} million for {topic}, according to budget documents seen by The Courier.",
    "Critics say {topic} was agreed without consulting the communities it affects.",
    "Talks on {topic} are expected to resume in {place} next week.",
    "Local groups in {place} have called for an independent inquiry.",
    "The figures could not be independently verified.",
    "{person}, who has led the negotiations since March, declined to give a timeline.",
    "A spokesperson for the regional government said the plan remained on track.",
    "Residents of {place} said they had heard nothing from the authorities for days.",
    "Analysts expect {topic} to weigh on the next budget, which is due in October.",
    "Police said {n} officers had been deployed to keep order during the protest.",
    "The opposition has promised to raise {topic} in parliament.",
    "{person} said the decision was final, but did not rule out changes to {topic}.",
    "The report found that costs had risen by {p} percent since last year.",
]
_EN_TITLES = ["{Place} Pushes Ahead With {Topic}", "Questions Grow Over {Topic} in {Place}",
              "{Person} Defends {Topic}", "Thousands Affected as {Place} Awaits Aid", "Deal on {Topic} Stalls in {Place}"]


def _english(key: int, number: str, published: datetime) -> Article:
    rng = random.Random(f"courier-{key}")
    fill = {"person": rng.choice(_EN_PEOPLE), "place": rng.choice(_EN_PLACES), "topic": rng.choice(_EN_TOPICS)}
    title = rng.choice(_EN_TITLES).format(Person=fill["person"], Place=fill["place"],
                                          Topic=fill["topic"].removeprefix("the ").title())
    deck = rng.sample(_EN_SENTENCES, len(_EN_SENTENCES))

    def sentence() -> str:
        return deck.pop().format(n=f"{rng.randint(12, 4800):,}", m=rng.randint(2, 900), p=rng.randint(3, 40), **fill)

    paragraphs = [" ".join(sentence() for _ in range(2)) for _ in range(rng.randint(5, 6))]
    paragraphs[0] = f"{fill['place'].upper()} \u2014 {paragraphs[0]}"
    return Article(key=key, slug=slugify(title), title=title, published=published, pages=[paragraphs],
                   byline=rng.choice(_EN_PEOPLE[5:]), caption=f"A street in {fill['place']} on Monday. (The Courier)",
                   number=number, summary=shorten(deck.pop().format(n="300", m=40, p=5, **fill), 150))


def _indonesian(key: int, number: str, published: datetime, outlet: str, pages: int = 1) -> Article:
    a = make_article(key, n_pages=pages, seed=f"{outlet}-{key}")
    name = NAMES[outlet]
    fixed = [[p.replace("Test News", name) for p in page] for page in a.pages]
    if key % 3 == 0:  # some text only NFD churn can touch
        fixed[0][1] += " Turut hadir Duta Besar Timor Leste, José Ramos-Horta, serta Zoë Müller dari Uni Eropa."
    return replace(a, pages=fixed, published=published, number=number, caption=a.caption.replace("Test News", name),
                   summary=shorten(fixed[0][1], 150), modified=None)


def _with(article: Article, paragraph: str, *, page: int = 0, at: int = 2) -> Article:
    pages = [list(p) for p in article.pages]
    pages[page].insert(at, paragraph)
    return replace(article, pages=pages)


# -- the edits: each (site, key) -> None


Edit = Callable[[FakeSite, Hashable], None]


def _pages(site: FakeSite, key: Hashable) -> list[list[str]]:
    return [list(p) for p in site.story(key).pages]


def top(paragraph: str, modified: datetime) -> Edit:
    def edit(site, key):
        pages = _pages(site, key)
        pages[0].insert(0, paragraph)
        site.edit_article(key, pages=pages, modified=modified)
    return edit


def fix(old: str, new: str) -> Edit:
    def edit(site, key):
        pages = _pages(site, key)
        if not any(old in p for page in pages for p in page):
            raise ValueError(f"{old!r} not in article {key}")
        site.edit_article(key, pages=[[p.replace(old, new) for p in page] for page in pages])
    return edit


def note(text: str) -> Edit:
    return lambda site, key: site.edit_article(key, notes=[*site.story(key).notes, text])


def change(**fields) -> Edit:
    return lambda site, key: site.edit_article(key, **fields)


def append(paragraph: str, page: int = -1, notice: str | None = None) -> Edit:
    def edit(site, key):
        pages = _pages(site, key)
        pages[page].append(paragraph)
        notes = [*site.story(key).notes, notice] if notice else site.story(key).notes
        site.edit_article(key, pages=pages, notes=notes)
    return edit


def move(source: int, target: int) -> Edit:
    def edit(site, key):
        pages = _pages(site, key)
        pages[0].insert(target, pages[0].pop(source))
        site.edit_article(key, pages=pages)
    return edit


def split(index: int) -> Edit:
    """Paragraph `index` of page 1 split in two at a sentence boundary, the same words."""
    def edit(site, key):
        pages = _pages(site, key)
        first, _, rest = pages[0][index].partition(". ")
        if not rest:
            raise ValueError(f"paragraph {index} of {key} has one sentence")
        pages[0][index:index + 1] = [first + ".", rest]
        site.edit_article(key, pages=pages)
    return edit


def merge(index: int) -> Edit:
    """Paragraphs `index` and `index + 1` of page 1 made one, the same words."""
    def edit(site, key):
        pages = _pages(site, key)
        pages[0][index:index + 2] = [pages[0][index] + " " + pages[0][index + 1]]
        site.edit_article(key, pages=pages)
    return edit


def whole(site: FakeSite, key: Hashable) -> None:
    """A split article served whole on one page from now on, the same text."""
    site.edit_article(key, pages=[site.story(key).paragraphs])


def switch(behaviour: Behaviour, on: bool = True) -> Edit:
    return lambda site, key: site.outlet_of(key).newsroom.switch(key, behaviour, on)


def delete(answer: int | str = 404) -> Edit:
    return lambda site, key: site.outlet_of(key).newsroom.delete(key, answer)


# -- the articles and their roles

_T0 = datetime(2021, 6, 21, 8, 0, tzinfo=WIB)
RUPIAH = "Nilai tukar rupiah pada perdagangan sore itu ditutup melemah ke level Rp11.317 per dolar Singapura."
RAPAT = "Rapat dengar pendapat dengan Komisi V DPR itu digelar di Jakarta pada Selasa (23/2/2021) siang."
EN_DATE = "The agreement was first signed in Dili on June 22, 2021, after two years of talks."


def _h(hours: float) -> datetime:
    return _T0 + timedelta(hours=hours)


def _roles() -> list[tuple[str, Article, str, dict[int, list[Edit]]]]:
    """(outlet, article in round 1, its role, round -> its edits)."""
    W = lambda n, pages=1: _indonesian(2100 + n, f"{14050000 + n * 7}", _h(n), "warta", pages)  # noqa: E731
    K = lambda n: _indonesian(3100 + n, f"{5623000 + n * 13}", _h(n + 0.5), "kilat")  # noqa: E731
    C = lambda n: _english(4100 + n, f"{90210 + n * 3}", _h(n + 0.25))  # noqa: E731
    t = _h(60)
    roles = [
        ("warta", W(1), "churn only", {}),
        ("warta", W(2, 3), "split in 3 pages, untouched", {}),
        ("warta", _with(W(3, 3), RUPIAH, page=2, at=1), "split: page 3 edited (r3), served whole (r6)",
         {3: [fix("Rp11.317", "Rp11.371")], 6: [whole]}),
        ("warta", W(4, 3), "split, ?page=all linked: page 2 gains a paragraph (r5)",
         {5: [append("Pemerintah daerah juga menyiapkan dana cadangan untuk tahap berikutnya.", page=1)]}),
        ("warta", W(5), "rolling: paragraph on top (r2, r4, r6)",
         {2: [top("Pembaruan pukul 10.00 WIB: jumlah pengungsi bertambah menjadi 1.240 orang.", t)],
          4: [top("Pembaruan pukul 14.00 WIB: jalur logistik ke lokasi kembali dibuka.", t + timedelta(hours=4))],
          6: [top("Pembaruan pukul 19.30 WIB: bantuan tahap kedua tiba di posko utama.", t + timedelta(hours=9))]}),
        ("warta", _with(W(6), RAPAT), "date fixed (r3), then Ralat note (r5)",
         {3: [fix("(23/2/2021)", "(23/6/2021)")],
          5: [note("Ralat: Artikel ini sebelumnya menyebut rapat digelar pada Selasa (23/2/2021). "
                   "Yang benar Selasa (23/6/2021).")]}),
        ("warta", W(7), "headline reworded, new slug, old URL 404 (r4)",
         {4: [change(title="Pemerintah Tunda Pembahasan Anggaran hingga Pekan Depan",
                     slug="pemerintah-tunda-pembahasan-anggaran-hingga-pekan-depan")]}),
        ("warta", W(8), "paywall (r3)", {3: [switch(Behaviour.PAYWALL)], 4: [switch(Behaviour.PAYWALL, False)]}),
        ("warta", W(9), "soft 404 (r5)", {5: [switch(Behaviour.SOFT_ERROR)], 6: [switch(Behaviour.SOFT_ERROR, False)]}),
        ("warta", W(10), "paragraph split (r3), two merged (r6)", {3: [split(2)], 6: [merge(3)]}),
        ("warta", W(11), "byline changed (r2)", {2: [change(byline="Tim Redaksi Warta")]}),
        ("warta", W(12), "headline reworded, same slug (r4)",
         {4: [change(title="DPR Minta Pemerintah Jelaskan Penundaan Proyek Bendungan")]}),
        ("warta", W(13), "deleted: 404 (r5)", {5: [delete(404)]}),
        ("warta", W(14), "Koreksi note (r3)",
         {3: [note("Koreksi: Jabatan narasumber pada paragraf ketiga sebelumnya keliru dan telah diperbaiki.")]}),
        ("warta", W(15), "503 in the last round", {ROUNDS: [switch(Behaviour.UNAVAILABLE)]}),

        ("kilat", K(1), "churn only, AMP copy, redesign", {}),
        ("kilat", K(2), "caption changed (r2)",
         {2: [change(caption="Petugas memeriksa lokasi kejadian, Selasa (22/6/2021). (Foto: kilat.test)")]}),
        ("kilat", K(3), "lede changed (r3)",
         {3: [change(summary="Pemerintah memastikan bantuan tahap kedua disalurkan pekan ini.")]}),
        ("kilat", K(4), "paragraph moved (r5)", {5: [move(4, 1)]}),
        ("kilat", K(5), "headline reworded, new slug, old URL 301 (r3)",
         {3: [change(title="Ribuan Warga Mengungsi, Posko Darurat Ditambah",
                     slug="ribuan-warga-mengungsi-posko-darurat-ditambah")]}),
        ("kilat", _with(K(6), RUPIAH), "number fixed Rp11.317 -> Rp11.371 (r6)", {6: [fix("Rp11.317", "Rp11.371")]}),
        ("kilat", K(7), "deleted: 410 (r6)", {6: [delete(410)]}),
        ("kilat", K(8), "deleted: redirect home (r7)", {7: [delete("home")]}),
        ("kilat", K(9), "truncated page (r5)", {5: [switch(Behaviour.TRUNCATED)], 6: [switch(Behaviour.TRUNCATED, False)]}),
        ("kilat", K(10), "Ralat note, visible and JSON-LD (r5)",
         {5: [note("Ralat: Judul artikel ini sebelumnya menyebut jumlah korban 12 orang. Yang benar 21 orang.")]}),
        ("kilat", K(11), "rolling: paragraph on top (r3, r5, r7)",
         {3: [top("Update 09.15 WIB: hujan deras kembali mengguyur kawasan itu pagi ini.", t)],
          5: [top("Update 13.40 WIB: tim SAR menemukan dua warga yang sempat dilaporkan hilang.", t + timedelta(hours=4))],
          7: [top("Update 20.05 WIB: status tanggap darurat diperpanjang tujuh hari.", t + timedelta(hours=11))]}),
        ("kilat", K(12), "byline changed (r6)", {6: [change(byline="Tim kilat")]}),
        ("kilat", K(13), "two paragraphs merged (r2)", {2: [merge(1)]}),
        ("kilat", K(14), "headline reworded, same slug (r7)",
         {7: [change(title="Harga Cabai Rawit Turun Jelang Akhir Pekan")]}),
        ("kilat", K(15), "published date changed (r4)", {4: [change(published=_h(15) - timedelta(days=1))]}),

        ("courier", C(1), "churn only, utm links", {}),
        ("courier", C(2), "Correction: visible + JSON-LD correction (r3)",
         {3: [note("Correction: An earlier version of this story misstated the size of the relief fund. "
                   "It is $40 million, not $400 million.")]}),
        ("courier", C(3), "Update: news paragraph (r4)",
         {4: [append("Update: By Wednesday evening, the government had not responded to the report.")]}),
        ("courier", C(4), "updated-to-include notice + paragraph (r3)",
         {3: [append("In a statement on Wednesday, the ministry said it would publish the full figures next month.",
                     notice="This story has been updated to include a statement from the ministry.")]}),
        ("courier", C(5), "consent wall (r5)", {5: [switch(Behaviour.CONSENT)], 6: [switch(Behaviour.CONSENT, False)]}),
        ("courier", C(6), "headline reworded, same slug (r2)",
         {2: [change(title="Relief Talks Stall as Floodwaters Rise")]}),
        ("courier", C(7), "rolling: paragraph on top (r2, r4, r6, r8)",
         {2: [top("The death toll rose to 14 on Tuesday morning, officials said.", t)],
          4: [top("The death toll rose to 19 on Tuesday afternoon, officials said.", t + timedelta(hours=5))],
          6: [top("The death toll rose to 23 on Wednesday, officials said.", t + timedelta(hours=24))],
          8: [top("The death toll rose to 26 on Thursday, officials said.", t + timedelta(hours=48))]}),
        ("courier", C(8), "paragraph split (r5)", {5: [split(1)]}),
        ("courier", _with(C(9), EN_DATE), "date fixed June 22 -> June 23 (r6)", {6: [fix("June 22, 2021", "June 23, 2021")]}),
        ("courier", C(10), "deleted: 404 (r6)", {6: [delete(404)]}),
        ("courier", C(11), "byline and modified changed (r7)", {7: [change(byline="Courier Staff", modified=t)]}),
        ("courier", C(12), "paragraph moved (r3)", {3: [move(1, 4)]}),
        ("courier", C(13), "paywall (r6)", {6: [switch(Behaviour.PAYWALL)], 7: [switch(Behaviour.PAYWALL, False)]}),
        ("courier", C(14), "lede changed (r4)",
         {4: [change(summary="Negotiators say a deal is still possible before the end of the month.")]}),
        ("courier", C(15), "503 in the last round", {ROUNDS: [switch(Behaviour.UNAVAILABLE)]}),
    ]
    return roles


ROLES: dict[Hashable, str] = {article.key: role for _, article, role, _ in _roles()}


def _script(plan: list[tuple[str, Article, str, dict[int, list[Edit]]]]) -> dict[int, Callable[[FakeSite], str]]:
    def round_edits(number: int) -> Callable[[FakeSite], str]:
        def run(site: FakeSite) -> str:
            done = []
            if number == REDESIGN_ROUND:
                site.redesign()
                done.append("kilat redesigned")
            for _, article, role, edits in plan:
                for edit in edits.get(number, ()):
                    edit(site, article.key)
                if number in edits:
                    done.append(f"{article.key} ({role})")
            return "; ".join(done) or "no edits"
        return run

    return {n: round_edits(n) for n in range(2, ROUNDS + 1)}


def realistic_site(port: int = 0) -> FakeSite:
    """The realistic web in round 1: three outlets of 15 articles each (see the module)."""
    plan = _roles()
    by_outlet = {key: [a for o, a, _, _ in plan if o == key] for key in OUTLETS}
    whole = frozenset(a.key for _, a, role, _ in plan if "?page=all" in role)
    outlets = [
        FakeOutlet("warta", NAMES["warta"], Newsroom(by_outlet["warta"], topic_pages=1), warta.WartaStyle(whole),
                   warta.TOPIC, selectors=warta.SELECTORS),
        FakeOutlet("kilat", NAMES["kilat"], Newsroom(by_outlet["kilat"], topic_pages=1), kilat.KilatStyle(),
                   kilat.TOPIC, selectors=kilat.SELECTORS, redesign=kilat.RedesignedKilatStyle()),
        FakeOutlet("courier", NAMES["courier"], Newsroom(by_outlet["courier"], topic_pages=1), courier.CourierStyle(),
                   courier.TOPIC, language="en"),
    ]
    return FakeSite(outlets, front_page="The realistic web", script=_script(plan), server_name="realistic/1.0",
                    port=port)
