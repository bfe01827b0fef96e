//! A deterministic synthetic customer-journey log.
//!
//! Customers arrive over one year (2024) and walk a funnel of 35 activities — awareness (ads,
//! search, e-mail, social, referral), consideration (landing page, browsing, product views,
//! reviews, comparisons, chat), intent (cart, coupon, checkout, payment with a retry loop),
//! conversion (order) and after-sales (shipping, delivery, returns, refunds, support, reviews,
//! repeat visits) — as a Markov chain with branching, loops (browse ↔ view, payment retries,
//! repeat visits) and drop-out at every step. Case lengths come out geometric-like with a mean
//! near 10 events (capped at [`MAX_CASE_EVENTS`]). Gaps between a case's events depend on the
//! step (seconds on site, days for shipping, weeks for a repeat visit) and are exponential with at
//! least 1 ms, so timestamps strictly increase within a case. Each event has a channel (the
//! customer's device for on-site steps; e-mail, paid, search, social, referral, chat, phone,
//! store, logistics or back office otherwise).
//!
//! Events are emitted interleaved, as a shop's event stream would be: [`POOL`] customers are in
//! flight at once and each next event comes from one of them at random. Everything derives from
//! the seed (splitmix64), so a seed and an event count give the same log, byte for byte.

/// The activities, by code.
pub const ACTIVITIES: [&str; 35] = [
    "ad_impression",    // 0
    "ad_click",         // 1
    "organic_search",   // 2
    "email_open",       // 3
    "email_click",      // 4
    "social_visit",     // 5
    "referral_visit",   // 6
    "repeat_visit",     // 7
    "landing_page",     // 8
    "log_in",           // 9
    "browse_category",  // 10
    "view_product",     // 11
    "read_reviews",     // 12
    "compare_products", // 13
    "watch_video",      // 14
    "chat_with_agent",  // 15
    "request_quote",    // 16
    "add_to_cart",      // 17
    "view_cart",        // 18
    "remove_from_cart", // 19
    "apply_coupon",     // 20
    "start_checkout",   // 21
    "enter_shipping",   // 22
    "enter_payment",    // 23
    "payment_failed",   // 24
    "place_order",      // 25
    "order_confirmed",  // 26
    "cancel_order",     // 27
    "ship_order",       // 28
    "deliver_order",    // 29
    "return_request",   // 30
    "refund_issued",    // 31
    "support_ticket",   // 32
    "ticket_resolved",  // 33
    "write_review",     // 34
];

/// The channels, by code.
pub const CHANNELS: [&str; 12] = [
    "web",
    "app",
    "email",
    "paid",
    "search",
    "social",
    "referral",
    "chat",
    "phone",
    "store",
    "logistics",
    "back_office",
];

/// Marks the end of a case in the transition tables.
const END: u8 = u8::MAX;

/// First activities of cases, with weights.
const ENTRY: &[(u8, f64)] = &[
    (0, 0.20),
    (2, 0.25),
    (3, 0.15),
    (5, 0.15),
    (6, 0.10),
    (7, 0.15),
];

