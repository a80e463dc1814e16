/// How money is spread over what is owed: the matching rule of lettering, over plain amounts.
///
/// Debts (invoices, or credit notes awaiting a refund) are served in the order they arrived,
/// each from the credits (captures, or refunds) in the order they arrived, taking from the
/// oldest credit with money left until the debt is covered or the credits run out.
///
/// Guarantees: the same lists always give the same result; appending a debt or a credit
/// never changes what earlier debts were given, it only adds pieces (a debt's pieces only
/// grow), so a lettering emitted earlier stays a prefix of any later one; no credit gives
/// more than its amount and no debt receives more than its amount.
public enum Allocation {
    /// A share of one credit given to a debt.
    public struct Piece: Sendable, Hashable, Codable {
        /// The credit's index in the credits list.
        public var credit: Int
        /// The amount, in minor units, more than zero.
        public var amount: Int64

        /// A piece of `amount` from credit `credit`.
        public init(credit: Int, amount: Int64) {
            self.credit = credit
            self.amount = amount
        }
    }

    /// For each debt, the pieces of credits given to it. Amounts are minor units of one
    /// currency; zero or negative amounts take and give nothing.
    public static func allocate(debts: [Int64], credits: [Int64]) -> [[Piece]] {
        var left = credits.map { max($0, 0) }
        var cursor = 0
        return debts.map { debt in
            var due = max(debt, 0)
            var pieces: [Piece] = []
            while due > 0, cursor < left.count {
                let taken = min(due, left[cursor])
                if taken > 0 { pieces.append(Piece(credit: cursor, amount: taken)) }
                due -= taken
                left[cursor] -= taken
                if left[cursor] == 0 { cursor += 1 }
            }
            return pieces
        }
    }

    /// What each credit has left once `pieces` are taken from it.
    public static func leftovers(credits: [Int64], after pieces: [[Piece]]) -> [Int64] {
        var left = credits.map { max($0, 0) }
        for piece in pieces.joined() { left[piece.credit] -= piece.amount }
        return left
    }
}
