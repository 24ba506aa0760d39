"""Previews (`mmjourney play --from`): the shortest way to a scene, a walkthrough's step, and a journey
that is neither saved nor recorded."""

from __future__ import annotations

import pytest

from mmjourney.engine import Action
from mmjourney.journey import Journey, PreviewError, Workspace, preview_of
from mmjourney.records import attempt_writer, records
from mmjourney.story import load_story

from ..conftest import REPO

PREVIEW = REPO / "tests" / "items" / "preview.yaml"
NEXT = Action("next")


@pytest.fixture(scope="module")
def story():
    return load_story(PREVIEW)


def test_the_start_scene_and_the_pages_after_it_need_no_decision(story):
    assert preview_of(story, "arrive").actions == ()
    at_triage = preview_of(story, "triage")
    assert at_triage.actions == (NEXT,) and at_triage.decisions == 0
    assert "no decision was needed" in at_triage.notice


def test_of_two_equally_short_ways_the_experts_is_taken(story):
    # 'shortcut' is written first and also reaches the ward in one decision; 'assess' is the expert's.
    ward = preview_of(story, "ward")
    assert ward.actions == (NEXT, Action("choose", "assess"))
    assert ward.decisions == 1 and ward.where == "scene 'ward'"
    assert "the 1 decision on the way there was made for you" in ward.notice


def test_the_fewest_decisions_win_and_pages_do_not_count(story):
    # 'review' is a page: the search stops on it, and the ending after it is one page further.
    assert preview_of(story, "review").actions == (NEXT, Action("choose", "assess"), Action("choose", "fluids"))
    assert preview_of(story, "home").actions == (NEXT, Action("choose", "assess"), Action("choose", "fluids"), NEXT)
    # The poor ending needs the poor choice: the expert's is taken wherever it still leads there.
    assert preview_of(story, "admitted").actions == (NEXT, Action("choose", "assess"), Action("choose", "wait"), NEXT)


def test_a_scene_behind_a_chance_outcome_is_reached_whatever_the_seed(story):
    preview = preview_of(story, "lab_call")
    assert preview.actions == (NEXT, Action("choose", "bloods", outcome=1))
    for seed in range(20):
        assert Journey.previewing(story, preview, seed).session.scene_id == "lab_call"


def test_an_unknown_scene_gets_a_did_you_mean_and_an_unreachable_one_is_named(story):
    with pytest.raises(PreviewError, match=r"^the story has no scene 'wrd'; did you mean 'ward'\?$"):
        preview_of(story, "wrd")
    with pytest.raises(PreviewError, match="a walkthrough's name, a colon and a step number"):
        preview_of(story, "xyzzy")
    with pytest.raises(PreviewError, match=r"^scene 'icu' cannot be reached: no journey from the start leads there"):
        preview_of(story, "icu")


def test_a_search_over_its_budget_says_so_and_offers_a_walkthrough(story):
    with pytest.raises(PreviewError, match=r"in the first 3 situations .* too large to search fully.*"
                                           r"--from 'Expert path:3'"):
        preview_of(story, "home", max_states=3)


def test_a_walkthrough_step(story):
    after_one = preview_of(story, "Expert path:1")
    assert after_one.actions == (NEXT, Action("choose", "assess"))
    assert after_one.where == "walkthrough 'Expert path' after step 1"
    assert preview_of(story, " expert PATH : 0 ").actions == ()  # names are matched whatever their case
    lab = preview_of(story, "Lab call:2")
    assert lab.actions == (NEXT, Action("choose", "bloods", outcome=1), Action("choose", "act_on_call"))
    assert Journey.previewing(story, lab, seed=5).session.scene_id == "ward"


@pytest.mark.parametrize(("start", "message"), [
    ("Expert path:3", "walkthrough 'Expert path' has 2 steps, not 3"),
    ("Expert pth:1", "the story has no walkthrough called 'Expert pth'; did you mean 'Expert path'?"),
    ("Nothing like it:1", "the story has no walkthrough called 'Nothing like it'; the story's walkthroughs are: "
                          "'Expert path', 'Lab call'"),
    ("Expert path:two", "'two' is not a step number: write the walkthrough's name, a colon and the number of the "
                        "step to start after, like 'Expert path:3'"),
])
def test_walkthrough_mistakes(story, start, message):
    with pytest.raises(PreviewError) as raised:
        preview_of(story, start)
    assert str(raised.value) == message


def test_a_walkthrough_that_no_longer_fits_says_which_step(tmp_path):
    path = tmp_path / "preview.yaml"
    path.write_text(PREVIEW.read_text(encoding="utf-8").replace("choices: [assess, fluids]",
                                                                "choices: [assess, wait, fluids]"), encoding="utf-8")
    story = load_story(path)
    with pytest.raises(PreviewError, match=r"^walkthrough 'Expert path' does not play to step 3: step 3 \('fluids'\) "
                                           r"does not fit \(the story has ended\); mmjourney test says why$"):
        preview_of(story, "Expert path:3")


def test_a_preview_is_neither_saved_nor_recorded(story, tmp_path):
    workspace = Workspace(tmp_path, learner="Ada", recorder=attempt_writer)
    journey = Journey.previewing(story, preview_of(story, "ward"), 3, "practice", workspace)
    assert journey.session.scene_id == "ward" and journey.session.seed == 3
    journey.decide(Action("choose", "fluids"))
    journey.decide(NEXT)
    assert journey.ended
    assert journey.persist() == []
    assert not list(tmp_path.rglob("*.json"))  # no autosave
    ending = journey.debrief_record().ending  # the debrief still shows the preview's journey
    assert journey.attempt_id is None and ending is not None and ending.scene == "home"
    with records(workspace.records_path) as db:
        assert db.attempts() == []
    # Starting again starts the preview again, and a branch of it is a preview too.
    assert journey.restarted().session.scene_id == "ward" and journey.restarted().preview is journey.preview
    assert journey.branch(2).preview is journey.preview
