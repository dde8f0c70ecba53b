"""One row of ``events.csv`` as the records event-data users load: a
PLOVER-style JSON record (PLOVER manual, "Data Fields": one record per event,
a compound recipient kept as a list) and CAMEO-coded rows named as GDELT's
event table names its columns (dyadic, as CAMEO coders did: one row per
recipient). ``data_dictionary.csv`` says what each field holds."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ultimatum.export.codes import Entity, entity, event_codes, plover_mode_context

#: Fields of a PLOVER record, in order.
PLOVER_FIELDS = ["id", "date", "actor", "recipient", "event", "mode", "context", "quad_code", "text", "cite_info",
                 "event_type", "cameo_code", "goldstein", "topics", "date_source", "article_id", "sentence_id",
                 "claim_id"]
#: Columns of the CAMEO table, in order.
CAMEO_COLUMNS = ["EventID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1Party", "Actor2Code", "Actor2Name",
                 "Actor2Party", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                 "SOURCEURL", "ArticleID", "SentenceID", "ClaimID", "EventType"]
#: Columns of ``events.csv`` an export reads.
EVENT_FIELDS = ["article_id", "sentence_id", "sentence", "actor", "actor_name", "event_type", "target", "topics",
                "event_date", "event_date_source", "claim_id"]
#: What the records were coded from: the language of the articles and the codebook.
LANGUAGE = "en"
CODEBOOK = "ultimatum CODEBOOK.md"


@dataclass(frozen=True)
class Article:
    """What an export says of the article an event is in."""
    url: str = ""
    title: str = ""
    outlet: str = ""


def codes_of(cell: str) -> list[str]:
    """The codes of a ``;``-joined cell."""
    return [c for c in cell.split(";") if c]


def event_id(article_id: str, sentence_id: int, number: int) -> str:
    """An event's id: its article, sentence and number among that sentence's rows (from 1)."""
    return f"{article_id}-{sentence_id}-{number}"


def _plover_entity(e: Entity) -> dict[str, Any]:
    return {"code": e.plover or None, "identifier_text": e.name or None, "party": e.party}


def plover_record(row: Mapping[str, Any], eid: str, article: Article) -> dict[str, Any]:
    """The PLOVER record of one event row."""
    codes = event_codes()[row["event_type"]]
    topics = codes_of(row["topics"])
    modes, contexts = plover_mode_context(codes, tuple(topics))
    return {
        "id": eid,
        "date": row["event_date"] or None,
        "actor": [_plover_entity(entity(row["actor"], row["actor_name"]))],
        "recipient": [_plover_entity(entity(party)) for party in codes_of(row["target"])],
        "event": [codes.plover],
        "mode": modes,
        "context": contexts,
        "quad_code": codes.plover_quad,
        "text": row["sentence"],
        "cite_info": {"url": article.url or None, "title": article.title or None,
                      "publication": article.outlet or None, "language": LANGUAGE, "codebook": CODEBOOK},
        "event_type": row["event_type"],
        "cameo_code": codes.cameo,
        "goldstein": codes.goldstein,
        "topics": topics,
        "date_source": row["event_date_source"] or None,
        "article_id": row["article_id"],
        "sentence_id": int(row["sentence_id"]),
        "claim_id": row["claim_id"] or None,
    }


def cameo_rows(row: Mapping[str, Any], eid: str, article: Article) -> list[dict[str, Any]]:
    """The CAMEO rows of one event row: one per recipient, or one without."""
    codes = event_codes()[row["event_type"]]
    actor = entity(row["actor"], row["actor_name"])
    shared = {"EventID": eid, "SQLDATE": row["event_date"].replace("-", ""),
              "Actor1Code": actor.cameo, "Actor1Name": actor.name, "Actor1Party": actor.party}
    tail = {"EventCode": codes.cameo, "EventBaseCode": codes.base, "EventRootCode": codes.root,
            "QuadClass": codes.quad_class, "GoldsteinScale": codes.goldstein, "SOURCEURL": article.url,
            "ArticleID": row["article_id"], "SentenceID": int(row["sentence_id"]), "ClaimID": row["claim_id"],
            "EventType": row["event_type"]}
    recipients = [entity(party) for party in codes_of(row["target"])] or [Entity("", "", "", "")]
    return [{**shared, "Actor2Code": r.cameo, "Actor2Name": r.name, "Actor2Party": r.party, **tail}
            for r in recipients]
