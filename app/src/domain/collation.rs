//! Vietnamese alphabetical order, as a dictionary or a phone book sorts names, the same
//! whichever database the names came from (SQLite and PostgreSQL sort text by code point or by
//! the server's locale, and `Đ` then lands after `Z`).
//!
//! It follows the Vietnamese tailoring of the Unicode Collation Algorithm (CLDR `vi`), on three
//! levels compared one after the other:
//!
//! 1. **Letters**, accents of tone ignored: the alphabet `a ă â b c d đ e ê g h i k l m n o ô ơ
//!    p q r s t u ư v x y`, with the Latin letters Vietnamese doesn't use (`f j w z`) in their
//!    usual places. So `Đặc sản` comes after every `D…` word and before `E…`, and `Thịt` before
//!    `Thổ cẩm`. Spaces and punctuation come before digits, digits before letters, and any
//!    other script after Latin.
//! 2. **Tones**, word by word: level, then huyền (`à`), hỏi (`ả`), ngã (`ã`), sắc (`á`), nặng
//!    (`ạ`). A word's tone counts wherever in the word its mark sits, so the old and new
//!    spellings `hoà` and `hòa` sort together (as [`super::search::accent_key`] treats them).
//! 3. **Case**: lower case before upper case.
//!
//! The key is built from the text decomposed (NFD), like the search's folding
//! ([`super::search::fold`]), so composed and decomposed input sort alike.
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What a name sorts by: compare two keys to compare the names in Vietnamese order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CollationKey(Vec<u32>);

/// Ends a level, lower than any weight, so a shorter text sorts before a longer one it begins.
const LEVEL_END: u32 = 0;
/// A run of spaces between words.
const SPACE: u32 = 1;
/// Any punctuation or symbol.
const PUNCTUATION: u32 = 2;
/// `0` to `9` follow from here.
const DIGITS: u32 = 10;
/// The alphabet follows from here.
const LETTERS: u32 = 100;
/// Other scripts follow from here, by code point.
const OTHER: u32 = 1_000;

/// The Vietnamese alphabet with the other Latin letters in their places: a letter's primary
/// weight is its index here.
const ALPHABET: [(char, Option<VowelMark>); 35] = [
    ('a', None),
    ('a', Some(VowelMark::Breve)),
    ('a', Some(VowelMark::Circumflex)),
    ('b', None),
    ('c', None),
    ('d', None),
    ('đ', None),
    ('e', None),
    ('e', Some(VowelMark::Circumflex)),
    ('f', None),
    ('g', None),
    ('h', None),
    ('i', None),
    ('j', None),
    ('k', None),
    ('l', None),
    ('m', None),
    ('n', None),
    ('o', None),
    ('o', Some(VowelMark::Circumflex)),
    ('o', Some(VowelMark::Horn)),
    ('p', None),
    ('q', None),
    ('r', None),
    ('s', None),
    ('t', None),
    ('u', None),
    ('u', Some(VowelMark::Horn)),
    ('v', None),
    ('w', None),
    ('x', None),
    ('y', None),
    ('z', None),
    // Not letters of Vietnamese, but kept in order should a name hold them.
    ('a', Some(VowelMark::Horn)),
    ('u', Some(VowelMark::Circumflex)),
];

/// The marks that make a letter of its own (`ă â ê ô ơ ư`), unlike tone marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VowelMark {
    Breve,
    Circumflex,
    Horn,
}

impl VowelMark {
    fn of(mark: char) -> Option<VowelMark> {
        match mark {
            '\u{306}' => Some(VowelMark::Breve),
            '\u{302}' => Some(VowelMark::Circumflex),
            '\u{31B}' => Some(VowelMark::Horn),
            _ => None,
        }
    }
}

/// A tone's rank: huyền, hỏi, ngã, sắc, nặng after the level tone (0), in CLDR's order.
fn tone_weight(mark: char) -> Option<u32> {
    match mark {
        '\u{300}' => Some(1), // huyền
        '\u{309}' => Some(2), // hỏi
        '\u{303}' => Some(3), // ngã
        '\u{301}' => Some(4), // sắc
        '\u{323}' => Some(5), // nặng
        _ => None,
    }
}

