"""Suggest a selection: the exact highest total score that keeps the pool's rules, with reasons in Danish."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import accumulate
from math import floor, lcm

from portal.kommuner.enums import AMK, SizeClass

# Singular and plural adjective of each size class: "én lille kommune", "2 små kommuner".
SIZE_WORDS: dict[SizeClass, tuple[str, str]] = {
    SizeClass.LILLE: ("lille", "små"),
    SizeClass.MELLEM: ("mellemstor", "mellemstore"),
    SizeClass.STOR: ("stor", "store"),
}

NOT_SCORED = "Fravalgt: ikke bedømt endnu."
NO_SUGGESTION = "Fravalgt: ingen udvælgelse kan overholde puljens krav."


@dataclass(frozen=True)
class Candidate:
    """One application as the suggestion sees it; `score` is the weighted mean 1–5, None until scored."""

    code: int
    name: str
    amk: AMK
    size_class: SizeClass
    score: Fraction | None

    def __post_init__(self) -> None:
        if self.score is not None:
            object.__setattr__(self, "score", _rational(self.score, "score"))
            if not 1 <= self.score <= 5:
                raise ValueError(f"score must lie in 1–5, got {self.score}")


@dataclass(frozen=True)
class SelectionRules:
    """What every selection must keep: a count within [min_count, max_count], no application under
    `min_score`, and at least the given number of kommuner from each AMK and each size class.

    The minimum mappings are completed to every enum member (missing members get 0) in enum order.
    """

    min_count: int = 10
    max_count: int = 14
    min_score: Fraction | None = None
    min_per_amk: Mapping[AMK, int] = field(default_factory=lambda: {amk: 1 for amk in AMK})
    min_per_size: Mapping[SizeClass, int] = field(default_factory=lambda: {SizeClass.LILLE: 1, SizeClass.STOR: 1})

    def __post_init__(self) -> None:
        if not 0 <= self.min_count <= self.max_count or self.max_count < 1:
            raise ValueError("counts must satisfy 0 <= min_count <= max_count and max_count >= 1")
        if self.min_score is not None:
            object.__setattr__(self, "min_score", _rational(self.min_score, "min_score"))
        for name, members in (("min_per_amk", AMK), ("min_per_size", SizeClass)):
            given = dict(getattr(self, name))
            if not set(given) <= set(members) or any(not isinstance(n, int) or n < 0 for n in given.values()):
                raise ValueError(f"{name} must map {members.__name__} members to whole numbers >= 0")
            object.__setattr__(self, name, {member: given.get(member, 0) for member in members})


@dataclass(frozen=True)
class Suggestion:
    """The suggested selection, or why there can be none.

    `selected` holds kommune codes, best rank first (score descending, then code ascending).
    `explanations` maps every candidate's code to a Danish reason, in ranking order (scored
    candidates by rank, then the unscored by code). `problems` is empty exactly when a selection
    keeping the rules exists; otherwise it names each rule that cannot be met, and `selected` is empty.
    """

    selected: tuple[int, ...]
    total_score: Fraction
    explanations: dict[int, str]
    problems: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return not self.problems


def format_points(score: Fraction, decimals: int = 1) -> str:
    """A score the Danish way, rounded half up: Fraction(21, 5) -> '4,2'; decimals=2 -> '4,20'."""
    unit = 10**decimals
    scaled = floor(abs(Fraction(score)) * unit + Fraction(1, 2))
    sign = "-" if score < 0 and scaled else ""
    whole, part = divmod(scaled, unit)
    return f"{sign}{whole},{part:0{decimals}d}" if decimals else f"{sign}{whole}"


def suggest_selection(candidates: Iterable[Candidate], rules: SelectionRules) -> Suggestion:
    """The selection with the highest total score among all that keep `rules`; exact, not greedy.

    Ties between selections with the same total go to the one that is better compared candidate by
    candidate in rank order (higher score, then lower kommune code). Rules that no selection can
    keep are returned as Danish `problems`, never raised. Raises ValueError on duplicate codes.

    Method: the rules only concern the 9 AMK × size-class cells, and within a cell the best k are
    its top k by rank, so a dynamic programme over the cells (state: count so far, progress towards
    the minimums) is exact. Each candidate's weight is its score scaled to an integer, shifted left
    by one bit per candidate, plus a bit for its rank; maximising the integer sum therefore
    maximises the total score first and breaks ties by rank, all in exact integer arithmetic.
    The states grow with the product of the minimums: milliseconds for the pool's rules.
    """
    candidates = list(candidates)
    if len({candidate.code for candidate in candidates}) != len(candidates):
        raise ValueError("candidate codes must be unique")
    ranking = sorted((c for c in candidates if c.score is not None), key=lambda c: (-c.score, c.code))
    rank = {c.code: position for position, c in enumerate(ranking)}
    eligible = [c for c in ranking if rules.min_score is None or c.score >= rules.min_score]

    problems = _shortfalls(candidates, eligible, rules)
    chosen: list[Candidate] = []
    if not problems:
        # Minimums that alone exceed max_count fail without the programme (whose states they would swell).
        fits = max(sum(rules.min_per_amk.values()), sum(rules.min_per_size.values())) <= rules.max_count
        best = _best_per_count(eligible, rules, cap=rules.max_count) if fits else {}
        counts = [count for count in best if count >= rules.min_count]
        if counts:
            chosen = max((best[count] for count in counts), key=lambda pair: pair[0])[1]
        else:
            problems = [_combined_problem(eligible, rules)]

    chosen.sort(key=lambda c: rank[c.code])
    explanations = _explain(candidates, ranking, eligible, chosen, rules, feasible=not problems)
    return Suggestion(
        selected=tuple(c.code for c in chosen),
        total_score=sum((c.score for c in chosen), Fraction(0)),
        explanations=explanations,
        problems=tuple(problems),
    )


# --- the exact optimum --------------------------------------------------------------------------


def _best_per_count(eligible: list[Candidate], rules: SelectionRules, *, cap: int) -> dict[int, tuple[int, list]]:
    """For every size up to `cap` that can keep the minimums: (weight, candidates) of its best selection."""
    n = len(eligible)
    scale = lcm(*(c.score.denominator for c in eligible)) if eligible else 1
    weight = {c.code: (int(c.score * scale) << n) | (1 << (n - 1 - i)) for i, c in enumerate(eligible)}
    amk_min = [min(rules.min_per_amk[amk], cap + 1) for amk in AMK]
    size_min = [min(rules.min_per_size[size], cap + 1) for size in SizeClass]
    sizes = list(SizeClass)

    # A state is (count, progress towards the current AMK's minimum, progress per size class),
    # progress capped at the minimum; an AMK's minimum is checked when its last cell is done.
    layer: dict[tuple, int] = {(0, 0, (0,) * len(sizes)): 0}
    steps: list[tuple[list[Candidate], dict[tuple, tuple[tuple, int]]]] = []
    for amk_index, amk in enumerate(AMK):
        for size_index, size in enumerate(sizes):
            cell = [c for c in eligible if c.amk is amk and c.size_class is size]  # already in rank order
            prefix = list(accumulate((weight[c.code] for c in cell), initial=0))
            closes_amk = size_index == len(sizes) - 1
            following: dict[tuple, int] = {}
            back: dict[tuple, tuple[tuple, int]] = {}
            for state, value in layer.items():
                count, amk_have, size_have = state
                for k in range(min(len(cell), cap - count) + 1):
                    amk_now = min(amk_have + k, amk_min[amk_index])
                    if closes_amk:
                        if amk_now < amk_min[amk_index]:
                            continue
                        amk_now = 0
                    size_now = list(size_have)
                    size_now[size_index] = min(size_have[size_index] + k, size_min[size_index])
                    key = (count + k, amk_now, tuple(size_now))
                    total = value + prefix[k]
                    if total > following.get(key, -1):
                        following[key] = total
                        back[key] = (state, k)
            steps.append((cell, back))
            layer = following

    return {state[0]: (value, _walk_back(state, steps)) for state, value in layer.items() if list(state[2]) == size_min}


def _walk_back(state: tuple, steps: list) -> list[Candidate]:
    chosen: list[Candidate] = []
    for cell, back in reversed(steps):
        state, k = back[state]
        chosen += cell[:k]
    return chosen


# --- rules that cannot be met -------------------------------------------------------------------


def _shortfalls(candidates: list[Candidate], eligible: list[Candidate], rules: SelectionRules) -> list[str]:
    """Each rule that fails on its own: a group with too few selectable applications, or too few overall."""
    problems = []
    for amk in AMK:
        needed = rules.min_per_amk[amk]
        if sum(c.amk is amk for c in eligible) < needed:
            members = [c for c in candidates if c.amk is amk]
            reason = _why_too_few(
                members, rules,
                none_applied=f"Ingen kommune fra {amk.label} har søgt",
                few_applied=lambda n, amk=amk: f"Kun {_count(n, 'kommune', 'kommuner')} fra {amk.label} har søgt",
                one=f"ansøgning fra {amk.label}", many=f"ansøgninger fra {amk.label}",
            )
            problems.append(f"{reason}, så kravet om {_amk_requirement(rules, amk)} kan ikke opfyldes.")
    for size in SizeClass:
        needed = rules.min_per_size[size]
        if sum(c.size_class is size for c in eligible) < needed:
            one, many = SIZE_WORDS[size]
            members = [c for c in candidates if c.size_class is size]
            reason = _why_too_few(
                members, rules,
                none_applied=f"Ingen {one} kommune har søgt",
                few_applied=lambda n, o=one, m=many: f"Kun {_count(n, f'{o} kommune', f'{m} kommuner')} har søgt",
                one=f"ansøgning fra en {one} kommune", many=f"ansøgninger fra {many} kommuner",
            )
            problems.append(f"{reason}, så kravet om {_size_requirement(rules, size)} kan ikke opfyldes.")
    if len(eligible) < rules.min_count:
        reason = _why_too_few(
            candidates, rules,
            none_applied="Der er ingen ansøgninger",
            few_applied=lambda n: f"Der er kun {_count(n, 'ansøgning', 'ansøgninger')}",
            one="ansøgning", many="ansøgninger",
        )
        problems.append(f"{reason}, men puljen skal have mindst {rules.min_count}.")
    return problems


def _why_too_few(members, rules, *, none_applied, few_applied, one, many) -> str:
    """Why a group has fewer selectable applications than a rule needs: none, unscored or under the minimum."""
    selectable = [c for c in members if c.score is not None and (rules.min_score is None or c.score >= rules.min_score)]
    unscored = sum(c.score is None for c in members)
    below = len(members) - len(selectable) - unscored
    minimum = _exact(rules.min_score) if rules.min_score is not None else ""
    if not members:
        return none_applied
    if len(selectable) == len(members):
        return few_applied(len(members))
    if selectable:
        condition = "bedømt" if rules.min_score is None else f"bedømt og med mindst {minimum} point"
        return f"Kun {len(selectable)} af {len(members)} {many} kan vælges ({condition})"
    if not below:
        return f"Ingen {one} er bedømt endnu"
    if not unscored:
        return f"Ingen {one} har mindst {minimum} point"
    return f"Ingen bedømt {one} har mindst {minimum} point, og {unscored} er ikke bedømt endnu"


def _combined_problem(eligible: list[Candidate], rules: SelectionRules) -> str:
    """Every group has enough on its own, so the minimums together need more than `max_count`."""
    amk_total = sum(rules.min_per_amk.values())
    size_total = sum(rules.min_per_size.values())
    amk_parts = _amk_requirements(rules)
    size_parts = [_size_requirement(rules, size) for size in SizeClass if rules.min_per_size[size]]
    limit = f"men der må højst vælges {rules.max_count}."
    if amk_total > rules.max_count and size_total <= rules.max_count:
        return f"{_requirement_noun(amk_parts, capital=True)} kræver {amk_total} kommuner, {limit}"
    if size_total > rules.max_count and amk_total <= rules.max_count:
        return f"{_requirement_noun(size_parts, capital=True)} kræver {size_total} kommuner, {limit}"
    if size_total > rules.max_count:
        most = max(amk_total, size_total)
        return f"{_requirement_noun(amk_parts + size_parts, capital=True)} kræver mindst {most} kommuner, {limit}"
    cap = min(len(eligible), amk_total + size_total)
    needed = min(_best_per_count(eligible, rules, cap=cap))
    if needed == max(amk_total, size_total):
        return f"{_requirement_noun(amk_parts + size_parts, capital=True)} kræver {needed} kommuner, {limit}"
    requirements = _requirement_noun(amk_parts + size_parts)
    # With every AMK × size cell open the minimums never need more than the larger sum; here the
    # applications that can be selected leave a gap (an AMK without small kommuner, say).
    return f"Med de ansøgninger, der kan vælges, kræver {requirements} {needed} kommuner, {limit}"


# --- explanations -------------------------------------------------------------------------------


def _explain(candidates, ranking, eligible, chosen, rules, *, feasible) -> dict[int, str]:
    """A Danish reason for every candidate, in ranking order, then the unscored by code."""
    rank = {c.code: i for i, c in enumerate(ranking)}
    selected = {c.code for c in chosen}
    selectable = {c.code for c in eligible}
    explanations: dict[int, str] = {}
    for c in ranking:
        if c.code not in selectable:
            score, minimum = _distinct(c.score, rules.min_score)
            explanations[c.code] = f"Fravalgt: {score} point er under puljens minimum på {minimum}."
        elif not feasible:
            explanations[c.code] = NO_SUGGESTION
        elif c.code in selected:
            explanations[c.code] = _explain_selected(c, rank, eligible, chosen, selected, rules)
        else:
            explanations[c.code] = _explain_left_out(c, rank, chosen, rules)
    for c in sorted((c for c in candidates if c.score is None), key=lambda c: c.code):
        explanations[c.code] = NOT_SCORED
    return explanations


def _explain_selected(c, rank, eligible, chosen, selected, rules) -> str:
    passed_over = [h for h in eligible if h.code not in selected and rank[h.code] < rank[c.code]]
    if not passed_over:
        return f"Valgt: nr. {rank[c.code] + 1} af {len(rank)} bedømte ansøgninger efter point."
    # Swapping c for a better-ranked h would improve the selection, so only a minimum that c meets
    # and h does not can keep c in: such a reason always exists for an optimal selection.
    reasons = _binding_requirements(c, passed_over, chosen, rules)
    higher = sum(h.score > c.score for h in passed_over)
    same = len(passed_over) - higher
    level = f"højere og {same} med samme" if higher and same else "højere" if higher else "samme"
    others = f"{_count(higher or same, 'ansøgning', 'ansøgninger')} med {level} point"
    return f"Valgt for at opfylde {_requirement_noun(reasons)}, selv om {others} er fravalgt."


def _explain_left_out(c, rank, chosen, rules) -> str:
    # An optimal selection leaves a selectable application out only when every seat is taken.
    seats = "den ene plads" if rules.max_count == 1 else f"de {rules.max_count} pladser"
    better = [s for s in chosen if rank[s.code] < rank[c.code]]
    forced = [s for s in chosen if rank[s.code] > rank[c.code]]
    takers = []
    if better:
        higher = sum(s.score > c.score for s in better)
        level = "højere" if higher == len(better) else "samme" if not higher else "højere eller samme"
        takers.append(f"{'en ansøgning' if len(better) == 1 else 'ansøgninger'} med {level} point")
    if forced:
        reasons: list[str] = []
        for s in forced:
            reasons += [r for r in _binding_requirements(s, [c], chosen, rules) if r not in reasons]
        takers.append(f"{_count(len(forced), 'kommune', 'kommuner')} valgt for at opfylde {_requirement_noun(reasons)}")
    return f"Fravalgt: {seats} er taget af {' og af '.join(takers)}."


def _binding_requirements(c, outsiders, chosen, rules) -> list[str]:
    """The minimums that c helps meet exactly and that at least one of `outsiders` would not meet."""
    reasons = []
    amk_count = sum(s.amk is c.amk for s in chosen)
    if amk_count == rules.min_per_amk[c.amk] and any(h.amk is not c.amk for h in outsiders):
        reasons.append(_amk_requirement(rules, c.amk))
    size_count = sum(s.size_class is c.size_class for s in chosen)
    if size_count == rules.min_per_size[c.size_class] and any(h.size_class is not c.size_class for h in outsiders):
        reasons.append(_size_requirement(rules, c.size_class))
    assert reasons, "an optimal selection keeps a lower-ranked candidate only to meet a minimum"
    return reasons


# --- Danish wording -----------------------------------------------------------------------------


def _amk_requirements(rules: SelectionRules) -> list[str]:
    """The AMK minimums as stated: one phrase when every AMK has the same minimum."""
    minimums = set(rules.min_per_amk.values())
    if len(minimums) == 1 and 0 not in minimums:
        return [_amk_requirement(rules, next(iter(AMK)))]
    return [_amk_requirement(rules, amk) for amk in AMK if rules.min_per_amk[amk]]


def _amk_requirement(rules: SelectionRules, amk: AMK) -> str:
    minimum = rules.min_per_amk[amk]
    uniform = len(set(rules.min_per_amk.values())) == 1
    where = "hvert AMK" if uniform else amk.label
    return f"mindst {_count(minimum, 'kommune', 'kommuner', one='én')} fra {where}"


def _size_requirement(rules: SelectionRules, size: SizeClass) -> str:
    one, many = SIZE_WORDS[size]
    return f"mindst {_count(rules.min_per_size[size], f'{one} kommune', f'{many} kommuner', one='én')}"


def _requirement_noun(requirements: list[str], *, capital: bool = False) -> str:
    noun = "kravet" if len(requirements) == 1 else "kravene"
    return f"{noun.capitalize() if capital else noun} om {_join(requirements)}"


def _count(n: int, singular: str, plural: str, *, one: str = "1") -> str:
    return f"{one} {singular}" if n == 1 else f"{n} {plural}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} og {parts[-1]}"


def _exact(value: Fraction) -> str:
    """A limit as written: one decimal if that is exact, else up to three ('3,0', '2,75', '3,333')."""
    for decimals in (1, 2):
        if (value * 10**decimals).denominator == 1:
            return format_points(value, decimals)
    return format_points(value, 3)


def _distinct(score: Fraction, minimum: Fraction) -> tuple[str, str]:
    """A score under the minimum and the minimum, with enough decimals that they never read alike."""
    limit = _exact(minimum)
    for decimals in range(1, 7):
        shown = format_points(score, decimals)
        if shown != format_points(minimum, decimals):
            return shown, limit if decimals == 1 else format_points(minimum, decimals)
    return format_points(score, 6), format_points(minimum, 6)


def _rational(value, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise TypeError(f"{name} must be exact (int or Fraction), got {value!r}")
    return Fraction(value)
