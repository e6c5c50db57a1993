"""Risk scales, bands and the mappings used when a project changes its scale.

Seed 004 scores likelihood and impact 1-4 (LxI 1-16); a project may choose 1-5 instead.
Documented default bands (a project may move the thresholds on its risk settings page):

    4x4 (scores 1-16): low 1-3, medium 4-6, high 7-9, very high 10-16
    5x5 (scores 1-25): low 1-4, medium 5-9, high 10-14, very high 15-25

So the four risks of seed 004 (4, 8, 9, 8) are one medium and three high.
"""

SCALES = (4, 5)
DEFAULT_SCALE = 4

# (low_max, medium_max, high_max): a score above high_max is "very high".
DEFAULT_THRESHOLDS = {4: (3, 6, 9), 5: (4, 9, 14)}

BANDS = ("low", "medium", "high", "very_high")
BAND_LABELS = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}

# Fills chosen so dark text (or white on very high) passes WCAG AA contrast; the band's
# name is always written beside the colour.
BAND_FILLS = {"low": "#cdebd3", "medium": "#ffe58f", "high": "#f7a35c", "very_high": "#b3261e"}
BAND_TEXT = {"low": "#0b3d17", "medium": "#3d2e00", "high": "#2b1400", "very_high": "#ffffff"}

LIKELIHOOD_WORDS = {
    4: {1: "Unlikely", 2: "Possible", 3: "Likely", 4: "Very likely"},
    5: {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"},
}
IMPACT_WORDS = {
    4: {1: "Minor", 2: "Moderate", 3: "Major", 4: "Severe"},
    5: {1: "Insignificant", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"},
}

# How existing values move when the scale changes. "keep" leaves every value as it is and is
# refused when a value would fall outside the new scale.
MAPPINGS = {
    (4, 5): {
        "keep": ("Keep every value as it is (a 4 stays 4 of 5)", {1: 1, 2: 2, 3: 3, 4: 4}),
        "stretch": ("Stretch to the new scale (1→1, 2→2, 3→4, 4→5)", {1: 1, 2: 2, 3: 4, 4: 5}),
    },
    (5, 4): {
        "keep": ("Keep every value as it is (refused while any value is 5)", {1: 1, 2: 2, 3: 3, 4: 4}),
        "squeeze": ("Squeeze to the new scale (1→1, 2→2, 3→3, 4→3, 5→4)", {1: 1, 2: 2, 3: 3, 4: 3, 5: 4}),
        "cap": ("Cap at the new maximum (5→4, others unchanged)", {1: 1, 2: 2, 3: 3, 4: 4, 5: 4}),
    },
}


def band_for_score(score, thresholds):
    """The band name of `score` given (low_max, medium_max, high_max)."""
    if score is None:
        return None
    low_max, medium_max, high_max = thresholds
    if score <= low_max:
        return "low"
    if score <= medium_max:
        return "medium"
    if score <= high_max:
        return "high"
    return "very_high"


def band_range(band, thresholds, scale):
    """The inclusive score range (lowest, highest) of `band`."""
    low_max, medium_max, high_max = thresholds
    return {
        "low": (1, low_max),
        "medium": (low_max + 1, medium_max),
        "high": (medium_max + 1, high_max),
        "very_high": (high_max + 1, scale * scale),
    }[band]