/// The key `s` sorts by in Vietnamese order.
pub fn collation_key(s: &str) -> CollationKey {
    let mut primary = Vec::new();
    let mut tones = Vec::new();
    let mut case = Vec::new();
    // The tone of the word being read, once the word has begun.
    let mut word_tone: Option<u32> = None;
    let mut chars = s.nfd().peekable();
    while let Some(c) = chars.next() {
        let mut vowel = None;
        while let Some(&mark) = chars.peek().filter(|m| is_combining_mark(**m)) {
            chars.next();
            if let Some(v) = VowelMark::of(mark) {
                vowel = Some(v);
            } else if let Some(t) = tone_weight(mark) {
                word_tone = Some(word_tone.unwrap_or(0).max(t));
            }
        }
        if c.is_alphanumeric() {
            word_tone.get_or_insert(0);
            primary.push(letter_weight(c, vowel));
            case.push(u32::from(c.is_uppercase()));
        } else {
            tones.extend(word_tone.take());
            let weight = if c.is_whitespace() {
                SPACE
            } else {
                PUNCTUATION
            };
            // A run of spaces counts as one, as it reads.
            if !(weight == SPACE && primary.last() == Some(&SPACE)) {
                primary.push(weight);
            }
        }
    }
    tones.extend(word_tone);
    let mut key = primary;
    key.push(LEVEL_END);
    key.extend(tones);
    key.push(LEVEL_END);
    key.extend(case);
    CollationKey(key)
}

fn letter_weight(c: char, vowel: Option<VowelMark>) -> u32 {
    if let Some(digit) = c.to_digit(10) {
        return DIGITS + digit;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match ALPHABET.iter().position(|&l| l == (lower, vowel)) {
        Some(i) => LETTERS + i as u32,
        // A letter with a mark Vietnamese doesn't have (`ç`) sorts as its plain letter.
        None => match ALPHABET.iter().position(|&l| l == (lower, None)) {
            Some(i) => LETTERS + i as u32,
            None => OTHER + u32::from(lower),
        },
    }
}

/// Sorts `items` in Vietnamese order of `name`; names that sort alike (`hoà`, `hòa`) by their
/// code points, so the order is the same every time.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| {
        let name = name(item);
        (collation_key(name), name.to_owned())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&'static str]) -> Vec<&'static str> {
        let mut names = names.to_vec();
        sort_by_name(&mut names, |n| n);
        names
    }

    #[test]
    fn d_stroke_comes_after_every_d_word_and_before_e() {
        assert_eq!(
            sorted(&[
                "Thổ cẩm Sa Pa",
                "Em Mai",
                "Đặc sản Tây Bắc",
                "Dưa",
                "Dao đỏ",
                "Đào"
            ]),
            [
                "Dao đỏ",
                "Dưa",
                "Đào",
                "Đặc sản Tây Bắc",
                "Em Mai",
                "Thổ cẩm Sa Pa"
            ]
        );
        // `ă` is a letter after `a`: `Đào` before `Đặc`, whatever their tones.
        assert_eq!(sorted(&["Đặc", "Đào", "Đay"]), ["Đào", "Đay", "Đặc"]);
    }

    #[test]
    fn letters_with_vowel_marks_follow_their_plain_letter() {
        assert_eq!(
            sorted(&["Ư", "Ơ", "Ô", "O", "Ê", "Em", "Âu", "Ăn", "An", "Ba", "Uy"]),
            ["An", "Ăn", "Âu", "Ba", "Em", "Ê", "O", "Ô", "Ơ", "Uy", "Ư"]
        );
        // Letters decide before tones: `Thịt` (i) before `Thổ` (ô), `má` before `mai`.
        assert_eq!(sorted(&["Thổ cẩm", "Thịt"]), ["Thịt", "Thổ cẩm"]);
        assert_eq!(sorted(&["mai", "má"]), ["má", "mai"]);
    }

    #[test]
    fn tones_sort_level_huyen_hoi_nga_sac_nang() {
        assert_eq!(
            sorted(&["mạ", "má", "mã", "mả", "mà", "ma"]),
            ["ma", "mà", "mả", "mã", "má", "mạ"]
        );
    }

    #[test]
    fn a_shorter_name_comes_first_and_spaces_before_letters() {
        assert_eq!(
            sorted(&["Chợ Bắc Hà", "Chợ", "Chợ Bắc", "Chợb"]),
            ["Chợ", "Chợ Bắc", "Chợ Bắc Hà", "Chợb"]
        );
        assert_eq!(sorted(&["b", "2", "a", "-"]), ["-", "2", "a", "b"]);
    }

    #[test]
    fn tone_placement_case_and_composition_do_not_change_the_letters_order() {
        assert_eq!(collation_key("hoà bình"), collation_key("hòa bình"));
        let decomposed: String = "Đặc sản".nfd().collect();
        assert_eq!(collation_key(&decomposed), collation_key("Đặc sản"));
        assert_eq!(sorted(&["An", "an"]), ["an", "An"]);
        // Case and tone only break ties: `an` sorts with `An`, not after `Ba`.
        assert_eq!(sorted(&["Ba", "an", "An"]), ["an", "An", "Ba"]);
    }

    #[test]
    fn other_scripts_come_after_latin() {
        assert_eq!(sorted(&["日本", "Zô", "Ý"]), ["Ý", "Zô", "日本"]);
    }
}
