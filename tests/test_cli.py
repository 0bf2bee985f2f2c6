"""The table commands, run as a user would."""

import csv
import json
import subprocess
import sys

from newslens.config import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newslens", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_actors_on_the_seed_lists_putin_and_aliyev_first(tmp_path):
    out = tmp_path / "actors.csv"
    result = run("actors", "seeds", "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:5] == ["actor", "type", "mentions", "named_mentions", "documents"]
    people = [r for r in rows if r["type"] == "PER"]
    assert [(p["actor"], p["mentions"], p["named_mentions"]) for p in people[:2]] == [
        ("Владимир Путин", "5", "5"),
        ("Ильхам Алиев", "5", "3"),
    ]
    counts = [int(r["mentions"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_mentions_on_jsonl_index_the_text_field(tmp_path):
    texts = ["Эммануэль Макрон прибыл в Пекин.", "Сегодня Макрон встретился с Си Цзиньпином."]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            json.dumps({"id": f"n{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)
        )
        + "\n{broken\n",
        "utf-8",
    )
    result = run("mentions", str(feed), "-q")
    assert result.returncode == 0, result.stderr
    assert f"rejected {feed}:3: invalid JSON" in result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    by_id = {"n0": texts[0], "n1": texts[1]}
    for row in rows:
        assert by_id[row["doc_id"]][int(row["start"]) : int(row["end"])] == row["text"]
    macron = [(r["doc_id"], r["text"]) for r in rows if r["actor"] == "Эммануэль Макрон"]
    assert macron == [("n0", "Эммануэль Макрон"), ("n1", "Макрон")]
