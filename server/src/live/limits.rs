//! How many event streams are open, per client address and in all: each holds a connection
//! and a task, so a stranger can't open them without end.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub struct StreamLimits {
    per_client: usize,
    overall: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// One open stream, counted until it is dropped.
pub struct StreamSlot {
    limits: Arc<StreamLimits>,
    client: IpAddr,
}

impl StreamLimits {
    pub fn new(per_client: usize, overall: usize) -> Self {
        StreamLimits {
            per_client,
            overall,
            open: Mutex::default(),
        }
    }

    /// A slot for one more stream from `client`, or `None` when it or everyone has too many.
    pub fn open(self: &Arc<Self>, client: IpAddr) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let mine = open.by_client.get(&client).copied().unwrap_or_default();
        if mine >= self.per_client || open.total >= self.overall {
            return None;
        }
        open.total += 1;
        open.by_client.insert(client, mine + 1);
        Some(StreamSlot {
            limits: self.clone(),
            client,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.limits.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total -= 1;
        if let Some(mine) = open.by_client.get_mut(&self.client) {
            *mine -= 1;
            if *mine == 0 {
                open.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_and_everyone_get_their_number_of_streams_and_them_back_once_closed() {
        let limits = Arc::new(StreamLimits::new(2, 3));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let first = limits.open(a).unwrap();
        let _second = limits.open(a).unwrap();
        assert!(limits.open(a).is_none(), "a third from one client");
        let _third = limits.open(b).unwrap();
        assert!(limits.open(b).is_none(), "a fourth in all");
        drop(first);
        assert!(
            limits.open(a).is_some(),
            "a closed stream's slot is free again"
        );
    }
}
