//! The browser's side of a live checkout page: the event stream, and reading the page again
//! where it can't pass. What the page follows is kept in a thread-local table and dropped
//! (stream closed, timers cleared) once no order waits for money.
use super::LIVE_PART;
use crate::components::region::{reread, shown_state};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

/// How often the page is read again when the events can't pass.
const POLL_EVERY: Duration = Duration::from_secs(5);
/// A stream that sends nothing this long after opening is held back by something on the way
/// (the server sends the checkout's state first thing).
const FIRST_EVENT_WITHIN: Duration = Duration::from_secs(10);
/// Errors in a row, without an event between them, after which the stream is given up.
const ERRORS_TO_GIVE_UP: u32 = 3;

/// What one page follows; dropping it stops everything.
#[derive(Default)]
struct Following {
    source: Option<EventSource>,
    first_event: Option<TimeoutHandle>,
    poll: Option<IntervalHandle>,
    _on_changed: Option<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(Event)>>,
}

impl Drop for Following {
    fn drop(&mut self) {
        if let Some(source) = &self.source {
            source.close();
        }
        if let Some(timer) = self.first_event.take() {
            timer.clear();
        }
        if let Some(poll) = self.poll.take() {
            poll.clear();
        }
    }
}

thread_local! {
    static FOLLOWING: RefCell<HashMap<u32, Following>> = RefCell::default();
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

fn with(id: u32, change: impl FnOnce(&mut Following)) {
    FOLLOWING.with(|all| {
        if let Some(following) = all.borrow_mut().get_mut(&id) {
            change(following);
        }
    });
}

/// Follows the checkout `token` until no order waits for money, then sets `done`.
pub(super) fn follow(token: String, done: RwSignal<bool>) {
    let id = NEXT_ID.with(|n| {
        n.set(n.get().wrapping_add(1));
        n.get()
    });
    FOLLOWING.with(|all| all.borrow_mut().insert(id, Following::default()));
    listen(id, Changes { token, done });
}

/// The checkout followed, and what says the following is over.
#[derive(Clone)]
struct Changes {
    token: String,
    done: RwSignal<bool>,
}

impl Changes {
    /// The page's orders are read again if the checkout is not as they show it.
    fn seen(&self, id: u32, now: &str) {
        if shown_state(LIVE_PART).as_deref() != Some(now) {
            self.read_again(id);
        }
    }

    /// Reads the page's orders again, outside the event's own callback (ending the following
    /// drops the callbacks); ends the following once no order waits for money.
    fn read_again(&self, id: u32) {
        let done = self.done;
        leptos::task::spawn_local(async move {
            if let Some(part) = reread(LIVE_PART).await
                && part.get_attribute("data-awaits").as_deref() != Some("true")
            {
                done.set(true);
                let ended = FOLLOWING.with(|all| all.borrow_mut().remove(&id));
                drop(ended);
            }
        });
    }
}

fn listen(id: u32, changes: Changes) {
    let Ok(source) = EventSource::new(&format!("/checkout/{}/events", changes.token)) else {
        return fall_back(id, changes);
    };
    let heard = Rc::new(Cell::new(false));
    let errors = Rc::new(Cell::new(0u32));
    let on_changed = {
        let (changes, heard, errors) = (changes.clone(), heard.clone(), errors.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            heard.set(true);
            errors.set(0);
            if let Some(data) = event.data().as_string() {
                changes.seen(id, &data);
            }
        })
    };
    let on_error = {
        let (changes, source) = (changes.clone(), source.clone());
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            errors.set(errors.get() + 1);
            // Closed: refused (404, 429) or not a stream. Otherwise the browser tries again
            // by itself, a few times at most.
            if source.ready_state() == EventSource::CLOSED || errors.get() >= ERRORS_TO_GIVE_UP {
                fall_back(id, changes.clone());
            }
        })
    };
    let listened = source
        .add_event_listener_with_callback("changed", on_changed.as_ref().unchecked_ref())
        .is_ok();
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let first_event = {
        let changes = changes.clone();
        set_timeout_with_handle(
            move || {
                if !heard.get() {
                    fall_back(id, changes);
                }
            },
            FIRST_EVENT_WITHIN,
        )
        .ok()
    };
    with(id, |following| {
        following.source = Some(source);
        following.first_event = first_event;
        following._on_changed = Some(on_changed);
        following._on_error = Some(on_error);
    });
    if !listened {
        fall_back(id, changes);
    }
}

/// The stream is given up: closed, and the page's orders are read again every
/// [`POLL_EVERY`] from now on.
fn fall_back(id: u32, changes: Changes) {
    with(id, |following| {
        if let Some(source) = following.source.take() {
            source.close();
        }
        if let Some(timer) = following.first_event.take() {
            timer.clear();
        }
    });
    let already = FOLLOWING.with(|all| all.borrow().get(&id).is_some_and(|f| f.poll.is_some()));
    if already {
        return;
    }
    let handle = set_interval_with_handle(move || changes.read_again(id), POLL_EVERY).ok();
    with(id, |following| following.poll = handle);
}
