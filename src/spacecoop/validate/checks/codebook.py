"""Codebook rules that a machine can check (docs/codebook.md): who an agreement binds, how many
sides a meeting has, which stages a record's milestones may name and in what order, what a
claim is about and who makes it. Each is registered once, with its message."""
from __future__ import annotations

from ...model import PackageError
from ..table import ROW
from . import Rule, Run, register

SIDE_ROLES = ("party", "host", "visitor")  # meeting_participants roles that make a side
PAIR = {"CHN", "RUS"}


def _frame(run: Run, name: str):
    """The kept columns of a table read, lazily. A kept vocabulary is categorical: the rules filter
    on it as it is and cast only what they join or print (at 1M rows, casting every kept column to
    text first doubled what these rules held)."""
    t = run.tables.get(name)
    if t is None or t.frame is None:
        return None
    return t.frame.lazy()


def _text(*names: str) -> list:
    import polars as pl

    return [pl.col(n).cast(pl.String) for n in names]


def _side():
    """A participant's side: its country, or the participant itself where none is coded."""
    import polars as pl

    return pl.coalesce(pl.col("country").cast(pl.String), "participant_id")


def _countries(run: Run):
    """participant_id -> side, for participants read: a side travels the joins as a number (its
    rank), with whether it is China or Russia (at 1M rows, as text it doubled what the join held)."""
    p = _frame(run, "participants")
    if p is None:
        return None
    return p.select("participant_id", _side().rank("dense").alias("side"), *[(_side() == c).alias(c) for c in sorted(PAIR)])


class _CodebookRule(Rule):
    early = True  # end() reads only the kept columns of the tables keep() names

    def keep(self, run: Run):
        return {t: cols for t, cols in self.needs.items() if t in run.order}

    def _ready(self, run: Run) -> bool:
        """Whether every table and column the rule needs was read (what is lacking is reported by shape.py)."""
        return all(t in run.tables and set(c) <= set(run.tables[t].frame.columns) for t, c in self.needs.items())


@register
class AgreementParties(_CodebookRule):
    """agreements holds only China–Russia instruments: its parties, counted by country, are China and
    Russia alone when bilateral, and China, Russia and at least one other when multilateral."""
    name = "agreement-parties"
    needs = {"agreements": ("agreement_id", "scope"), "agreement_participants": ("agreement_id", "participant_id", "role"),
              "participants": ("participant_id", "country")}

    def end(self, run: Run):
        import polars as pl

        if not self._ready(run):
            return []
        parties = _frame(run, "agreement_participants").filter(pl.col("role") == "party").select("agreement_id", "participant_id")
        counted = (parties.join(_countries(run), on="participant_id", how="left")
                   .group_by("agreement_id").agg(pl.col("side").n_unique().alias("n"), *[pl.col(c).any() for c in PAIR]))
        n = pl.col("n").fill_null(0)
        bad = run.collect(_frame(run, "agreements").select(ROW, "agreement_id", "scope").join(counted, on="agreement_id", how="left")
                          .filter(~pl.all_horizontal(pl.col(c).fill_null(False) for c in PAIR)
                                  | ((pl.col("scope") == "bilateral") & (n != 2)) | ((pl.col("scope") == "multilateral") & (n < 3)))
                          .select(ROW, "agreement_id", "scope"))
        # who the parties are, for the agreements that fail only
        named = _frame(run, "participants").select("participant_id", _side().alias("side"))
        who = run.collect(parties.filter(pl.col("agreement_id").is_in(bad.get_column("agreement_id").implode()))
                          .join(named, on="participant_id", how="left")
                          .group_by("agreement_id").agg(pl.col("side").unique().sort().alias("sides")))
        bad = (bad.join(who, on="agreement_id", how="left").with_columns(pl.col("sides").fill_null([]))
               .with_columns(pl.col("sides").list.join(", ").replace("", "none").alias("who")))
        return self.hits(run, run.tables["agreements"], bad, "scope",
                         "agreement {agreement_id} is {scope} but its parties are {who}: an agreement binds China and Russia, "
                         "alone when bilateral, with others when multilateral (codebook: agreements)")


