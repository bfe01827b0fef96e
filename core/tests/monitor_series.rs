//! KPI series from logs: a planted change in conversion is found in the period it happens, the
//! series equals `kpi` on each period's data, a monitor fed in batches (and saved and restored
//! between them) equals one fed the whole log, and bad saved states are errors.

use journeystream::analytics::kpi::{kpi, KpiRequest, Metric};
use journeystream::analytics::monitor::series::{
    kpi_series, AlertKind, KpiMonitor, KpiSeriesRequest, SeriesChart, SeriesTarget,
};
use journeystream::log::calendar::Period;
use journeystream::log::timestamp::parse_rfc3339;
use journeystream::log::{AttrValue, EventLog, LogBuilder};

const DAY: i64 = 86_400_000_000_000;

/// SplitMix64: a seeded stream of uniform numbers in [0, 1).
struct Uniform(u64);

impl Uniform {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `days` days of `per_day` visitors from 2024-01-01; a visitor buys with probability 0.30
/// before day `change`, 0.20 from it on. Cases of days in `days_range` only.
fn shop(per_day: usize, days: std::ops::Range<i64>, change: i64, seed: u64) -> EventLog {
    let origin = parse_rfc3339("2024-01-01T00:00:00Z", 0).unwrap();
    let mut u = Uniform(seed);
    let mut b = LogBuilder::new();
    for day in 0..days.end {
        for k in 0..per_day {
            let at = origin + day * DAY + (u.next() * 0.9 * DAY as f64) as i64;
            let buys = u.next() < if day < change { 0.30 } else { 0.20 };
            let channel = if u.next() < 0.5 { "web" } else { "app" };
            if !days.contains(&day) {
                continue;
            }
            let case = format!("d{day}-{k}");
            let e = b.push(&case, "visit", at).unwrap();
            b.set_event_attribute(e, "channel", AttrValue::Text(channel));
            if buys {
                b.push(&case, "buy", at + 600_000_000_000).unwrap();
            }
        }
    }
    b.finish().unwrap()
}

fn conversion() -> KpiRequest {
    let mut k = KpiRequest::new(Metric::Conversion);
    k.from_activity = Some("visit".into());
    k.to_activity = Some("buy".into());
    k
}

#[test]
fn a_planted_drop_in_conversion_is_found_in_its_period() {
    let log = shop(400, 0..90, 60, 7);
    let mut request = KpiSeriesRequest::new(conversion());
    request.targets = vec![SeriesTarget::at_least(0.25)];
    let s = kpi_series(&request, &log).unwrap();
    assert_eq!(s.points.len(), 90);
    assert_eq!(s.points[60].period, "2024-03-01");
    // One change, at the first day of the lower rate, from about 0.30 to about 0.20.
    assert_eq!(s.changes.len(), 1, "{:?}", s.changes);
    let c = &s.changes[0];
    assert_eq!((c.index, c.period.as_str()), (60, "2024-03-01"));
    assert!(
        (c.before - 0.30).abs() < 0.015 && (c.after - 0.20).abs() < 0.015,
        "{c:?}"
    );
    // The p-chart over all days flags the new level; the alert of the 0.25 target fires on
    // its first day and holds (no recovery).
    let chart = s.chart.as_ref().unwrap();
    assert_eq!(chart.chart, "p");
    // Phase I limits around the mean of both levels: low signals only from the change on, the
    // first on its day.
    let low: Vec<usize> = chart
        .signals
        .iter()
        .filter(|g| g.side == "low")
        .map(|g| g.index)
        .collect();
    assert_eq!(low.first(), Some(&60), "{:?}", chart.signals);
    assert!(chart
        .signals
        .iter()
        .all(|g| (g.index >= 60) == (g.side == "low")));
    let breaches: Vec<_> = s
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Breached && a.index >= 60)
        .collect();
    assert_eq!(
        breaches.first().map(|a| a.index),
        Some(60),
        "{:?}",
        s.alerts
    );
    // The drop is confirmed (the day's interval lies below the target); days of noise that
    // touch the target again afterwards are not.
    assert!(breaches[0].confirmed);
    assert!(s
        .alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Recovered)
        .all(|a| !a.confirmed));
    // Before the change the rate stays above the target.
    assert!(s.alerts.iter().all(|a| a.index >= 55), "{:?}", s.alerts);
}

