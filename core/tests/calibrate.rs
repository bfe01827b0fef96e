//! Calibrating the bundled support journey's value stream from a small ticket log.

use journeystream::analytics::calibrate::{calibrate, Statistic};
use journeystream::log::LogBuilder;
use journeystream::{vsm, Map};

const MIN: i64 = 60_000_000_000;

#[test]
fn observed_times_fill_the_steps_and_unseen_ones_are_reported() {
    let map = Map::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/support-journey.json"
    ))
    .unwrap();
    let mut b = LogBuilder::new();
    // (case, activity, start minute, complete minute); triage waits 30 / 90 min, takes 5 / 15 min.
    let rows = [
        ("t1", "open_ticket", 0, 6),
        ("t1", "triage", 36, 41),
        ("t1", "diagnose", 100, 125),
        ("t1", "diagnose", 200, 220),
        ("t2", "open_ticket", 0, 4),
        ("t2", "triage", 94, 109),
        ("t2", "diagnose", 150, 170),
    ];
    for (case, activity, start, end) in rows {
        let i = b.push(case, activity, end * MIN).unwrap();
        b.set_start(i, start * MIN);
    }
    let c = calibrate(&map, &b.finish().unwrap(), Statistic::Median).unwrap();
    let triage = c.steps.iter().find(|s| s.step == "triage").unwrap();
    assert_eq!(triage.process_time.as_ref().unwrap().p50, 600.0); // median of 5 and 15 min
    assert_eq!(triage.wait_time.as_ref().unwrap().p50, 3_600.0); // median of 30 and 90 min
    assert_eq!(triage.wait_time.as_ref().unwrap().p90, 5_040.0); // 30 + 0.9 × 60 min
    let diagnose = c.steps.iter().find(|s| s.step == "diagnose").unwrap();
    assert_eq!(
        (diagnose.occurrences, diagnose.cases, diagnose.rework_share),
        (3, 2, Some(0.5))
    );
    assert_eq!(
        c.unseen_steps,
        [
            "search",
            "assign",
            "approve",
            "ship",
            "remote_fix",
            "confirm",
            "close"
        ]
    );
    assert!(
        c.unseen_touchpoints.contains(&"survey".to_string())
            && !c.unseen_touchpoints.contains(&"chat".to_string())
    );
    let step = c
        .map
        .value_stream
        .as_ref()
        .unwrap()
        .steps
        .iter()
        .find(|s| s.id == "triage")
        .unwrap()
        .clone();
    assert_eq!(
        (
            step.process_time.to_string(),
            step.wait.unwrap().to_string()
        ),
        ("600s".to_string(), "3600s".to_string())
    );
    // The calibrated map is a valid document that measures.
    assert!(vsm::measure(&c.map, &vsm::MeasureOptions::default()).is_ok());
    assert_eq!(Map::from_json(&c.map.to_json()).unwrap(), c.map);
}