/// Next activities of each activity, with weights (END: the customer leaves).
const NEXT: [&[(u8, f64)]; 35] = [
    /* ad_impression */ &[(1, 0.65), (END, 0.35)],
    /* ad_click */ &[(8, 0.90), (END, 0.10)],
    /* organic_search */ &[(8, 0.80), (11, 0.15), (END, 0.05)],
    /* email_open */ &[(4, 0.65), (END, 0.35)],
    /* email_click */ &[(8, 0.50), (11, 0.45), (END, 0.05)],
    /* social_visit */ &[(8, 0.60), (11, 0.25), (END, 0.15)],
    /* referral_visit */ &[(8, 0.70), (11, 0.20), (END, 0.10)],
    /* repeat_visit */
    &[
        (9, 0.30),
        (10, 0.27),
        (11, 0.25),
        (18, 0.10),
        (32, 0.05),
        (END, 0.03),
    ],
    /* landing_page */ &[(10, 0.52), (11, 0.27), (9, 0.12), (END, 0.09)],
    /* log_in */ &[(10, 0.42), (18, 0.30), (11, 0.23), (END, 0.05)],
    /* browse_category */ &[(11, 0.77), (10, 0.15), (END, 0.08)],
    /* view_product */
    &[
        (17, 0.30),
        (12, 0.14),
        (13, 0.10),
        (14, 0.05),
        (10, 0.14),
        (11, 0.12),
        (15, 0.03),
        (END, 0.045),
    ],
    /* read_reviews */ &[(11, 0.45), (17, 0.38), (END, 0.17)],
    /* compare_products */ &[(11, 0.66), (17, 0.22), (END, 0.12)],
    /* watch_video */ &[(11, 0.50), (17, 0.25), (END, 0.25)],
    /* chat_with_agent */ &[(17, 0.40), (16, 0.20), (11, 0.20), (END, 0.20)],
    /* request_quote */ &[(21, 0.30), (3, 0.35), (END, 0.35)],
    /* add_to_cart */ &[(18, 0.45), (11, 0.30), (21, 0.14), (END, 0.11)],
    /* view_cart */ &[(21, 0.55), (19, 0.12), (20, 0.12), (11, 0.13), (END, 0.08)],
    /* remove_from_cart */ &[(11, 0.40), (18, 0.35), (END, 0.25)],
    /* apply_coupon */ &[(21, 0.72), (18, 0.20), (END, 0.08)],
    /* start_checkout */ &[(22, 0.85), (END, 0.15)],
    /* enter_shipping */ &[(23, 0.92), (END, 0.08)],
    /* enter_payment */ &[(25, 0.82), (24, 0.14), (END, 0.04)],
    /* payment_failed */ &[(23, 0.65), (15, 0.10), (END, 0.25)],
    /* place_order */ &[(26, 1.0)],
    /* order_confirmed */ &[(28, 0.96), (27, 0.04)],
    /* cancel_order */ &[(31, 0.60), (END, 0.40)],
    /* ship_order */ &[(29, 0.95), (32, 0.05)],
    /* deliver_order */ &[(END, 0.30), (34, 0.15), (30, 0.08), (7, 0.40), (32, 0.07)],
    /* return_request */ &[(31, 0.85), (32, 0.15)],
    /* refund_issued */ &[(END, 0.55), (7, 0.35), (34, 0.10)],
    /* support_ticket */ &[(33, 0.88), (15, 0.04), (END, 0.08)],
    /* ticket_resolved */ &[(END, 0.55), (7, 0.35), (34, 0.10)],
    /* write_review */ &[(END, 0.65), (7, 0.35)],
];

/// Mean gap (seconds) before each activity, when it is not a case's first.
const MEAN_GAP_S: [f64; 35] = [
    86_400.0,        // ad_impression
    20.0,            // ad_click
    3_600.0,         // organic_search
    86_400.0,        // email_open (a follow-up mail)
    30.0,            // email_click
    7_200.0,         // social_visit
    7_200.0,         // referral_visit
    14.0 * 86_400.0, // repeat_visit
    3.0,             // landing_page
    15.0,            // log_in
    25.0,            // browse_category
    35.0,            // view_product
    90.0,            // read_reviews
    60.0,            // compare_products
    120.0,           // watch_video
    240.0,           // chat_with_agent
    600.0,           // request_quote
    20.0,            // add_to_cart
    15.0,            // view_cart
    10.0,            // remove_from_cart
    30.0,            // apply_coupon
    20.0,            // start_checkout
    60.0,            // enter_shipping
    45.0,            // enter_payment
    5.0,             // payment_failed
    10.0,            // place_order
    2.0,             // order_confirmed
    3_600.0,         // cancel_order
    86_400.0,        // ship_order
    3.0 * 86_400.0,  // deliver_order
    4.0 * 86_400.0,  // return_request
    3.0 * 86_400.0,  // refund_issued
    2.0 * 86_400.0,  // support_ticket
    86_400.0,        // ticket_resolved
    5.0 * 86_400.0,  // write_review
];

