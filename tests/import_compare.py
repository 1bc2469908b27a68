"""Project the export JSON of a library onto what the importer must get right."""

from __future__ import annotations

from typing import Any


def project(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for m in data["meetings"]:
        out[m["id"]] = {
            "venue": m["venue"],
            "time": m["time"],
            "cancelled": m["cancelled"],
            "next_meeting": m["next_meeting"] and m["next_meeting"]["date"],
            "items": [
                {
                    "number": it["number"],
                    "order": it["order"],
                    "title": it["title"],
                    "confidential": it["confidential"],
                    "decisions": len(it["decisions"]),
                    "actions": len(it["actions"]),
                }
                for it in m["items"]
            ],
            "attendance": sorted(
                (a["name"], a["status"], a["role"] or "", a["authority"] or "")
                for a in m["attendance"]
            ),
            "persons": sorted(a["person"] for a in m["attendance"]),
            "kpis": sorted((k["code"], k["rating"]) for k in m["kpis"]),
            "summaries": sorted(
                (s["total"], s["green"], s["amber"], s["red"], s["blue"]) for s in m["summaries"]
            ),
            "series": sorted(
                (s["name"], tuple((p["period"], p["value"]) for p in s["points"]))
                for s in m["series"]
            ),
            "outputs": sorted(
                (o["project"], o["rating"], o["reference"] or "") for o in m["outputs"]
            ),
            "membership": sorted(
                (x["name"], x["group"] or "", x["role"] or "", x["authority"] or "")
                for x in m["membership"]
            ),
            "figures": sorted((f["value"], f.get("item")) for f in m["figures"]),
        }
    return out


def differences(got: dict, want: dict) -> dict[tuple, tuple]:
    """(meeting, field[, item number]) → (got, want) for every field that differs."""
    diffs: dict[tuple, tuple] = {}
    for mid in sorted(set(got) | set(want)):
        g, w = got.get(mid), want.get(mid)
        if g is None or w is None:
            diffs[(mid, "meeting")] = (g is not None, w is not None)
            continue
        for key in w:
            if key == "items":
                gi = {it["number"]: it for it in g["items"]}
                wi = {it["number"]: it for it in w["items"]}
                if list(gi) != list(wi):
                    diffs[(mid, "item numbers")] = (list(gi), list(wi))
                for num in wi:
                    if num not in gi:
                        continue
                    for f in wi[num]:
                        if gi[num][f] != wi[num][f]:
                            diffs[(mid, f, num)] = (gi[num][f], wi[num][f])
            elif g[key] != w[key]:
                if isinstance(w[key], list):
                    diffs[(mid, key)] = (
                        sorted(set(g[key]) - set(w[key]), key=str),
                        sorted(set(w[key]) - set(g[key]), key=str),
                    )
                else:
                    diffs[(mid, key)] = (g[key], w[key])
    return diffs
