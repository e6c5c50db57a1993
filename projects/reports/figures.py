"""Money and risk bands in the words a board paper uses, shared by the report and its assessment."""

from decimal import Decimal, InvalidOperation

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "NZD": "NZ$", "CAD": "C$"}


def money(value, currency="GBP", *, short=False):
    """£50,000, or £50k when short and a whole number of thousands (as board papers write it)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError):
        return str(value)
    symbol = CURRENCY_SYMBOLS.get(currency)
    prefix = symbol if symbol else f"{currency} "
    if short and amount and amount % 1000 == 0 and abs(amount) < 1_000_000:
        return f"{prefix}{int(amount / 1000)}k"
    if amount == amount.to_integral_value():
        return f"{prefix}{int(amount):,}"
    return f"{prefix}{amount:,.2f}"


BAND_LABELS = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}


def band_function(thresholds):
    """score -> band name with the project's thresholds (low_max, medium_max, high_max),
    the same bands as the risk register's."""
    low_max, medium_max, high_max = thresholds

    def band_for(score):
        if score <= low_max:
            return "low"
        if score <= medium_max:
            return "medium"
        return "high" if score <= high_max else "very_high"

    return band_for
