//! The previous / next links under a paged list. Plain links carrying every other query
//! parameter, so filters survive paging and it all works without JavaScript.
use crate::domain::paging::PageNo;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// `path?…&page=n`: the address of another page of the same list, keeping the other parameters
/// (a search's words, a market filter) in their order. The first page has no `page` parameter,
/// so it shares its address, and any cache entry, with the list's plain link.
pub fn page_href(path: &str, query: &ParamsMap, page: PageNo) -> String {
    let mut query = query.clone();
    query.remove("page");
    if page != PageNo::FIRST {
        query.insert("page", page.get().to_string());
    }
    format!("{path}{}", query.to_query_string())
}

/// Links to the previous and the next page, and the current page's number; nothing when the
/// whole list fits on its first page. `label` names the list for screen readers. Plain
/// anchors, which the router still follows in place once the page runs: its `<A>` would mark
/// both links as the current page, since it compares paths without their query.
#[component]
pub fn Pager(
    #[prop(into)] path: String,
    query: ParamsMap,
    page: PageNo,
    has_next: bool,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let previous = page.previous();
    let next = page.next().filter(|_| has_next);
    (previous.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pages" aria-label=move || label.get()>
                {previous.map(|p| view! {
                    <a href=page_href(&path, &query, p) rel="prev">{t!(i18n, pager.previous)}</a>
                })}
                <span aria-current="page">{t!(i18n, pager.page, n = page.get())}</span>
                {next.map(|p| view! {
                    <a href=page_href(&path, &query, p) rel="next">{t!(i18n, pager.next)}</a>
                })}
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_parameters_survive_and_the_first_page_has_no_number() {
        let mut q = ParamsMap::new();
        q.insert("q", "mật ong".to_owned());
        q.insert("page", "2".to_owned());
        q.insert("market", "sa-pa".to_owned());
        let third = page_href("/search", &q, PageNo::new(3).unwrap());
        assert!(third.starts_with("/search?"), "{third}");
        assert!(
            third.contains("page=3") && !third.contains("page=2"),
            "{third}"
        );
        assert!(third.contains("market=sa%2Dpa"), "{third}");
        let first = page_href("/search", &q, PageNo::FIRST);
        assert!(!first.contains("page="), "{first}");
        let empty = page_href("/stalls/x", &ParamsMap::new(), PageNo::FIRST);
        assert_eq!(empty, "/stalls/x");
    }
}
