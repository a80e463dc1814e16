import BusSchema

extension Reconciliation {
    /// Every payment of an order in the ERP is one receipt; every invoice is lettered to the
    /// cent against the order's captures; every credit note is lettered against its refund or
    /// became store credit of its amount.
    func payments() throws -> Check {
        var failures: [String] = []
        var receipts: [PaymentID: [(record: ObservedRecord, message: Receipt)]] = [:]
        for item in journal.messages(Receipt.self, on: Topics.erpReceipts) { receipts[item.message.paymentID, default: []].append(item) }
        var posted = 0
        for (number, file) in outcome.site.orders.sorted(by: { $0.key < $1.key }) where outcome.erp.desk.orders[number] != nil {
            for payment in file.payments {
                let found = receipts[payment.paymentID] ?? []
                if Set(found.compactMap(\.record.id)).count > 1 { failures.append("payment \(payment.paymentID) booked \(found.count) times") }
                guard let receipt = found.first?.message else {
                    failures.append("\(number): payment \(payment.paymentID) (\(payment.kind.rawValue)) has no receipt")
                    continue
                }
                if receipt.amount != payment.amount || receipt.kind != payment.kind {
                    failures.append("\(number): receipt of \(payment.paymentID) is \(receipt.kind.rawValue) \(receipt.amount), the site reported \(payment.amount)")
                }
                posted += 1
            }
        }
        for bad in outcome.site.badInputs where bad.kind == .cardNumber {
            if receipts.keys.contains(where: { $0.rawValue.hasSuffix("-x") }) { failures.append("the payment carrying a card number was booked") }
        }

        let entries = journal.messages(LetteringEntry.self, on: Topics.erpLettering).map(\.message)
        var lettered = 0, byMany = 0, refunded = 0, credits = 0
        // The ERP's own list: an invoice the bus refused must show as not lettered.
        let issued = outcome.erp.desk.orders.keys.sorted().compactMap { outcome.erp.desk.orders[$0] }
        for invoice in issued.flatMap(\.invoices) {
            guard let entry = entries.last(where: { $0.invoices.contains { $0.invoiceNumber == invoice.invoiceNumber } }) else {
                failures.append("invoice \(invoice.invoiceNumber) (\(invoice.orderNumber)) was never lettered")
                continue
            }
            let paid = try Money.sum(entry.payments.map(\.amount), in: invoice.currency)
            guard entry.status == .fullyLettered, entry.remainder.amount == 0, paid == invoice.totalInclTax else {
                failures.append("invoice \(invoice.invoiceNumber) (\(invoice.orderNumber)): \(paid) lettered of \(invoice.totalInclTax), remainder \(entry.remainder)")
                continue
            }
            lettered += 1
            if entry.payments.count > 1 { byMany += 1 }
        }
        let storeCredits = journal.messages(StoreCreditIssued.self, on: Topics.erpLettering).map(\.message)
        for note in issued.flatMap(\.creditNotes) {
            switch note.refundMethod {
            case .originalPayment:
                guard let entry = entries.last(where: { $0.creditNotes.contains { $0.creditNoteNumber == note.creditNoteNumber } }),
                      entry.status == .fullyLettered, try Money.sum((entry.refunds ?? []).map(\.amount), in: note.currency) == note.totalInclTax else {
                    failures.append("credit note \(note.creditNoteNumber) (\(note.orderNumber)) is not lettered against its refund")
                    continue
                }
                refunded += 1
            case .storeCredit:
                guard storeCredits.contains(where: { $0.creditNoteNumber == note.creditNoteNumber && $0.amount == note.totalInclTax }) else {
                    failures.append("credit note \(note.creditNoteNumber) (\(note.orderNumber)) gave no store credit of its amount")
                    continue
                }
                credits += 1
            }
        }
        return Check(name: "invoices", summary: "\(lettered) invoices lettered to the cent (\(byMany) by several payments), \(refunded) credit notes "
                     + "lettered against their refunds, \(credits) turned into store credit; \(posted) receipts, one per payment", failures: failures)
    }
}
