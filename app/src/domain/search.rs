//! Vietnamese-aware search. People often type without accents (`mat ong` for `mật ong`), so
//! matching is done on accent-free folded text, and accents only decide the order: a query
//! typed with the right accents lists the exact product first.
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words kept from a query; more add little and make the database query slower.
const MAX_TERMS: usize = 8;

/// Accent-free, lowercase words separated by single spaces: `Cà phê Y Tý` → `ca phe y ty`.
///
/// This is the form stored in the database's search column and compared against query terms.
pub fn fold(s: &str) -> String {
    words(s).map(fold_word).collect::<Vec<_>>().join(" ")
}

/// Lowercase words that keep their accents but not where the tone mark was placed, so the old
/// and new spellings agree: `hoà` = `hòa`, `thuỷ` = `thủy`, while `mật`, `mặt` and `mat`
/// all differ.
///
/// Each word is its NFC letters without the tone mark (vowel marks â ă ê ô ơ ư and đ stay),
/// followed by the word's tone as a VIQR symbol, or `_` for the level tone. Always ending a
/// word with its tone keeps `mâ` from being found inside `mật`.
pub fn accent_key(s: &str) -> String {
    words(s).map(accent_key_word).collect::<Vec<_>>().join(" ")
}

/// A parsed search box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Folded form of each word.
    terms: Vec<String>,
    /// Accent keys of the words typed with at least one diacritic.
    accented: Vec<String>,
}