@register
class MeetingSides(_CodebookRule):
    """A meeting is a gathering of at least two sides (party, host or visitor), told apart by country."""
    name = "meeting-sides"
    needs = {"meetings": ("meeting_id",), "meeting_participants": ("meeting_id", "participant_id", "role"),
              "participants": ("participant_id", "country")}

    def end(self, run: Run):
        import polars as pl

        if not self._ready(run):
            return []
        sides = (_frame(run, "meeting_participants").filter(pl.col("role").is_in(SIDE_ROLES)).select("meeting_id", "participant_id")
                 .join(_countries(run), on="participant_id", how="left")
                 .group_by("meeting_id").agg(pl.col("side").drop_nulls().n_unique().alias("n")))
        m = _frame(run, "meetings").join(sides, on="meeting_id", how="left").with_columns(pl.col("n").fill_null(0))
        return self.hits(run, run.tables["meetings"], run.collect(m.filter(pl.col("n") < 2)), "meeting_id",
                         "meeting {meeting_id} has {n} side(s): a meeting needs at least two sides (party, host or visitor) "
                         "from different countries; a date with no gathering is a milestone (codebook: meetings)")


@register
class OutcomeParties(_CodebookRule):
    """An outcome is agreed or stated by at least two parties."""
    name = "outcome-parties"
    needs = {"outcomes": ("outcome_id",), "outcome_participants": ("outcome_id", "role")}

    def end(self, run: Run):
        import polars as pl

        if not self._ready(run):
            return []
        n = _frame(run, "outcome_participants").filter(pl.col("role") == "party").group_by("outcome_id").len("n")
        o = _frame(run, "outcomes").join(n, on="outcome_id", how="left").with_columns(pl.col("n").fill_null(0))
        return self.hits(run, run.tables["outcomes"], run.collect(o.filter(pl.col("n") < 2)), "outcome_id",
                         "outcome {outcome_id} has {n} party: an outcome is agreed or stated by at least two sides (codebook: outcomes)")


def _record_keys(run: Run, names) -> dict[str, object]:
    """table -> its primary-key column (a polars Series), for the tables read."""
    import polars as pl

    out = {}
    for name in names:
        t = run.tables.get(name)
        try:
            pk = run.pkg.schema(name).primary_key[0]
        except (PackageError, IndexError):
            continue
        if t is not None and pk in t.frame.columns:
            out[name] = t.frame.get_column(pk).cast(pl.String).drop_nulls().alias("record_id")
    return out


@register
class RecordOfAnyTable(Rule):
    """milestones and claim_subjects name a record of another table by (table, record_id): the record exists."""
    name = "foreign-key"
    early = True  # end() reads only the kept columns of the tables keep() names
    owners = ("milestones", "claim_subjects")
    needs = {t: ("table", "record_id") for t in owners}

    def needed(self, pkg):
        return {**self.needs, **{t: () for t in self._named(pkg)}}

    def _named(self, pkg) -> set[str]:
        """The tables the owners' `table` vocabularies name."""
        out: set[str] = set()
        for t in self.owners:
            try:
                out |= set(pkg.schema(t).field("table").enum or ())
            except (PackageError, KeyError):
                pass
        return out

    def keep(self, run: Run):
        out = {t: ("table", "record_id") for t in self.owners if t in run.order}
        for t in self._targets(run):  # an owner may be a target too: its key is kept beside the pair
            try:
                out[t] = tuple(dict.fromkeys((*out.get(t, ()), run.pkg.schema(t).primary_key[0])))
            except (PackageError, IndexError):
                pass
        return out

    def _targets(self, run: Run) -> set[str]:
        return self._named(run.pkg) & set(run.order)

    def end(self, run: Run):
        import polars as pl

        keys = _record_keys(run, self._targets(run))
        out = []
        for owner in self.owners:
            t = run.tables.get(owner)
            if t is None or not {"table", "record_id"} <= set(t.frame.columns) or not keys:
                continue
            # One anti-join per table named, against that table's ids: no set of every id is built.
            bad = [_frame(run, owner).filter(pl.col("table") == name).select(ROW, "record_id")
                   .join(ids.to_frame().lazy(), on="record_id", how="anti").with_columns(pl.lit(name).alias("table"))
                   for name, ids in keys.items()]
            out += self.hits(run, t, run.collect(pl.concat(bad)), "record_id", "{record_id!r} is not a record of {table} (dangling foreign key)")
        return out


