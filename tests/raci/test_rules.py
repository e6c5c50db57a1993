import pytest
from django.db import IntegrityError, transaction

from raci.models import Assignment, canonical
from raci.rules import problems, readiness
from tests.factories import make_activity, make_assignment, make_project, make_raci, make_stakeholder

pytestmark = pytest.mark.django_db


def codes(project):
    return [(p.level, p.code, p.activity_id, p.stakeholder_id) for p in problems(project)]


@pytest.fixture
def people(project):
    return make_stakeholder(project, name="Ann", position=0), make_stakeholder(project, name="Bob", position=1)


def test_an_activity_with_no_accountable_person_is_an_error(project, people):
    ann, bob = people
    row = make_activity(project, name="Evaluation")
    make_assignment(row, ann, "R")
    make_assignment(row, bob, "C")
    found = [p for p in problems(project) if p.activity_id == row.pk]
    assert [(p.level, p.message) for p in found] == [
        ("error", "No one is accountable for “Evaluation”: give exactly one person the A.")
    ]


def test_two_accountable_people_is_an_error_naming_both(project, people):
    ann, bob = people
    row = make_activity(project, name="Contract award")
    make_assignment(row, ann, "AR")
    make_assignment(row, bob, "A")
    errors = [p for p in problems(project) if p.level == "error"]
    assert [p.message for p in errors] == [
        "“Contract award” has 2 people accountable (Ann and Bob): keep exactly one A."
    ]


def test_an_activity_with_no_responsible_person_is_an_error(project, people):
    ann, bob = people
    row = make_activity(project, name="Market engagement")
    make_assignment(row, ann, "A")
    make_assignment(row, bob, "I")
    assert codes(project) == [("error", "no_responsible", row.pk, None)]
    assert "No one is responsible for “Market engagement”" in problems(project)[0].message


def test_the_same_person_accountable_and_responsible_is_a_note(project, people):
    ann, bob = people
    row = make_activity(project, name="Highlight report")
    make_assignment(row, ann, "AR")
    make_assignment(row, bob, "I")
    assert codes(project) == [("note", "accountable_and_responsible", row.pk, ann.pk)]
    assert problems(project)[0].message.startswith("Ann is both accountable and responsible for “Highlight report”")


def test_a_person_with_no_letter_anywhere_is_a_note(project, people):
    ann, bob = people
    row = make_activity(project)
    make_assignment(row, ann, "A")
    make_assignment(row, make_stakeholder(project, name="Cy", position=2), "R")
    assert codes(project) == [("note", "no_letter", None, bob.pk)]
    assert problems(project)[0].message.startswith("Bob has no letter on any activity")


def test_an_approver_who_is_neither_accountable_nor_consulted_is_a_note(project, people):
    ann, bob = people
    board = make_stakeholder(project, name="Project Board", kind="approver", position=2)
    row = make_activity(project, name="Approve the business case")
    make_assignment(row, ann, "A")
    make_assignment(row, bob, "R")
    make_assignment(row, board, "I")
    assert codes(project) == [("note", "approver_not_involved", None, board.pk)]
    assert problems(project)[0].message.startswith("Project Board is an approver but is only informed on activities")


def test_an_approver_with_no_letter_at_all_gets_both_notes(project, people):
    ann, bob = people
    board = make_stakeholder(project, name="Project Board", kind="approver", position=2)
    row = make_activity(project)
    make_assignment(row, ann, "A")
    make_assignment(row, bob, "R")
    assert codes(project) == [("note", "no_letter", None, board.pk), ("note", "approver_not_involved", None, board.pk)]
    assert "Project Board is an approver but is on no activity" in problems(project)[1].message


def test_an_approver_who_is_consulted_somewhere_is_fine(project, people):
    ann, bob = people
    board = make_stakeholder(project, name="Project Board", kind="approver", position=2)
    row = make_activity(project)
    make_assignment(row, ann, "A")
    make_assignment(row, bob, "R")
    make_assignment(row, board, "CI")
    assert problems(project) == []


def test_an_empty_matrix_has_no_problems_but_is_not_ready(project, people):
    assert problems(project) == []
    ready, sentence = readiness(project)
    assert ready is False
    assert sentence.startswith("The RACI matrix has no activities yet")


def test_readiness_names_the_activities_that_break_the_rules(project, people):
    ann, bob = people
    make_assignment(make_activity(project, name="Evaluation"), ann, "R")
    make_assignment(make_activity(project, name="Award"), ann, "A")
    good = make_activity(project, name="Fine")
    make_assignment(good, ann, "A")
    make_assignment(good, bob, "R")
    assert readiness(project) == (
        False,
        "In the RACI matrix, 1 activity has no one accountable (“Evaluation”) and "
        "1 activity has no one responsible (“Award”).",
    )


def test_readiness_holds_with_notes_but_no_errors(project, people):
    ann, bob = people
    row = make_activity(project)
    make_assignment(row, ann, "AR")  # a note only; Bob has no letter: a note too
    ready, sentence = readiness(project)
    assert ready is True
    assert sentence == "The RACI activity has exactly one person accountable and at least one responsible."


def test_rules_read_the_matrix_in_a_fixed_number_of_queries(project, django_assert_num_queries):
    make_raci(project, activities=5, people=5)
    with django_assert_num_queries(3):
        problems(project)
    other = make_project()
    make_raci(other, activities=40, people=30)
    with django_assert_num_queries(3):
        problems(other)
    with django_assert_num_queries(3):
        readiness(other)


def test_the_database_refuses_letters_other_than_r_a_c_i(project, people):
    ann, _ = people
    row = make_activity(project)
    for bad in ("X", "RX", "RA", "AA", "", "r"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(activity=row, stakeholder=ann, letters=bad)
    assert not Assignment.objects.exists()


def test_letters_are_kept_in_one_order_and_unknown_ones_refused():
    assert canonical("ra") == "AR"
    assert canonical("i, c") == "CI"
    with pytest.raises(ValueError, match="Use only the letters R, A, C and I"):
        canonical("RX")


def test_one_cell_per_activity_and_person(project, people):
    ann, _ = people
    row = make_activity(project)
    make_assignment(row, ann, "A")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(row, ann, "R")
