from archive.history.identity import clean_url, story_key


def test_tracking_parameters_fragment_and_default_port_go():
    assert clean_url("HTTPS://WWW.Inews.id:443/news/a-b?utm_source=fb&utm_medium=x&page=2#comments") == \
        "https://www.inews.id/news/a-b?page=2"
    assert clean_url("http://127.0.0.1:8080/x?fbclid=1") == "http://127.0.0.1:8080/x"


def test_meaningful_query_and_path_case_stay():
    assert clean_url("https://x.id/Read/2021/06/22/ABC?id=7") == "https://x.id/Read/2021/06/22/ABC?id=7"


def test_article_id_wins_over_urls():
    assert story_key("1075375", "https://analisadaily.com/berita/baca/2021/06/22/1075375/new-slug/",
                     "https://analisadaily.com/berita/baca/2021/06/22/1075375/old-slug/") == "id:1075375"


def test_without_id_the_canonical_url_names_the_story():
    amp = story_key(None, "https://www.inews.id/news/internasional/kapal-perang?utm_source=amp",
                    "https://www.inews.id/amp/news/internasional/kapal-perang/all")
    plain = story_key(None, None, "https://www.inews.id/news/internasional/kapal-perang")
    assert amp == plain == "url:https://www.inews.id/news/internasional/kapal-perang"
