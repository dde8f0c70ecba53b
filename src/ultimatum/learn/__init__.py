"""The learned part of extraction: a classifier that reads (sentence,
candidate party) pairs off the parse and decides which event types the party
performs there. Rules propose: their rows are features, and their targets and
dates are kept where they fired. See ``learn/model/CARD.md`` for what the
shipped model was trained on and how it scores."""