/// Customers in flight at once (events of this many cases interleave).
pub const POOL: usize = 64;
/// No case has more events than this.
pub const MAX_CASE_EVENTS: u32 = 256;
/// 2024-01-01T00:00:00Z in milliseconds since the epoch.
pub const START_MS: i64 = 1_704_067_200_000;
const YEAR_MS: f64 = 366.0 * 86_400_000.0;

pub use crate::rng::SplitMix64;

impl SplitMix64 {
    fn pick(&mut self, choices: &[(u8, f64)]) -> u8 {
        let total: f64 = choices.iter().map(|c| c.1).sum();
        let mut x = self.unit() * total;
        for &(a, w) in choices {
            if x < w {
                return a;
            }
            x -= w;
        }
        choices[choices.len() - 1].0
    }
    /// Exponential with the given mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -(1.0 - self.unit()).ln() * mean
    }
}

/// One generated event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Case number (0, 1, 2, ... in order of arrival); the case id is [`write_case_id`] of it.
    pub case: u64,
    /// Whether this is the case's first event.
    pub first: bool,
    /// Index into [`ACTIVITIES`].
    pub activity: u8,
    /// Milliseconds since the epoch (UTC).
    pub time_ms: i64,
    /// Index into [`CHANNELS`].
    pub channel: u8,
}

#[derive(Debug, Clone, Copy)]
struct InFlight {
    case: u64,
    /// The activity of the next event (END when the case is over).
    next: u8,
    time_ms: i64,
    emitted: u32,
    /// 0 web, 1 app.
    device: u8,
}

fn channel(activity: u8, device: u8, rng: &mut SplitMix64) -> u8 {
    match activity {
        0 | 1 => 3,
        2 => 4,
        3 | 4 => 2,
        5 => 5,
        6 => 6,
        15 => 7,
        16 | 32 => {
            if rng.unit() < 0.5 {
                8
            } else {
                device
            }
        }
        30 => {
            if rng.unit() < 0.3 {
                9
            } else {
                device
            }
        }
        28 | 29 => 10,
        27 | 31 | 33 => 11,
        _ => device,
    }
}

/// Generates `events` events from `seed` and hands each to `emit`, interleaved across cases.
/// Returns the number of cases.
pub fn generate(events: u64, seed: u64, mut emit: impl FnMut(&Event)) -> u64 {
    let mut rng = SplitMix64::new(seed);
    let mut cases = 0u64;
    let mut emitted = 0u64;
    let new_case = |rng: &mut SplitMix64, cases: &mut u64, emitted: u64| {
        let progress = emitted as f64 / events.max(1) as f64;
        let arrival = START_MS + (progress * YEAR_MS) as i64 + rng.below(3_600_000) as i64;
        let c = InFlight {
            case: *cases,
            next: rng.pick(ENTRY),
            time_ms: arrival,
            emitted: 0,
            device: (rng.unit() < 0.4) as u8,
        };
        *cases += 1;
        c
    };
    let mut pool: Vec<InFlight> = Vec::with_capacity(POOL);
    for _ in 0..POOL {
        pool.push(new_case(&mut rng, &mut cases, 0));
    }
    while emitted < events {
        let slot = rng.below(POOL as u64) as usize;
        let c = &mut pool[slot];
        let activity = c.next;
        if c.emitted > 0 {
            let gap = rng.exp(MEAN_GAP_S[activity as usize] * 1000.0) as i64;
            c.time_ms += gap.max(1);
        }
        let event = Event {
            case: c.case,
            first: c.emitted == 0,
            activity,
            time_ms: c.time_ms,
            channel: channel(activity, c.device, &mut rng),
        };
        emit(&event);
        emitted += 1;
        c.emitted += 1;
        c.next = rng.pick(NEXT[activity as usize]);
        if c.next == END || c.emitted >= MAX_CASE_EVENTS {
            pool[slot] = new_case(&mut rng, &mut cases, emitted);
        }
    }
    // Cases created for the pool that never emitted an event are not cases of the log.
    let unused = pool.iter().filter(|c| c.emitted == 0).count() as u64;
    cases - unused
}