#[test]
fn each_period_equals_kpi_of_its_data() {
    let log = shop(50, 0..21, 10, 3);
    let mut request = KpiSeriesRequest::new(conversion());
    request.period = Period::Week;
    request.kpi.segment_by = Some("channel".into());
    let s = kpi_series(&request, &log).unwrap();
    // 2024-01-01 is a Monday: three whole weeks.
    let labels: Vec<_> = s.points.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(labels, ["2024-01-01", "2024-01-08", "2024-01-15"]);
    for (w, point) in s.points.iter().enumerate() {
        let week = shop(50, w as i64 * 7..w as i64 * 7 + 7, 10, 3);
        let mut k = conversion();
        k.segment_by = Some("channel".into());
        let whole = kpi(&k, Some(&week)).unwrap();
        assert_eq!(point.estimate.as_ref().unwrap(), &whole.overall);
        for seg in &s.segments {
            let e = seg.points[w].estimate.as_ref().unwrap();
            let expected = whole
                .segments
                .iter()
                .find(|x| x.segment == seg.segment)
                .unwrap();
            assert_eq!(e, expected);
        }
    }
    assert_eq!(
        s.segments
            .iter()
            .map(|g| g.segment.as_deref())
            .collect::<Vec<_>>(),
        [Some("app"), Some("web")]
    );
}

#[test]
fn batches_saved_between_runs_equal_the_whole_log() {
    let mut request = KpiSeriesRequest::new(conversion());
    request.kpi.segment_by = Some("channel".into());
    request.targets = vec![SeriesTarget::at_least(0.25)];
    let whole = kpi_series(&request, &shop(40, 0..30, 15, 11)).unwrap();
    let mut saved = KpiMonitor::new(&request).unwrap().to_bytes();
    for days in [0..9, 9..10, 10..30] {
        let mut m = KpiMonitor::from_bytes(&saved).unwrap();
        m.add(&shop(40, days, 15, 11)).unwrap();
        saved = m.to_bytes();
    }
    let restored = KpiMonitor::from_bytes(&saved).unwrap();
    assert_eq!(restored.series(&request).unwrap(), whole);
    // Merged partials equal too.
    let mut a = KpiMonitor::new(&request).unwrap();
    a.add(&shop(40, 0..12, 15, 11)).unwrap();
    let mut b = KpiMonitor::new(&request).unwrap();
    b.add(&shop(40, 12..30, 15, 11)).unwrap();
    a.merge(b).unwrap();
    assert_eq!(a.series(&request).unwrap(), whole);
    // The same through the request: state in, state out.
    let mut r = request.clone();
    r.save_state = true;
    let first = r.run(Some(&shop(40, 0..20, 15, 11))).unwrap();
    r.state = first.state.clone();
    let second = r.run(Some(&shop(40, 20..30, 15, 11))).unwrap();
    assert_eq!(second.points, whole.points);
    assert_eq!(second.alerts, whole.alerts);
    // A state asked for another KPI is refused, naming what differs.
    let mut other = r.clone();
    other.period = Period::Month;
    let e = other.run(None).unwrap_err().to_string();
    assert!(
        e.contains("'period'") && e.contains("conversion per day"),
        "{e}"
    );
}

#[test]
fn damaged_states_are_errors_saying_what_is_wrong() {
    let request = KpiSeriesRequest::new(conversion());
    let mut m = KpiMonitor::new(&request).unwrap();
    m.add(&shop(10, 0..3, 1, 1)).unwrap();
    let good = m.to_bytes();
    let error = |bytes: &[u8]| KpiMonitor::from_bytes(bytes).unwrap_err().to_string();
    assert!(error(&good[..5]).contains("shorter than the 24-byte header"));
    let mut b = good.clone();
    b[0] = b'X';
    assert!(error(&b).contains("not a saved KPI monitor"));
    let mut b = good.clone();
    b[8] = 9;
    assert!(error(&b).contains("format version 9"));
    assert!(error(&good[..good.len() - 1]).contains("but"));
    let mut b = good.clone();
    let last = b.len() - 3;
    b[last] ^= 1;
    assert!(error(&b).contains("checksum"));
    // Every truncation is an error, never a panic.
    for n in 0..good.len() {
        assert!(KpiMonitor::from_bytes(&good[..n]).is_err());
    }
}

