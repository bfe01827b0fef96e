"""Attribution from Python: typed results, pandas frames, log journeys, and the Markov model checked
against an independent absorbing-chain computation (numpy's fundamental matrix)."""

import datetime
import itertools
import random
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ROOT / "tests" / "data" / "logs" / "journeys.csv"

HAND = [["a > b > c > d", 10, 100.0, 1], ["a > b", 4, 8.0, 0], ["c", 2, 6.0, 3], ["b > b", 0, 0.0, 5]]


def test_u_shaped_by_hand_with_a_frame():
    a = js.attribution("u_shaped", paths=HAND)
    assert isinstance(a, js.Attribution) and a.model == "u_shaped"
    assert [c.channel for c in a.channels] == ["a", "b", "c", "d"]
    got = [x for c in a.channels for x in (c.conversions, c.value)]
    assert got == pytest.approx([6.0, 44.0, 3.0, 14.0, 3.0, 16.0, 4.0, 40.0], rel=1e-12)
    assert (a.total_conversions, a.total_null, a.markov) == (16.0, 9.0, None)
    f = a.to_pandas()
    assert list(f.index) == ["a", "b", "c", "d"]
    assert f.loc["a", "conversion_share"] == pytest.approx(6 / 16)
    assert np.isnan(f.loc["a", "removal_effect"])


def test_dataframe_input_with_numpy_numbers_and_a_position_model():
    df = pd.DataFrame(HAND, columns=["path", "total_conversions", "total_conversion_value", "total_null"])
    a = js.attribution("position", paths=df, first=0.3, last=0.5)
    assert a.channel("d").conversions == pytest.approx(5.0)
    assert a.channel("b").value == pytest.approx(15.0)
    with pytest.raises(KeyError):
        js.attribution("linear", paths=df.drop(columns=["total_conversions"]))
    # a missing number (NaN) counts 0, as a left-out column does
    gaps = df.astype({"total_null": "float64"})
    gaps.loc[0, "total_null"] = float("nan")
    assert js.attribution("linear", paths=gaps).total_null == 8.0


def test_bad_rows_and_parameters_name_the_field():
    with pytest.raises(js.InvalidError) as e:
        js.attribution("linear", paths=[["a", 1], ["b", 1, 0.0, -1]])
    assert e.value.path == "paths[1].total_null"
    with pytest.raises(js.ParseError) as e:
        js.attribution("last_click", paths=HAND)  # type: ignore[arg-type]
    assert e.value.path == "model"
    with pytest.raises(js.InvalidArgumentError, match="timestamps"):
        js.attribution("time_decay", paths=HAND, half_life=60)
    with pytest.raises(js.InvalidArgumentError, match="not a parameter"):
        js.attribution("linear", paths=HAND, order=2)
    with pytest.raises(js.MissingDataError):
        js.attribution("linear")