/// Appends the id of case `case` (`C0000042`).
pub fn write_case_id(out: &mut Vec<u8>, case: u64) {
    out.push(b'C');
    write_padded(out, case, 7);
}

fn write_padded(out: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while v > 0 {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(digits.len() - width);
    out.extend_from_slice(&digits[start..]);
}

/// Appends RFC 3339 UTC with milliseconds: `2024-03-01T09:05:07.123Z`.
pub fn write_rfc3339_ms(out: &mut Vec<u8>, ms: i64) {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // civil_from_days (Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    write_padded(out, y as u64, 4);
    out.push(b'-');
    write_padded(out, m as u64, 2);
    out.push(b'-');
    write_padded(out, d as u64, 2);
    out.push(b'T');
    write_padded(out, h as u64, 2);
    out.push(b':');
    write_padded(out, mi as u64, 2);
    out.push(b':');
    write_padded(out, s as u64, 2);
    out.push(b'.');
    write_padded(out, milli as u64, 3);
    out.push(b'Z');
}

/// The CSV header line.
pub const CSV_HEADER: &str = "case:concept:name,concept:name,time:timestamp,channel\n";

/// Appends one CSV row for `e`.
pub fn write_csv_row(out: &mut Vec<u8>, e: &Event) {
    write_case_id(out, e.case);
    out.push(b',');
    out.extend_from_slice(ACTIVITIES[e.activity as usize].as_bytes());
    out.push(b',');
    write_rfc3339_ms(out, e.time_ms);
    out.push(b',');
    out.extend_from_slice(CHANNELS[e.channel as usize].as_bytes());
    out.push(b'\n');
}

/// Builds the log in memory (core columns only: case, activity, timestamp), no CSV.
pub fn build_log(events: u64, seed: u64) -> journeystream::log::EventLog {
    use journeystream::log::LogBuilder;
    let mut b = LogBuilder::with_capacity(events as usize);
    let codes: Vec<u32> = ACTIVITIES.iter().map(|a| b.activity_code(a)).collect();
    let mut case_codes = vec![0u32; 0];
    let mut id = Vec::with_capacity(16);
    generate(events, seed, |e| {
        if e.first {
            id.clear();
            write_case_id(&mut id, e.case);
            let code = b.case_code(std::str::from_utf8(&id).expect("ASCII id"));
            let slot = e.case as usize;
            if case_codes.len() <= slot {
                case_codes.resize(slot + 1, u32::MAX);
            }
            case_codes[slot] = code;
        }
        b.push_codes(
            case_codes[e.case as usize],
            codes[e.activity as usize],
            e.time_ms * 1_000_000,
        )
        .expect("fewer than 2^32 events");
    });
    b.finish().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use journeystream::log::timestamp::format_rfc3339;

    #[test]
    fn timestamps_format_like_the_core() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..10_000 {
            let ms = START_MS + rng.below(400 * 86_400_000) as i64;
            let mut out = Vec::new();
            write_rfc3339_ms(&mut out, ms);
            let ours = String::from_utf8(out).unwrap();
            let core = journeystream::log::timestamp::parse_rfc3339(&ours, 0).unwrap();
            assert_eq!(
                core,
                ms * 1_000_000,
                "{ours} vs {}",
                format_rfc3339(ms * 1_000_000)
            );
        }
    }

    #[test]
    fn deterministic_and_increasing_within_cases() {
        let run = || {
            let mut v = Vec::new();
            generate(20_000, 42, |e| v.push(*e));
            v
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b);
        let mut last = std::collections::HashMap::new();
        for e in &a {
            if let Some(t) = last.insert(e.case, e.time_ms) {
                assert!(e.time_ms > t);
                assert!(!e.first);
            } else {
                assert!(e.first);
            }
        }
    }
}