#[test]
fn local_days_and_trending_alerts() {
    // Scores at 23:30 UTC fall on the next day in Amsterdam (UTC+1 in January).
    let mut b = LogBuilder::new();
    let t = parse_rfc3339("2024-01-01T23:30:00Z", 0).unwrap();
    // A score falling by one a day from 10 (NPS 100, 100, 100, then detractors).
    for (i, score) in [10, 10, 9, 8, 7, 6, 3].iter().enumerate() {
        let e = b
            .push(&format!("c{i}"), "survey", t + i as i64 * DAY)
            .unwrap();
        b.set_event_attribute(e, "score", AttrValue::Integer(*score));
    }
    let log = b.finish().unwrap();
    let mut request = KpiSeriesRequest::new(KpiRequest::new(Metric::Nps));
    request.time_zone = Some("Europe/Amsterdam".into());
    request.chart = SeriesChart::None;
    request.trend_periods = 3;
    request.targets = vec![SeriesTarget::at_least(0.0)];
    let s = kpi_series(&request, &log).unwrap();
    assert_eq!(s.points[0].period, "2024-01-02");
    let values: Vec<f64> = s
        .points
        .iter()
        .map(|p| p.estimate.as_ref().unwrap().value)
        .collect();
    assert_eq!(values, [100.0, 100.0, 100.0, 0.0, 0.0, -100.0, -100.0]);
    let alerts: Vec<_> = s.alerts.iter().map(|a| (a.kind, a.index)).collect();
    // Day 4 (0) is within the target, but the line through 100, 100, 0 reaches -33 next
    // period: trending; day 6 breaches.
    assert_eq!(
        alerts,
        [(AlertKind::Trending, 3), (AlertKind::Breached, 5)],
        "{:?}",
        s.alerts
    );
}

#[test]
fn states_written_by_another_tool_from_the_documented_format_read() {
    // fuzz/seeds/monitor_state/raw-*: written by Python (struct and zlib.crc32) from the format
    // table of KpiMonitor::to_bytes.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/monitor_state");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("raw-")
        {
            continue;
        }
        let m = KpiMonitor::from_bytes(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let s = m.series(&m.request()).unwrap();
        assert!(s.points.iter().any(|p| p.estimate.is_some()));
        read += 1;
    }
    assert_eq!(read, 4);
}

#[test]
fn a_series_holds_at_most_max_periods() {
    use journeystream::analytics::monitor::series::MAX_PERIODS;
    let mut b = LogBuilder::new();
    let first = parse_rfc3339("1700-01-01T00:00:00Z", 0).unwrap();
    for (case, t) in [("a", first), ("b", first + MAX_PERIODS as i64 * DAY)] {
        let e = b.push(case, "survey", t).unwrap();
        b.set_event_attribute(e, "score", AttrValue::Integer(9));
    }
    let log = b.finish().unwrap();
    let mut request = KpiSeriesRequest::new(KpiRequest::new(Metric::Nps));
    let e = kpi_series(&request, &log).unwrap_err().to_string();
    assert!(
        e.contains("100001 periods") && e.contains("longer period"),
        "{e}"
    );
    request.period = Period::Month;
    assert_eq!(kpi_series(&request, &log).unwrap().points.len(), 3286);
}

mod drift {
    use journeystream::analytics::monitor::drift::{process_drift, DriftRequest};
    use journeystream::analytics::stats::Rng;
    use journeystream::log::{EventLog, LogBuilder};

    /// 400 cases a day apart from 2024-01-01; from case `change` on, a share `rework` of them
    /// check twice.
    fn log(change: usize, rework: f64, seed: u64) -> EventLog {
        let mut rng = Rng::new(seed);
        let mut b = LogBuilder::new();
        let t0 = 1_704_067_200_000_000_000i64;
        for i in 0..400 {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let twice = i >= change && u < rework;
            let path: &[&str] = if twice {
                &["open", "check", "check", "close"]
            } else if u < 0.5 {
                &["open", "check", "close"]
            } else {
                &["open", "close"]
            };
            for (k, a) in path.iter().enumerate() {
                b.push(
                    &format!("c{i}"),
                    a,
                    t0 + i as i64 * 86_400_000_000_000 + k as i64,
                )
                .unwrap();
            }
        }
        b.finish().unwrap()
    }

