"""Escalations: where a situation got worse, when, by how much, and on whose word.

The rules rest on published scales shipped in ``graphkit/data/event_types.yaml`` (see
``docs/escalation-scale.md``): each event type has a Goldstein conflict–cooperation score of its
CAMEO code (GDELT's table), a QuadClass, and a Correlates of War militarized-dispute hostility level
(1 no militarized action, 2 threat to use force, 3 display of force, 4 use of force, 5 war) that
serves as the ordinal ladder. Relation types say which are wars (``war``) and which align two
actors (``supportive``). No actor, name or scenario appears here: the same rules run on any data.

Actors are compared through their *root*: the top of their ``part_of`` chain (a special-forces
unit of a state's army counts for the state).

Each rule has a module of its own:

* :mod:`.conflicts`: the war relations grouped into conflicts with two sides;
* :mod:`.ladder`: ``ladder`` steps, a dyad climbing the MID hostility levels (and the walk
  down them that :mod:`.deescalation` reports);
* :mod:`.quantities`: ``quantity_growth`` steps, figures as claims and the accepted level growing;
* :mod:`.new_party`: ``new_party`` steps, a third party committing to a conflict;
* :mod:`.widening`: ``widening`` steps, new support for a belligerent;
* :mod:`.deescalation`: ``de_escalation`` steps, down the ladder, cooperation between parties in
  conflict, hostile relations and support that end;
* :mod:`.severity`: deaths and the MID fatality levels, severity within a hostility level;
* :mod:`.index`: the escalation index, intensity per time bin;
* :mod:`.scan`: :func:`escalations`, which runs the rules and filters their steps, and
  :func:`escalation_scan`, one scan for both the steps and the index;
* :mod:`.context` and :mod:`.steps`: what the rules share, and what they return.
"""

from graphkit.query.escalation.conflicts import Conflict, conflicts
from graphkit.query.escalation.index import EscalationIndex, IndexPoint, escalation_index
from graphkit.query.escalation.scan import EscalationScan, escalation_scan, escalations
from graphkit.query.escalation.steps import LEVELS, Kind, Step, StepList

__all__ = [
    "LEVELS",
    "Conflict",
    "EscalationIndex",
    "EscalationScan",
    "IndexPoint",
    "Kind",
    "Step",
    "StepList",
    "conflicts",
    "escalation_index",
    "escalation_scan",
    "escalations",
]
