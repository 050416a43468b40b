//! Vietnamese alphabetical order, as a dictionary or a phone book sorts names, the same
//! whichever database the names came from (SQLite and PostgreSQL sort text by code point or by
//! the server's locale, and `Đ` then lands after `Z`).
//!
//! The order is CLDR's Vietnamese tailoring of the Unicode Collation Algorithm, from ICU4X's
//! collator: letters first (`a ă â b … đ … ơ … ư …`, so `Đặc sản` comes after every `D…` word and
//! `Thịt` before `Thổ cẩm`), then tones (level, huyền, hỏi, ngã, sắc, nặng), then case.
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// The Vietnamese collator, from the data compiled into the binary.
fn vietnamese() -> CollatorBorrowed<'static> {
    Collator::try_new((&locale!("vi")).into(), CollatorOptions::default())
        .expect("the compiled collation data holds Vietnamese")
}

/// Sorts `items` in Vietnamese order of `name`; names that collate alike by their code points,
/// so the order is the same every time.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    let collator = vietnamese();
    items.sort_by(|a, b| {
        let (a, b) = (name(a), name(b));
        collator.compare(a, b).then_with(|| a.cmp(b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

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
    fn a_shorter_name_comes_first_and_case_only_breaks_ties() {
        assert_eq!(
            sorted(&["Chợ Bắc Hà", "Chợ", "Chợ Bắc", "Chợb"]),
            ["Chợ", "Chợ Bắc", "Chợ Bắc Hà", "Chợb"]
        );
        assert_eq!(sorted(&["Ba", "an", "An"]), ["an", "An", "Ba"]);
    }

    #[test]
    fn composed_and_decomposed_names_sort_alike() {
        let decomposed: String = "Đặc sản".nfd().collect();
        let collator = vietnamese();
        assert_eq!(
            collator.compare(&decomposed, "Đặc sản"),
            std::cmp::Ordering::Equal
        );
    }
}