@register
class MilestoneStages(_CodebookRule):
    """A milestone's kind applies to its record's table; the record's status is not behind a stage
    its milestones name; and stages are dated in their order (signed before ratified)."""
    name = "milestone"
    needs = {"milestones": ("milestone_id", "table", "record_id", "kind", "date", "date_earliest", "date_latest")}

    def keep(self, run: Run):
        out = super().keep(run)
        for t in ("programs", "agreements"):
            try:
                out[t] = (run.pkg.schema(t).primary_key[0], "status")
            except (PackageError, IndexError):
                pass
        return out

    def end(self, run: Run):
        import polars as pl

        if not self._ready(run):
            return []
        m = _frame(run, "milestones")
        t = run.tables["milestones"]
        kind = run.pkg.schema("milestones").field("kind")
        # The schema says which tables each kind applies to (appliesTo, beside the enum).
        applies = next((f.get("appliesTo") for f in run.pkg.schema("milestones").raw["fields"] if f.get("name") == "kind"), None) or {}
        out = []
        if applies:
            allowed = pl.LazyFrame([(k, tb) for k, tbs in applies.items() for tb in tbs], schema={"kind": pl.String, "table": pl.String}, orient="row")
            wrong = m.filter(pl.col("kind").is_in(list(kind.enum or ()))).with_columns(_text("kind", "table")).join(allowed, on=["kind", "table"], how="anti")
            out += self.hits(run, t, run.collect(wrong), "kind", "a {table} record has no stage {kind!r} (codebook: milestones.kind)")
        for table in ("programs", "agreements"):
            if table not in run.tables or "status" not in run.tables[table].frame.columns:
                continue
            order = list(run.pkg.schema(table).field("status").enum or ())
            rank = {v: i for i, v in enumerate(order)}
            pk = run.pkg.schema(table).primary_key[0]
            stage = lambda c: pl.col(c).cast(pl.String).replace_strict(rank, default=None, return_dtype=pl.Int32)  # noqa: E731
            day = lambda c: pl.col(c).str.to_date("%Y-%m-%d", strict=False)  # noqa: E731
            mine = run.collect(m.filter((pl.col("table") == table) & pl.col("kind").is_in(order))
                               .select(ROW, "record_id", *_text("kind"), "date", stage("kind").alias("s"), day("date_earliest").alias("lo"), day("date_latest").alias("hi"))
                               .join(_frame(run, table).select(pl.col(pk).alias("record_id"), *_text("status"), stage("status").alias("now")), on="record_id", how="inner"))
            out += self.hits(run, t, mine.filter(pl.col("s") > pl.col("now")), "kind",
                             "{record_id} has a milestone {kind!r} but its status is {status!r}, an earlier stage (codebook: statuses and stages)")
            # A later stage dated wholly before an earlier one (ratified before it was signed).
            dated = mine.lazy().select(ROW, "record_id", "kind", "date", "s", "lo", "hi")
            pairs = dated.join(dated, on="record_id", suffix="_b").filter((pl.col("s") < pl.col("s_b")) & (pl.col("hi_b") < pl.col("lo")))
            out += self.hits(run, t, run.collect(pairs.with_columns(pl.col(ROW + "_b").alias(ROW))), "date",
                             "{kind_b} ({date_b}) before it was {kind} ({date}): stages are dated in their order")
        return out


@register
class ClaimSpeaker(_CodebookRule):
    """A claim attributed to a participant names it (speaker_id); one attributed to the outlet or to
    unnamed others names no one."""
    name = "claim-speaker"
    needs = {"claims": ("claim_id", "attribution", "speaker_id")}

    def end(self, run: Run):
        import polars as pl

        if not self._ready(run):
            return []
        c = _frame(run, "claims")
        bad = c.filter((pl.col("attribution") == "participant") != pl.col("speaker_id").is_not_null())
        return self.hits(run, run.tables["claims"], run.collect(bad.with_columns(pl.col("speaker_id").fill_null(""))), "speaker_id",
                         "claim {claim_id} is attributed to {attribution!r} but speaker_id is {speaker_id!r}: "
                         "name the speaker exactly when the attribution is 'participant' (codebook: claims.attribution)")
