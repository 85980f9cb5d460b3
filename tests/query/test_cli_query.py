"""Query commands as users run them."""

import json

from graphkit.cli import main

from ..conftest import FLAGSHIP


def test_path_prints_explained_path(capsys):
    assert main(["path", str(FLAGSHIP), "north korea", "ukraine", "--temporal"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PRK -> RUS -> UKR (2 hops")
    assert "source: [B]" in out


def test_path_json_shape(capsys):
    assert main(["path", str(FLAGSHIP), "PRK", "UKR", "--k", "2", "--undirected", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload) == 2
    assert set(payload[0]) == {"nodes", "hops", "grade", "since", "since_when"}


def test_no_path_is_a_message_and_exit_1(capsys):
    assert main(["path", str(FLAGSHIP), "PRK", "UKR", "--at", "2020-01-01"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "no path: no path from 'PRK' to 'UKR' within 4 hops at 2020-01-01"
    )


def test_unknown_actor_exits_1_with_suggestion(capsys):
    assert main(["path", str(FLAGSHIP), "Nort Korea", "UKR"]) == 1
    assert "(did you mean 'North Korea'" in capsys.readouterr().err


def test_escalations_json_and_index(capsys):
    assert (
        main(["escalations", str(FLAGSHIP), "--actor", "PRK", "--since", "2024-10", "--json"]) == 0
    )
    steps = json.loads(capsys.readouterr().out)
    assert steps[0]["kind"] and steps[0]["evidence"][0]["sources"]
    assert (
        main(
            [
                "escalations",
                str(FLAGSHIP),
                "--conflict",
                "rus-ukr-war",
                "--index",
                "--freq",
                "month",
                "--json",
            ]
        )
        == 0
    )
    index = json.loads(capsys.readouterr().out)
    assert index["freq"] == "month" and index["points"]


def test_escalations_none_exits_1(capsys):
    assert main(["escalations", str(FLAGSHIP), "--since", "2030-01-01"]) == 1
    assert "no escalation steps" in capsys.readouterr().err


def test_neighbours_diff_central(capsys):
    assert main(["neighbours", str(FLAGSHIP), "PRK", "--at", "2024-10-20", "--json"]) == 0
    assert "RUS" in [n["actor"] for n in json.loads(capsys.readouterr().out)]
    assert main(["diff", str(FLAGSHIP), "2024-01-01", "2024-12-31"]) == 0
    assert "began:" in capsys.readouterr().out
    assert main(["central", str(FLAGSHIP), "-n", "3"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
