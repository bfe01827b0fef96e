"""Names a request gives that the log lacks are errors with the closest suggested; durations are
seconds (or timedelta) everywhere; filters build typed."""

import datetime
from pathlib import Path

import pytest

import journeystream as js
from journeystream.filters import Filter

LOGS = Path(__file__).resolve().parents[2] / "tests" / "data" / "logs"


@pytest.fixture(scope="module")
def log():
    return js.read_csv(LOGS / "journeys.csv")


def test_a_step_the_log_lacks_is_an_error_naming_the_closest(log):
    acts = log.activities()
    typo = acts[0][:-1] + acts[0][-1].upper() + "x"
    with pytest.raises(js.InvalidArgumentError) as e:
        js.funnel(log, [acts[0], acts[1] + "s"])
    assert f"'{acts[1]}s' is not an activity of the log; did you mean '{acts[1]}'?" in str(e.value)
    assert "steps[1]" in str(e.value)
    with pytest.raises(js.InvalidArgumentError, match="steps\\[0\\]"):
        js.funnel(log, [typo, acts[1]])


def test_a_lone_string_of_steps_is_a_type_error(log):
    with pytest.raises(TypeError, match="steps must be a list, not the string 'ab'"):
        js.funnel(log, "ab")
    with pytest.raises(TypeError, match="activities must be a list"):
        Filter.contains_any("ad")


def test_attribution_and_breakdown_names_are_checked(log):
    with pytest.raises(js.InvalidArgumentError, match="did you mean 'purchase'"):
        js.attribution("linear", log=log, conversion="purchse")
    with pytest.raises(js.InvalidArgumentError, match="did you mean 'signed_up'"):
        js.funnel(log, ["ad", "purchase"], breakdown="signed_upp")
    with pytest.raises(js.InvalidArgumentError, match="did you mean 'channel'"):
        js.attribution("linear", log=log, conversion="purchase", channel_attribute="chanel")


def test_an_activity_a_filter_removed_still_counts_zero(log):
    without = log.filter(~Filter.activities(["purchase"]))
    f = js.funnel(without, ["ad", "purchase"])
    assert [s.count for s in f.steps][1] == 0


def test_filter_builders_equal_their_dict_form(log):
    hour = datetime.timedelta(hours=1)
    assert Filter.case_duration(max=hour).to_dict() == {
        "case_duration": {"min_seconds": None, "max_seconds": 3600.0}
    }
    assert log.filter(Filter.case_duration(max=hour)) == log.filter(
        {"case_duration": {"min_seconds": None, "max_seconds": 3600}}
    )
    assert log.filter(Filter.case_duration(max=3600)) == log.filter(Filter.case_duration(max=hour))
    start = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
    by_datetime = log.filter(Filter.time_range(start, datetime.date(2024, 3, 2), mode="events"))
    by_nanos = log.filter(Filter.time_range(1709251200 * 10**9, "2024-03-02T00:00:00Z", mode="events"))
    assert by_datetime == by_nanos and by_datetime.num_events() > 0
    assert ~~Filter.top_variants(2) == Filter.top_variants(2)
    assert (~Filter.top_variants(2)).to_dict() == {"not": {"top_variants": 2}}
    web = log.filter(Filter.event_attribute("channel", equals="email", level="case"))
    assert web.num_cases() > 0


def test_filter_errors_name_the_field_and_the_value(log):
    with pytest.raises(js.InvalidArgumentError, match="'emial' is not a value of 'channel' in the log; did you mean 'email'"):
        log.filter(Filter.event_attribute("channel", equals="emial"))
    with pytest.raises(js.ParseError, match="unknown field `max`"):
        log.filter({"case_duration": {"max": 3_600_000_000_000}})  # the nanosecond form is refused
    with pytest.raises(TypeError, match="exactly one of"):
        Filter.case_attribute("signed_up")
    with pytest.raises(TypeError, match="is not a duration"):
        Filter.case_duration(max="1h")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="is not a time"):
        Filter.time_range(1.5, 2)  # type: ignore[arg-type]


def test_the_funnel_window_takes_a_timedelta(log):
    a = js.funnel(log, ["ad", "purchase"], window_seconds=datetime.timedelta(days=1))
    b = js.funnel(log, ["ad", "purchase"], window_seconds=86400)
    assert a == b and a.window_seconds == 86400.0


def test_readers_report_progress_and_stop_when_the_callback_raises(tmp_path):
    seen = []
    path = LOGS / "journeys.csv"
    log = js.read_csv(path, progress=lambda n, size: seen.append((n, size)))
    size = path.stat().st_size
    assert log.num_events() > 0 and seen and seen[-1] == (size, size)
    xes = Path(__file__).resolve().parents[2] / "tests" / "data" / "logs" / "small.xes"
    got = []
    js.read_xes(xes, progress=lambda n, size: got.append(n))
    assert got[-1] == xes.stat().st_size
    assert js.read_csv(path, progress=False) == log

    class Stop(Exception):
        pass

    def stop(n, size):
        raise Stop(n)

    with pytest.raises(Stop):
        js.read_csv(path, progress=stop)
    with pytest.raises(Stop):
        js.read_xes(xes, progress=stop)


def test_kpi_durations_take_a_timedelta():
    durations = [3600, 7200, 90000, 86400, 100, 200000]
    a = js.kpi("sla", durations=durations, target_seconds=datetime.timedelta(days=1))
    b = js.kpi("sla", durations=durations, target_seconds=86400)
    assert a == b and a.overall.value == pytest.approx(4 / 6)
