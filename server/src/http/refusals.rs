//! A form posted without JavaScript and refused is answered with a redirect back to its page,
//! the refusal in the address (`?__path=…&__err=…`, leptos' progressive enhancement). Refused
//! again from that page, leptos appends a second pair after the first, and the page reads the
//! first: it would show the old reason, and the address would grow with every try. Only the
//! newest refusal is kept.
use axum::http::{HeaderValue, header::LOCATION};
use axum::response::Response;

/// The keys leptos carries a refusal in.
const REFUSAL_KEYS: [&str; 2] = ["__path", "__err"];

/// Keeps only the newest refusal in the answer's `Location`, if it carries more than one.
pub async fn newest_only(mut response: Response) -> Response {
    let fixed = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(newest_refusal_only)
        .and_then(|l| HeaderValue::from_str(&l).ok());
    if let Some(location) = fixed {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

/// `location` with only the last value of each refusal key, after every other parameter in
/// its order; `None` when it carries at most one refusal.
fn newest_refusal_only(location: &str) -> Option<String> {
    let (address, fragment) = location
        .split_once('#')
        .map_or((location, None), |(a, f)| (a, Some(f)));
    let (path, query) = address.split_once('?')?;
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let is = |pair: &str, key: &str| pair.split('=').next() == Some(key);
    if REFUSAL_KEYS
        .iter()
        .all(|key| pairs.iter().filter(|p| is(p, key)).count() <= 1)
    {
        return None;
    }
    let mut kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|p| !REFUSAL_KEYS.iter().any(|key| is(p, key)))
        .collect();
    for key in REFUSAL_KEYS {
        kept.extend(pairs.iter().rev().find(|p| is(p, key)));
    }
    let mut fixed = format!("{path}?{}", kept.join("&"));
    if let Some(fragment) = fragment {
        fixed.push('#');
        fixed.push_str(fragment);
    }
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::newest_refusal_only;

    #[test]
    fn a_second_refusal_replaces_the_first() {
        assert_eq!(
            newest_refusal_only(
                "http://x/cart?restored=1&__path=%2Fapi%2Fa&__err=T0xE&__path=%2Fapi%2Fb&__err=TkVX"
            )
            .as_deref(),
            Some("http://x/cart?restored=1&__path=%2Fapi%2Fb&__err=TkVX")
        );
    }

    #[test]
    fn an_address_with_one_refusal_or_none_is_left_alone() {
        for location in [
            "http://x/cart?__path=%2Fapi%2Fa&__err=T0xE",
            "http://x/cart?q=1",
            "/checkout/abc",
        ] {
            assert_eq!(newest_refusal_only(location), None, "{location}");
        }
    }
}
