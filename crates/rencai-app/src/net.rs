//! The client's address. `X-Forwarded-For` is believed only when the connection comes from a
//! configured proxy; anyone else could write any address there and dodge per-IP limits.

use std::net::IpAddr;

use ipnet::IpNet;

/// Which peers are our own reverse proxies.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client address given the TCP peer and the `X-Forwarded-For` values (in order).
    /// Walks the forwarded chain from the right, skipping our own proxies; the first address
    /// that is not one of ours is the client. Unparsable entries stop the walk there.
    pub fn client_ip<'a>(&self, peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|v| v.split(',')).map(str::trim).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.contains(ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/8".parse().unwrap()])
    }

    #[test]
    fn untrusted_peers_cannot_claim_an_address() {
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(proxies().client_ip(peer, ["1.2.3.4"]), peer);
    }

    #[test]
    fn trusted_proxy_chain_is_walked_from_the_right() {
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        let got = proxies().client_ip(peer, ["6.6.6.6, 198.51.100.7, 10.1.2.3"]);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().unwrap(), "the spoofable left end is ignored");
        assert_eq!(proxies().client_ip(peer, std::iter::empty()), peer);
        assert_eq!(proxies().client_ip(peer, ["garbage"]), peer);
    }
}
