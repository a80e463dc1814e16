import BusSchema

/// Money going back to the customer, as the order page and notifications show it: a credit
/// note among the documents, a refund to the original payment, store credit and gift card codes.
extension OrderProgress {
    /// Takes in a credit note: shown among the documents if the rules list credit notes; when
    /// refunded to the original payment, a `refund_issued` transition (store credit is told by
    /// its own transition, with its code). Nil when this credit note was taken in before.
    public mutating func take(_ note: ERPCreditNote, rules: StatusNotifierRules) -> [Happening]? {
        let number = note.creditNoteNumber.rawValue
        let key = "\(Transition.refundIssued.rawValue)-\(number)"
        guard !handled.contains(key), !documents.contains(where: { $0.kind == .creditNote && $0.number == number }) else { return nil }
        if rules.documents.contains(.creditNote) {
            add(OrderDocument(kind: .creditNote, number: number, issuedAt: note.issuedAt))
            updatedAt = max(updatedAt ?? note.issuedAt, note.issuedAt)
        }
        if let returned = note.returnNumber {
            take(returns: [ReturnProgress(returnNumber: returned, status: .refunded, updatedAt: note.issuedAt)])
        }
        guard note.refundMethod == .originalPayment else {
            handled.append(key)
            return []
        }
        return [Happening(transition: .refundIssued, key: key, parameters: Self.money(note.totalInclTax).merging(["credit_note_number": number]) { $1 },
                          at: note.issuedAt)]
    }

    /// Takes in store credit issued: a `store_credit_issued` transition carrying the code to
    /// spend it, its amount and its last day. Credit issued without a code tells nothing.
    public mutating func take(_ credit: StoreCreditIssued) -> [Happening]? {
        guard let code = credit.code else { return nil }
        return [Happening(transition: .storeCreditIssued, key: "\(Transition.storeCreditIssued.rawValue)-\(code)",
                          parameters: Self.credit(code, credit.amount, credit.expiresOn), at: credit.issuedAt)]
    }

    /// Takes in a gift card paid: a `gift_card_issued` transition for the buyer with its code.
    public mutating func take(_ card: GiftCardIssued) -> [Happening]? {
        [Happening(transition: .giftCardIssued, key: "\(Transition.giftCardIssued.rawValue)-\(card.code)",
                   parameters: Self.credit(card.code, card.amount, card.expiresOn), at: card.issuedAt)]
    }

    /// An amount as templates show it: `"15.00"` and `"EUR"`.
    static func money(_ amount: Money) -> [String: String] {
        ["amount": amount.majorUnits.description, "currency": amount.currency.code]
    }

    private static func credit(_ code: CreditCode, _ amount: Money, _ expiresOn: LocalDate?) -> [String: String] {
        var parameters = money(amount)
        parameters["code"] = code.rawValue
        if let expiresOn { parameters["expires_on"] = expiresOn.description }
        return parameters
    }
}
