//! Names a request gives, looked up in the log: an activity, an attribute or a value that the log
//! does not have is an error naming where it was given and the closest name the log has, never a
//! silent count of zero.
//!
//! A filtered log keeps its source's dictionaries, so an activity that a filter removed is still
//! known (and counts zero); a name that never occurred in the data is not. Partial aggregates over
//! one partition look names up leniently instead (another partition may have them); the analysis
//! of a whole log checks them.
//!
//! ```
//! use journeystream::log::LogBuilder;
//! let mut b = LogBuilder::new();
//! b.push("c1", "Confirm resolution", 0)?;
//! let log = b.finish().unwrap();
//! assert_eq!(log.activity_code("Confirm resolution", "steps[0]")?, 0);
//! let e = log.activity_code("Confirm resolutoin", "steps[1]").unwrap_err();
//! assert_eq!(e.to_string(), "argument 'steps[1]': 'Confirm resolutoin' is not an activity of \
//!     the log; did you mean 'Confirm resolution'? (activities: Confirm resolution)");
//! # Ok::<(), journeystream::Error>(())
//! ```

use super::{Column, EventLog, Interner};
use crate::error::{Error, Result};
use crate::suggest::not_one_of;

impl EventLog {
    /// The code of activity `name`, or an error at `path` suggesting the closest activity.
    pub fn activity_code(&self, name: &str, path: &str) -> Result<u32> {
        self.activities.code(name).ok_or_else(|| {
            let names: Vec<&str> = self.activities.names().iter().map(|n| &**n).collect();
            let reason = not_one_of(name, "an activity of the log", "activities", &names);
            Error::argument(path, name, reason)
        })
    }

    /// The event attribute `name`, or an error at `path` suggesting the closest one.
    pub fn event_column(&self, name: &str, path: &str) -> Result<&Column> {
        self.event_attribute(name).ok_or_else(|| {
            let names: Vec<&str> = self.event_attribute_names().collect();
            let reason = not_one_of(
                name,
                "an event attribute of the log",
                "event attributes",
                &names,
            );
            Error::argument(path, name, reason)
        })
    }

    /// The case attribute `name`, or an error at `path` suggesting the closest one.
    pub fn case_column(&self, name: &str, path: &str) -> Result<&Column> {
        self.case_attribute(name).ok_or_else(|| {
            let names: Vec<&str> = self.case_attribute_names().collect();
            let reason = not_one_of(
                name,
                "a case attribute of the log",
                "case attributes",
                &names,
            );
            Error::argument(path, name, reason)
        })
    }
}

/// The code of `value` in the dictionary of text attribute `attribute`, or an error at `path`
/// suggesting the closest value it holds.
pub(crate) fn value_code(dict: &Interner, attribute: &str, value: &str, path: &str) -> Result<u32> {
    dict.code(value).ok_or_else(|| {
        let names: Vec<&str> = dict.names().iter().map(|n| &**n).collect();
        let what = format!("a value of '{attribute}' in the log");
        Error::argument(path, value, not_one_of(value, &what, "its values", &names))
    })
}

#[cfg(test)]
mod tests {
    use crate::log::{AttrValue, LogBuilder};

    #[test]
    fn unknown_names_are_errors_with_the_closest_suggested() {
        let mut b = LogBuilder::new();
        for (i, a) in ["visit", "cart", "buy"].into_iter().enumerate() {
            let e = b.push("c", a, i as i64).unwrap();
            b.set_event_attribute(e, "channel", AttrValue::Text("web"));
        }
        let c = b.case_code("c");
        b.set_case_attribute(c, "segment", AttrValue::Text("b2b"));
        let log = b.finish().unwrap();
        let e = log.event_column("chanel", "hold_constant[0]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument 'hold_constant[0]': 'chanel' is not an event attribute of the log; did you \
             mean 'channel'? (event attributes: channel)"
        );
        let e = log.case_column("zzz", "breakdown").unwrap_err().to_string();
        assert!(
            e.ends_with("is not a case attribute of the log (case attributes: segment)"),
            "{e}"
        );
        let e = log
            .activity_code("pay", "steps[2]")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(activities: visit, cart, buy)"), "{e}");
        let Some(crate::log::Column::Text { dict, .. }) = log.event_attribute("channel") else {
            panic!()
        };
        let e = super::value_code(dict, "channel", "wbe", "steps[0].attribute.value").unwrap_err();
        assert!(
            e.to_string()
                .contains("'wbe' is not a value of 'channel' in the log; did you mean 'web'?"),
            "{e}"
        );
    }

    #[test]
    fn long_listings_show_the_closest_names() {
        let mut b = LogBuilder::new();
        for i in 0..40 {
            b.push("c", &format!("step {i:02}"), i).unwrap();
        }
        let log = b.finish().unwrap();
        let e = log
            .activity_code("step 7", "anchor")
            .unwrap_err()
            .to_string();
        assert!(e.contains("and 28 more)"), "{e}");
        assert!(e.contains("(activities: step 07"), "{e}");
    }
}
