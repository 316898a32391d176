"""Stand-ins for data other packages own (fees), importable so ZODB can
store them."""
from persistent import Persistent


class FeeAssessment(Persistent):
    def __init__(self, amount):
        self.amount, self.paid = amount, 0

    def outstanding(self):
        return self.amount - self.paid


class GivenRecommendation(Persistent):
    def __init__(self, decision):
        self.decision = decision
