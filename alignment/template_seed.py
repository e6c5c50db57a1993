"""Version 1 of the three alignment-session templates: the content of seed 000 (NSW innovation
procurement guidance, milestone "define the buying project outcome"), with the fuller prompts
written in its spirit. Loaded by alignment migration 0009 (and again after a test database is
flushed, by the post_migrate handler in alignment/templates_data.py); after that the advisory
team changes templates in admin, as new versions, and this file is history.

The seed gives each session's duration, not each topic's: the topics' minutes are our estimates,
adding up to within the session's range.
"""

CHANGE_NOTE = "The seed's content (NSW innovation procurement guidance)."

SEED = {
    1: {
        "title": "Buying objectives, current situation and problem",
        "duration": "30 minutes to 1 hour",
        "aligns_on": [
            "buyer's desired outcome",
            "buying objectives",
            "strategic drivers",
            "situation, needs, problem, opportunity and evidence",
            "progress to date",
            "concerns or constraints",
            "innovation buying prior experience, maturity and risk appetite",
        ],
        "topics": [
            {
                "key": "desired_outcome",
                "title": "Buyer's desired outcome",
                "prompt": "What will be different for the business, its customers or staff when this buying "
                "project succeeds?",
                "helper_questions": [
                    "How will you know it has worked? What would you measure?",
                    "Who benefits, and by when do they need the benefit?",
                ],
                "field_prompts": {},
                "duration_minutes": 10,
                "needs_before_signoff": "The desired outcome written down.",
            },
            {
                "key": "business_objective",
                "title": "Buying objectives",
                "prompt": "What is the business objective behind this purchase?",
                "helper_questions": [
                    "What must the buying achieve: value for money, a new capability, a service continued, a saving?",
                    "If objectives pull against each other, which matters most?",
                ],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "The buying objectives written down.",
            },
            {
                "key": "strategic_drivers",
                "title": "Strategic drivers",
                "prompt": "Which strategy, policy, commitment or mandate does this support?",
                "helper_questions": ["Is there a deadline, funding window or board commitment driving it?"],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "The strategic drivers written down.",
            },
            {
                "key": "evidence",
                "title": "Situation, needs, problem, opportunity and evidence",
                "prompt": "What evidence shows the problem or opportunity is real: data, complaints, "
                "audits, reviews, research?",
                "helper_questions": ["Note where each piece comes from, so others can check it."],
                "field_prompts": {
                    "situation": [
                        "What is happening today? Who is affected, and how?",
                        "What has been tried before, and what happened?",
                    ],
                    "needs": [
                        "What do users, customers or staff need that they are not getting?",
                        "Which needs are must-haves and which are nice to have?",
                    ],
                    "problem_or_opportunity": [
                        "What problem is the buyer trying to solve, in "
                        "a sentence or two? Describe the problem, not "
                        "a solution.",
                        "This is the project's problem statement: it appears on the dashboard and the brief.",
                    ],
                    "opportunity": [
                        "Is there an opportunity to do something better, new or cheaper?",
                        "What would be lost by not acting now?",
                    ],
                },
                "duration_minutes": 15,
                "needs_before_signoff": "The current situation, needs, problem and opportunity written "
                "down, and at least one piece of evidence.",
            },
            {
                "key": "progress_to_date",
                "title": "Progress to date",
                "prompt": "What has already been done: approvals, funding, market research, a business case?",
                "helper_questions": ["Which decisions have already been made, and by whom?"],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "The progress to date written down.",
            },
            {
                "key": "concerns",
                "title": "Concerns or constraints",
                "prompt": "What worries the buyer or the procurement officer about this project?",
                "helper_questions": [
                    "Budget, timing, policy, legal, technical or capacity constraints? Anything non-negotiable?"
                ],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "The concerns or constraints written down.",
            },
            {
                "key": "prior_experience",
                "title": "Innovation buying prior experience, maturity and risk appetite",
                "prompt": "",
                "helper_questions": [],
                "field_prompts": {
                    "prior_experience": [
                        "Has the organisation bought something innovative before? What worked and what did not?",
                        "Who on the team has done this before?",
                    ],
                    "maturity": [
                        "Choose the level that best describes the organisation today, not where it hopes to be."
                    ],
                    "risk_appetite": [
                        "How much uncertainty about the outcome will the business and its approvers accept?"
                    ],
                },
                "duration_minutes": 10,
                "needs_before_signoff": "Prior experience written down, and the maturity and the risk appetite chosen.",
            },
        ],
    },
    2: {
        "title": "Timelines, milestones, risk mitigants and assumptions",
        "duration": "15 to 30 minutes",
        "aligns_on": ["timelines and milestones", "risk mitigants, assumptions and questions"],
        "topics": [
            {
                "key": "milestones",
                "title": "Timelines and milestones",
                "prompt": "What are the anticipated stages, activities and timelines? The procurement "
                "officer advises on them.",
                "helper_questions": [
                    "Which milestones sit within the project, and which outside it does the project depend on?",
                    "Who owns each milestone? Are there fixed dates: funding, financial year end, a contract expiring?",
                ],
                "field_prompts": {},
                "duration_minutes": 10,
                "needs_before_signoff": "At least one milestone.",
            },
            {
                "key": "risks",
                "title": "Risk mitigants",
                "prompt": "What could stop the project achieving its outcome?",
                "helper_questions": [
                    "How likely is each risk and how serious would it be? What will you do "
                    "to mitigate it, and who owns it?"
                ],
                "field_prompts": {},
                "duration_minutes": 10,
                "needs_before_signoff": "At least one risk with an action to mitigate it.",
            },
            {
                "key": "assumptions",
                "title": "Assumptions and questions",
                "prompt": "What are you assuming that, if wrong, would change the plan?",
                "helper_questions": ["Which questions need an answer, from whom and by when?"],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "At least one assumption or question in the log.",
            },
            {
                "key": "notes",
                "title": "Other agreements",
                "prompt": "Anything else agreed on timelines, milestones or risks, and who will do what next.",
                "helper_questions": [],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "Nothing: notes are optional.",
            },
        ],
    },
    3: {
        "title": "Roles and responsibilities, and innovation procurement support needs",
        "duration": "15 to 30 minutes",
        "aligns_on": [
            "RACI: roles, responsibilities, accountabilities, people",
            "required innovation procurement support levels",
        ],
        "topics": [
            {
                "key": "raci",
                "title": "RACI: roles, responsibilities, accountabilities, people",
                "prompt": "For each activity: who is Responsible (does the work), who is Accountable (one "
                "person who signs it off), who is Consulted and who is Informed?",
                "helper_questions": [
                    "Who are the subject-matter experts for the core buying team?",
                    "Who approves, and what do they need to see to give their support?",
                ],
                "field_prompts": {},
                "duration_minutes": 15,
                "needs_before_signoff": "A RACI with at least one activity, each with exactly one person "
                "accountable and at least one responsible.",
            },
            {
                "key": "support",
                "title": "Innovation procurement support level",
                "prompt": "How much help does the team need from the innovation procurement advisory team?",
                "helper_questions": [
                    "The recommendation comes from the maturity and risk appetite agreed "
                    "in session 1; accept it, or choose another level and say why."
                ],
                "field_prompts": {},
                "duration_minutes": 10,
                "needs_before_signoff": "A support level chosen.",
            },
            {
                "key": "notes",
                "title": "Other agreements",
                "prompt": "Anything else agreed about roles, approvals or support, and who will do what next.",
                "helper_questions": [],
                "field_prompts": {},
                "duration_minutes": 5,
                "needs_before_signoff": "Nothing: notes are optional.",
            },
        ],
    },
}
