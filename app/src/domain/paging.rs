//! Pages of a list that grows with data: a stall's products, a market's stalls, search hits,
//! orders, the registry. A list is read one page at a time with one row more than it shows, so
//! the page knows whether a next one exists without counting the whole table; a count grows
//! with the data, a look one row ahead does not.
use serde::{Deserialize, Serialize};

/// The furthest page a link may ask for. Deeper pages would make the database skip ever more
/// rows for a stranger repeating one request; nobody reads 500 pages of a list by hand, and
/// the filters narrow it sooner.
pub const LAST_PAGE: u32 = 500;

/// A page number as the address carries it (`?page=3`), counted from 1. Read from a request
/// it is checked like any other input: a page out of range is refused, not clamped silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PageNo(u32);

impl TryFrom<u32> for PageNo {
    type Error = String;

    fn try_from(n: u32) -> Result<Self, Self::Error> {
        PageNo::new(n).ok_or_else(|| format!("page {n} is not between 1 and {LAST_PAGE}"))
    }
}

impl From<PageNo> for u32 {
    fn from(page: PageNo) -> u32 {
        page.0
    }
}

impl PageNo {
    pub const FIRST: PageNo = PageNo(1);

    /// A page from 1 to [`LAST_PAGE`], or nothing.
    pub fn new(n: u32) -> Option<PageNo> {
        (1..=LAST_PAGE).contains(&n).then_some(PageNo(n))
    }

    /// The page an address asks for: a missing, mistyped or out-of-range number shows the
    /// first page rather than an error, since such links come from hand-edited or old addresses.
    pub fn from_query(value: Option<&str>) -> PageNo {
        value
            .and_then(|v| v.trim().parse().ok())
            .and_then(PageNo::new)
            .unwrap_or(PageNo::FIRST)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn previous(self) -> Option<PageNo> {
        PageNo::new(self.0 - 1)
    }

    pub fn next(self) -> Option<PageNo> {
        PageNo::new(self.0 + 1)
    }

    /// The rows to read for this page: those before it are skipped, and one more than a page
    /// is read to learn whether another page follows.
    pub fn window(self, per_page: u32) -> Window {
        Window {
            offset: u64::from(self.0 - 1) * u64::from(per_page),
            limit: u64::from(per_page) + 1,
            per_page,
        }
    }
}

impl Default for PageNo {
    fn default() -> Self {
        PageNo::FIRST
    }
}

/// Which rows one page reads: `OFFSET offset LIMIT limit`, where `limit` is one more than the
/// page holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
    pub per_page: u32,
}

/// One page of a list, and whether another follows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: PageNo,
    pub has_next: bool,
}

impl<T> Paged<T> {
    /// The page from the rows its [`Window`] read: the extra row, when there, only says that a
    /// next page exists.
    pub fn from_window(mut rows: Vec<T>, page: PageNo, window: Window) -> Paged<T> {
        let per_page = window.per_page as usize;
        let has_next = rows.len() > per_page && page.next().is_some();
        rows.truncate(per_page);
        Paged {
            items: rows,
            page,
            has_next,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            has_next: self.has_next,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_page_is_a_number_in_range_or_the_first() {
        assert_eq!(PageNo::from_query(Some("3")).get(), 3);
        assert_eq!(PageNo::from_query(Some(" 2 ")).get(), 2);
        for bad in [
            None,
            Some(""),
            Some("0"),
            Some("-1"),
            Some("x"),
            Some("501"),
        ] {
            assert_eq!(PageNo::from_query(bad), PageNo::FIRST, "{bad:?}");
        }
        assert_eq!(PageNo::FIRST.previous(), None);
        assert_eq!(PageNo::new(LAST_PAGE).unwrap().next(), None);
    }

    #[test]
    fn a_page_from_a_request_is_checked() {
        assert_eq!(serde_json::from_str::<PageNo>("4").unwrap().get(), 4);
        assert!(serde_json::from_str::<PageNo>("0").is_err());
        assert!(serde_json::from_str::<PageNo>("100000").is_err());
        assert_eq!(serde_json::to_string(&PageNo::FIRST).unwrap(), "1");
    }

    #[test]
    fn a_window_reads_one_row_past_the_page() {
        let w = PageNo::new(3).unwrap().window(20);
        assert_eq!((w.offset, w.limit), (40, 21));
    }

    #[test]
    fn the_extra_row_only_says_a_next_page_exists() {
        let page = PageNo::new(2).unwrap();
        let w = page.window(3);
        let full = Paged::from_window(vec![1, 2, 3, 4], page, w);
        assert_eq!((full.items, full.has_next), (vec![1, 2, 3], true));
        let last = Paged::from_window(vec![1, 2, 3], page, w);
        assert_eq!((last.items, last.has_next), (vec![1, 2, 3], false));
        let end = PageNo::new(LAST_PAGE).unwrap();
        let capped = Paged::from_window(vec![1, 2, 3, 4], end, end.window(3));
        assert!(
            !capped.has_next,
            "no link past the last page a link may ask for"
        );
    }
}