impl Query {
    /// Splits the text into at most 8 words, folding each and keeping the accent key of the
    /// words that were typed with accents.
    pub fn parse(s: &str) -> Query {
        let mut query = Query::default();
        for word in words(s).take(MAX_TERMS) {
            query.terms.push(fold_word(word));
            if has_diacritic(word) {
                query.accented.push(accent_key_word(word));
            }
        }
        query
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The folded terms, each to be found in a folded column (`LIKE '%term%'`). They hold only
    /// letters and digits, so they need no escaping of `%` or `_`.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The accent keys of the words typed with accents, each to begin a word of
    /// [`name_accents`] for the exact-accent rank.
    pub fn accented(&self) -> &[String] {
        &self.accented
    }
}

/// A name's folded words padded with a space at each end, as stored beside the product so the
/// database ranks by [`rank`]'s rule: a term is in the name when the [`word_needle`] is in it.
pub fn name_words(name: &str) -> String {
    format!(" {} ", fold(name))
}

/// A name's [`accent_key`] padded with a space at each end, as stored beside the product: a
/// word typed with accents is in the name when ` {key}` is in it, as [`rank`] decides.
pub fn name_accents(name: &str) -> String {
    format!(" {} ", accent_key(name))
}

/// How well a product matches, lower first; `None` when it does not match at all.
///
/// - `Some(0)`: every term is in the name, and every word typed with accents is in the name
///   with exactly those accents. A query typed without any accent never gets here, so it
///   does not favour one accent over another.
/// - `Some(1)`: every term is in the name, ignoring accents.
/// - `Some(2)`: every term is in the name or `other_text` (stall, market, description).
pub fn rank(q: &Query, name: &str, other_text: &str) -> Option<u8> {
    let name_folded = fold(name);
    let other_folded = fold(other_text);
    let in_name = |term: &String| has_word(&name_folded, term);
    if !q
        .terms
        .iter()
        .all(|t| in_name(t) || has_word(&other_folded, t))
    {
        return None;
    }
    if !q.terms.iter().all(in_name) {
        return Some(2);
    }
    let name_key = accent_key(name);
    let accents_exact =
        !q.accented.is_empty() && q.accented.iter().all(|k| starts_a_word(&name_key, k));
    Some(if accents_exact { 0 } else { 1 })
}

/// Shortest term that may match the start of a longer word.
const PREFIX_MIN_CHARS: usize = 4;

/// What a folded term must match in a folded text padded with a space at each end: a short
/// term the whole word (Vietnamese syllables are short, and `ha` inside `hàm` or `chải` is
/// noise when looking for Bắc Hà), a longer one the start of a word (`buffal` finds
/// `buffalo`, `plum` finds `plums`). The database uses the same needle in `LIKE '%needle%'`.
pub fn word_needle(term: &str) -> String {
    if matches_word_starts(term) {
        format!(" {term}")
    } else {
        format!(" {term} ")
    }
}

/// Whether a folded term matches the start of longer words too, rather than whole words only:
/// the rule of [`word_needle`], which a word index states as a prefix query.
pub fn matches_word_starts(term: &str) -> bool {
    term.chars().count() >= PREFIX_MIN_CHARS
}

/// Whether `term` matches a word of the folded `text` by the rule of [`word_needle`].
pub fn has_word(text: &str, term: &str) -> bool {
    format!(" {text} ").contains(&word_needle(term))
}

/// Whether `key` begins one of the words of `text`.
fn starts_a_word(text: &str, key: &str) -> bool {
    text.starts_with(key) || text.contains(&format!(" {key}"))
}

/// Words of the market's goods as vendors name them, with what an English-speaking shopper
/// types for them. A product named with one of them is found by its English too
/// ([`english_for`]), and a search that finds nothing suggests the other language
/// ([`similar_words`]).
pub const GLOSSARY: &[(&str, &str)] = &[
    ("mật ong", "honey"),
    ("mận", "plums"),
    ("đào", "peaches"),
    ("lê", "pears"),
    ("thịt trâu", "buffalo"),
    ("thịt lợn", "pork"),
    ("lạp xưởng", "sausage"),
    ("chè", "tea"),
    ("trà", "tea"),
    ("cà phê", "coffee"),
    ("rượu", "liquor"),
    ("rượu", "wine"),
    ("gạo", "rice"),
    ("nếp", "sticky rice"),
    ("nấm", "mushrooms"),
    ("măng", "bamboo shoots"),
    ("thảo quả", "cardamom"),
    ("quế", "cinnamon"),
    ("gừng", "ginger"),
    ("hạt dẻ", "chestnuts"),
    ("thổ cẩm", "brocade"),
    ("rau", "vegetables"),
];

/// The English of the [`GLOSSARY`]'s Vietnamese words found in `name`, with their accents:
/// `Mận hậu` gives `plums`, `Mạn` nothing.
pub fn english_for(name: &str) -> String {
    let key = format!(" {} ", accent_key(name));
    GLOSSARY
        .iter()
        .filter(|(vi, _)| key.contains(&format!(" {} ", accent_key(vi))))
        .map(|(_, en)| *en)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words to try instead of `q`, from the [`GLOSSARY`]: the English for the Vietnamese words
/// in it (accents optional, `mat ong` → `honey`) and the Vietnamese for its English words
/// (`plum` → `mận`). Each once, in the glossary's order.
pub fn similar_words(q: &str) -> Vec<&'static str> {
    let folded = fold(q);
    // A glossary word in the query, or a query word that begins it (`plum` for `plums`).
    let has_all = |phrase: &str| {
        words(phrase)
            .map(fold_word)
            .all(|w| has_word(&folded, &w) || words(&folded).any(|t| has_word(&w, t)))
    };
    let mut found = Vec::new();
    for &(vi, en) in GLOSSARY {
        for (from, to) in [(vi, en), (en, vi)] {
            if has_all(from) && fold(to) != folded && !found.contains(&to) {
                found.push(to);
            }
        }
    }
    found
}

/// Runs of letters and digits, with any combining marks that belong to them.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

/// Lowercase, decomposed, every combining mark dropped, and đ (a letter of its own in
/// Unicode, not d with a mark) written d.
fn fold_word(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

fn accent_key_word(word: &str) -> String {
    let mut tone = '_';
    let mut key: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|&c| match tone_symbol(c) {
            Some(symbol) => {
                tone = symbol;
                false
            }
            None => true,
        })
        .nfc()
        .collect();
    key.push(tone);
    key
}

/// The VIQR symbol of a Vietnamese tone mark.
fn tone_symbol(mark: char) -> Option<char> {
    match mark {
        '\u{300}' => Some('`'),  // huyền
        '\u{301}' => Some('\''), // sắc
        '\u{303}' => Some('~'),  // ngã
        '\u{309}' => Some('?'),  // hỏi
        '\u{323}' => Some('.'),  // nặng
        _ => None,
    }
}

fn has_diacritic(word: &str) -> bool {
    word.nfd()
        .any(|c| is_combining_mark(c) || matches!(c, 'đ' | 'Đ'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str, name: &str) -> bool {
        rank(&Query::parse(query), name, "").is_some()
    }

    #[test]
    fn glossary_words_in_a_name_give_their_english() {
        assert_eq!(english_for("Mật ong bạc hà"), "honey");
        assert_eq!(english_for("Mận hậu Bắc Hà"), "plums");
        assert_eq!(english_for("Rượu ngô"), "liquor wine");
        assert_eq!(english_for("Mát ong"), "", "accents must match");
        assert_eq!(english_for("Trâu gác bếp"), "", "the whole phrase");
    }

    #[test]
    fn similar_words_cross_to_the_other_language() {
        assert_eq!(similar_words("mat ong rung"), ["honey"]);
        assert_eq!(similar_words("Plum"), ["mận"]);
        assert_eq!(similar_words("plums"), ["mận"]);
        assert_eq!(similar_words("wild honey"), ["mật ong"]);
        assert_eq!(similar_words("tea"), ["chè", "trà"]);
        assert!(similar_words("xyz").is_empty());
        assert!(similar_words("honey").iter().all(|w| *w != "honey"));
    }

    #[test]
    fn a_short_term_matches_whole_words_and_a_long_one_word_starts() {
        assert!(finds("bac ha", "Mận Bắc Hà"));
        assert!(
            !finds("bac ha", "Vòng bạc, hàm lượng cao"),
            "`ha` is not `hàm`"
        );
        assert!(!finds("ha", "Lao Chải"), "nor inside `chải`");
        assert!(finds("buffal", "Smoked buffalo"));
        assert!(
            !finds("uffalo", "Smoked buffalo"),
            "only from a word's start"
        );
    }

    #[test]
    fn folding_drops_accents_case_and_punctuation() {
        assert_eq!(fold("Cà phê Y Tý"), "ca phe y ty");
        assert_eq!(fold("BẮC HÀ"), "bac ha");
        assert_eq!(fold("Đặc sản"), "dac san");
        assert_eq!(
            fold("  Mật ong -- bạc hà (500ml)! "),
            "mat ong bac ha 500ml"
        );
        assert_eq!(fold("Thuỷ, Thủy"), "thuy thuy");
        assert_eq!(fold("¿?!"), "");
    }

    #[test]
    fn folding_treats_decomposed_input_like_composed_input() {
        assert_eq!(fold("Ma\u{323}\u{302}t ong"), "mat ong");
        assert_eq!(accent_key("Ma\u{323}\u{302}t"), accent_key("Mật"));
    }

    #[test]
    fn old_and_new_tone_placement_give_the_same_accent_key() {
        assert_eq!(accent_key("hoà"), accent_key("hòa"));
        assert_eq!(accent_key("thuỷ"), accent_key("thủy"));
        assert_eq!(accent_key("khoẻ"), accent_key("khỏe"));
        assert_eq!(accent_key("Hoà Bình"), accent_key("hòa bình"));
    }

    #[test]
    fn different_accents_give_different_accent_keys() {
        let keys = ["mật", "mat", "mặt", "mát", "mâ", "mất"].map(accent_key);
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn accent_keys_keep_vowel_marks_and_d_stroke() {
        assert_eq!(accent_key("Đặc sản"), "đăc. san?");
        assert_eq!(accent_key("Mật ong"), "mât. ong_");
    }

    #[test]
    fn a_query_keeps_at_most_eight_folded_terms() {
        let q = Query::parse("một hai ba bốn năm sáu bảy tám chín mười");
        assert_eq!(q.terms().len(), 8);
        assert_eq!(q.terms()[0], "mot");
        assert!(Query::parse(" - ! ").is_empty());
    }

    #[test]
    fn unaccented_queries_find_accented_names() {
        assert!(finds("ca phe", "Cà phê Y Tý"));
        assert!(finds("mat ong", "Mật ong bạc hà"));
        assert!(finds("thit trau", "Thịt trâu gác bếp"));
        assert!(finds("dac san", "Đặc sản"));
        assert!(finds("hoa", "Chè hòa"));
        assert!(!finds("ca phe", "Chè Shan tuyết"));
    }

    #[test]
    fn a_term_found_only_in_other_text_ranks_after_name_matches() {
        let q = Query::parse("BAC HA");
        assert_eq!(rank(&q, "Mận tam hoa", "Chợ Bắc Hà"), Some(2));
        assert_eq!(rank(&q, "Mận tam hoa Bắc Hà", "Chợ Bắc Hà"), Some(1));
        assert_eq!(rank(&q, "Mận tam hoa", "Chợ Sa Pa"), None);
    }

    #[test]
    fn every_term_must_match_somewhere() {
        let q = Query::parse("mận sa pa");
        assert_eq!(rank(&q, "Mận tam hoa", "Chợ Bắc Hà"), None);
        assert_eq!(rank(&q, "Mận tam hoa", "Chợ Sa Pa"), Some(2));
    }

    #[test]
    fn a_query_with_exact_accents_ranks_the_exact_name_first() {
        let accented = Query::parse("mật ong");
        assert_eq!(rank(&accented, "Mật ong bạc hà", ""), Some(0));
        assert_eq!(rank(&accented, "Mát ong", ""), Some(1));
        let plain = Query::parse("mat ong");
        assert_eq!(rank(&plain, "Mật ong bạc hà", ""), Some(1));
        assert_eq!(rank(&plain, "Mát ong", ""), Some(1));
    }

    #[test]
    fn tone_placement_does_not_break_an_exact_match() {
        assert_eq!(rank(&Query::parse("hoà"), "Chè Hòa Bình", ""), Some(0));
        assert_eq!(rank(&Query::parse("thuỷ"), "Mật ong Thủy", ""), Some(0));
    }

    #[test]
    fn a_prefix_with_a_vowel_mark_is_not_an_exact_match_for_a_longer_word() {
        assert_eq!(rank(&Query::parse("thươ"), "Thương hiệu", ""), Some(1));
    }
}