    const SPLIT: &str = "2024-07-01T00:00:00Z"; // case 182 on

    #[test]
    fn a_planted_rework_loop_is_drift() {
        let d = process_drift(&log(182, 0.3, 1), &DriftRequest::new(SPLIT)).unwrap();
        assert_eq!((d.cases_before, d.cases_after), (182, 218));
        assert!(
            d.variant_p_value <= 0.002 && d.edge_p_value <= 0.002,
            "{d:?}"
        );
        assert_eq!(d.edges[0].path, "check > check");
        assert_eq!(d.edges[0].before, 0);
        assert_eq!(d.variants[0].path, "open > check > check > close");
    }

    #[test]
    fn no_change_is_no_drift() {
        let d = process_drift(&log(400, 0.3, 2), &DriftRequest::new(SPLIT)).unwrap();
        assert!(d.variant_p_value > 0.05 && d.edge_p_value > 0.05, "{d:?}");
        // The distance by hand: ½ Σ |before share − after share| of the two variants.
        let by_hand: f64 = 0.5
            * d.variants
                .iter()
                .map(|v| (v.before_share - v.after_share).abs())
                .sum::<f64>();
        assert!((by_hand - d.variant_distance).abs() < 1e-12);
    }

    #[test]
    fn one_side_empty_and_few_resamples_are_errors() {
        let l = log(400, 0.3, 3);
        let e = process_drift(&l, &DriftRequest::new("2030-01-01T00:00:00Z")).unwrap_err();
        assert!(e.to_string().contains("0 after"), "{e}");
        let mut r = DriftRequest::new(SPLIT);
        r.resamples = 10;
        assert!(process_drift(&l, &r)
            .unwrap_err()
            .to_string()
            .contains("resamples"));
    }
}

#[cfg(feature = "render")]
#[test]
fn the_drawing_marks_limits_changes_targets_and_alerts() {
    use journeystream::render::{charts::svg_chart, kpi_chart::kpi_series_drawing, RenderOptions};
    let log = shop(400, 0..90, 60, 7);
    let mut request = KpiSeriesRequest::new(conversion());
    request.targets = vec![SeriesTarget::at_least(0.25)];
    let s = kpi_series(&request, &log).unwrap();
    let options = RenderOptions::default();
    let d = kpi_series_drawing(&s, &options).unwrap();
    assert!(d.layout.problems().is_empty(), "{:#?}", d.layout.problems());
    let svg = &d.svg;
    // Well-formed XML.
    let mut reader = quick_xml::Reader::from_str(svg);
    loop {
        match reader.read_event().expect("the drawing is XML") {
            quick_xml::events::Event::Eof => break,
            _ => continue,
        }
    }
    assert_eq!(svg.matches("class=\"change\"").count(), s.changes.len());
    if let Ok(path) = std::env::var("JOURNEYSTREAM_SVG_OUT") {
        std::fs::write(path, svg).unwrap();
    }
    let c = &s.changes[0];
    let label = format!("change: {:.0}% → {:.0}%", c.before * 100.0, c.after * 100.0);
    assert!(svg.contains(&label), "the change is labelled {label}");
    assert_eq!(svg.matches("class=\"limits\"").count(), 1);
    assert!(svg.contains("target 25%"));
    // The first breach is listed in words with its day, every alert is a triangle.
    assert!(svg.contains("▼ breached target in 2024-03-01"));
    let alerts = svg.split("class=\"alerts\"").nth(1).unwrap();
    let alerts = &alerts[..alerts.find("</g>").unwrap()];
    assert_eq!(alerts.matches("<polygon").count(), s.alerts.len());
    // Out-of-control days are ringed and say which rule flagged them.
    let chart = s.chart.as_ref().unwrap();
    assert_eq!(
        svg.matches("out of control: beyond_3_sigma").count(),
        chart.signals.len()
    );
    // The JSON of the result draws the same picture (the entry of C and Python).
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(&svg_chart("kpi_series", &json, &options).unwrap(), svg);
    // A damaged result is an error naming the field.
    let mut bad = s.clone();
    bad.alerts[0].index = 90;
    let e = kpi_series_drawing(&bad, &options).unwrap_err();
    assert_eq!(e.path(), Some("alerts[0].index"));
}
