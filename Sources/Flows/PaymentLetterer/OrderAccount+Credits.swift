import BusSchema

/// Credit codes on the order's side: the code of store credit, spends sent to their balance,
/// and gift cards issued once their order is paid.
extension OrderAccount {
    /// The code of the store credit a credit note issues: derived from its number (keyed by
    /// `secret`, so that it cannot be guessed from the number), so every replay issues the same code.
    public static func storeCreditCode(of note: CreditNoteNumber, secret: CreditCodeSecret? = nil) -> CreditCode {
        CreditCode.derive(.storeCredit, from: [note.rawValue], secret: secret)
    }

    /// The code of one gift card an order sells (keyed by `secret`, as a store credit's).
    public static func giftCardCode(order: OrderNumber, unit: GiftCardUnit, secret: CreditCodeSecret? = nil) -> CreditCode {
        CreditCode.derive(.giftCard, from: [order.rawValue, String(unit.lineNumber), String(unit.unit)], secret: secret)
    }

    /// Marks every new payment spending a credit code as awaiting, and returns the spends to
    /// send to the codes' balances. A spend is judged there, not here: the code's balance is
    /// shared by every order that spends it.
    mutating func forwardSpends(order: OrderNumber) -> [StoreCreditSpend] {
        var spends: [StoreCreditSpend] = []
        for index in payments.indices where !payments[index].posted && !payments[index].excluded && payments[index].spend == nil {
            guard let code = payments[index].spentCode else { continue }
            payments[index].spend = .awaiting
            let payment = payments[index]
            spends.append(StoreCreditSpend(code: code, orderNumber: order, paymentID: payment.paymentID, amount: payment.amount, requestedAt: payment.occurredAt))
        }
        return spends
    }

    /// Issues the order's gift cards once it is paid in full: the captures counted, less the
    /// refunds, reach the latest sales order's total. Each card is issued once, dated by the
    /// payment that completed the payment (see `paidInFull`).
    mutating func issueGiftCards(order: OrderNumber, captures: [Int], refunds: [Int], rules: PaymentLettererRules,
                                 secret: CreditCodeSecret?) throws(SchemaError) -> [GiftCardIssued] {
        guard var units = giftCards, units.contains(where: { !$0.issued }), let orderTotal, let accountCode, let currency else { return [] }
        guard orderTotal.currency == currency, let paidAt = try paidInFull(orderTotal, captures: captures, refunds: refunds) else { return [] }
        var issued: [GiftCardIssued] = []
        for index in units.indices where !units[index].issued {
            units[index].issued = true
            let unit = units[index]
            issued.append(GiftCardIssued(
                giftCardID: EventID.fromFacts("gc", [order.rawValue, String(unit.lineNumber), String(unit.unit)]),
                code: Self.giftCardCode(order: order, unit: unit, secret: secret), accountCode: accountCode, orderNumber: order, sku: unit.sku,
                amount: unit.amount, expiresOn: rules.giftCardExpiry(paidOn: paidAt.utcDate), issuedAt: paidAt))
        }
        giftCards = units
        return issued
    }

    /// When the order was first paid in full: the time of the payment, in arrival order, with
    /// which the captures less the refunds reached `total` (nil: not reached). Why not the
    /// latest capture: whether the sales order or the last capture came first, a replay in
    /// another order then dates the gift card the same.
    func paidInFull(_ total: Money, captures: [Int], refunds: [Int]) throws(SchemaError) -> Instant? {
        let paid = try Money.sum(captures.map { payments[$0].amount }, in: total.currency).subtracting(Money.sum(refunds.map { payments[$0].amount }, in: total.currency))
        guard paid.amount >= total.amount else { return nil }
        let capturing = Set(captures)
        var running: Int64 = 0
        for index in (captures + refunds).sorted() {
            running += capturing.contains(index) ? payments[index].amount.amount : -payments[index].amount.amount
            if running >= total.amount { return payments[index].occurredAt }
        }
        return nil
    }
}
