//! Which address a request comes from, decided once per request for the failed-sign-in limit.
//! Behind a load balancer every request arrives from the balancer, so with
//! `CHOSO_TRUST_PROXY=1` the address the proxy appended to `X-Forwarded-For` is used instead;
//! without that setting the header is ignored, since anyone can send it.
use app::api::session::ClientAddr;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

pub async fn resolve(trust_proxy: bool, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| {
            addr.ip()
        });
    let client = if trust_proxy {
        forwarded_for(request.headers()).unwrap_or(peer)
    } else {
        peer
    };
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

/// The last address of `X-Forwarded-For`: the one the trusted proxy itself saw.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let list = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .next_back()?;
    list.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_own_entry_is_the_last_one() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "10.9.9.9, 203.0.113.7".parse().unwrap());
        assert_eq!(
            forwarded_for(&headers),
            Some("203.0.113.7".parse().unwrap())
        );
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(forwarded_for(&headers), None);
    }
}