def test_log_journeys_path_table_and_time_decay():
    log = js.read_csv(JOURNEYS)
    t = js.path_table(log, "purchase", value_attribute="revenue")
    assert list(t.columns) == ["path", "total_conversions", "total_conversion_value", "total_null"]
    assert t["path"].tolist() == ["display > email > search", "search", "display > email", "", "email"]
    assert t["total_conversion_value"].tolist() == [100.0, 50.0, 0.0, 20.0, 0.0]
    a = js.attribution(
        "time_decay", log=log, conversion="purchase", value_attribute="revenue", half_life=datetime.timedelta(hours=1)
    )
    assert a.channel("display").conversions == pytest.approx(1 / 7)
    assert a.channel("search").value == pytest.approx(400 / 7 + 50)
    assert (a.unattributed_conversions, a.conversions_without_value) == (1.0, 1)
    # the same table through the path-table input gives the same linear attribution
    via_log = js.attribution("linear", log=log, conversion="purchase", value_attribute="revenue")
    via_table = js.attribution("linear", paths=t[t["path"] != ""])
    for c in via_table.channels:
        assert via_log.channel(c.channel).conversions == pytest.approx(c.conversions, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Markov: an independent absorbing chain in numpy


def reference_markov(rows, order):
    """Removal effects and conversion shares from the fundamental matrix N = (I − Q)⁻¹, the chain
    built here from the rows (ChannelAttribution's construction: k-tuples of consecutive
    channels, consecutive equal states merged, empty paths left out)."""
    counts, conv, null = {}, {}, {}
    states = ["(start)"]
    for path, c, _, n in rows:
        touches = [t.strip() for t in path.split(">") if t.strip()]
        if not touches or c + n == 0:
            continue
        k = min(order, len(touches))
        seq = ["(start)"]
        for i in range(len(touches) - k + 1):
            s = tuple(touches[i : i + k])
            if s != seq[-1]:
                seq.append(s)
            if s not in states:
                states.append(s)
        for x, y in zip(seq, seq[1:]):
            counts[(x, y)] = counts.get((x, y), 0) + c + n
        conv[seq[-1]] = conv.get(seq[-1], 0) + c
        null[seq[-1]] = null.get(seq[-1], 0) + n
    index = {s: i for i, s in enumerate(states)}
    m = len(states)
    Q = np.zeros((m, m))
    R = np.zeros(m)
    for (x, y), w in counts.items():
        Q[index[x], index[y]] += w
    for s in states:
        R[index[s]] = conv.get(s, 0)
        out = Q[index[s]].sum() + conv.get(s, 0) + null.get(s, 0)
        if out > 0:
            Q[index[s]] /= out
            R[index[s]] /= out

    def p_conversion(removed):
        keep = [i for i, s in enumerate(states) if not (s != "(start)" and removed in s)]
        N = np.linalg.inv(np.eye(len(keep)) - Q[np.ix_(keep, keep)])
        return (N @ R[keep])[0]

    p = p_conversion(None)
    channels = sorted({t for s in states[1:] for t in s})
    effects = {c: 1 - p_conversion(c) / p for c in channels}
    return p, effects


def random_table(seed, channels, rows):
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        path = [rng.choice(channels) for _ in range(rng.randint(1, 7))]
        out.append([" > ".join(path), rng.randint(0, 4), 0.0, rng.randint(0, 6)])
    return out


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_markov_matches_the_fundamental_matrix(order):
    rows = random_table(order, ["a", "b", "c", "d", "e"], 300)
    p, effects = reference_markov(rows, order)
    a = js.attribution("markov", paths=rows, order=order)
    assert a.markov is not None and a.markov.order == order
    assert a.markov.conversion_probability == pytest.approx(p, rel=1e-9, abs=1e-12)
    total = sum(effects.values())
    conversions = sum(r[1] for r in rows)
    for c in a.channels:
        assert c.removal_effect == pytest.approx(effects[c.channel], rel=1e-9, abs=1e-12)
        assert c.conversions == pytest.approx(effects[c.channel] / total * conversions, rel=1e-9)


def test_shapley_equals_the_average_over_orderings():
    rows = [["a", 6, 1.0], ["a > b", 4, 2.0], ["b > c", 3, 0.5], ["c > b > a", 3, 7.0], ["d", 0, 0.0, 2]]

    def v(coalition):
        return sum(r[1] for r in rows if {t.strip() for t in r[0].split(">")} <= coalition)

    players = ["a", "b", "c"]
    phi = dict.fromkeys(players, 0.0)
    orders = list(itertools.permutations(players))
    for o in orders:
        seen = set()
        for p in o:
            phi[p] += (v(seen | {p}) - v(seen)) / len(orders)
            seen.add(p)
    a = js.attribution("shapley", paths=rows)
    for p in players:
        assert a.channel(p).conversions == pytest.approx(phi[p], rel=1e-12)
    assert a.channel("d").conversions == 0.0
