import BusSchema

extension Reconciliation {
    /// Every store credit balance equals its issue less its spends (#17): each code issued once
    /// for its credit note, each spend the site made taken from the balance and answered on
    /// `shop.store-credits`, the balance last told equal to what was issued less what was spent;
    /// the customer who spent part of theirs keeps the rest.
    func storeCredit() throws -> Check {
        var failures: [String] = []
        var seen: Set<String> = []
        let issued = journal.messages(StoreCreditIssued.self, on: Topics.erpLettering)
            .filter { $0.record.id.map { seen.insert($0).inserted } ?? true }.map(\.message).filter { $0.code != nil }
        let decisions = journal.messages(StoreCreditDecision.self, on: Topics.shopStoreCredits)
            .filter { $0.record.id.map { seen.insert($0).inserted } ?? true }.map(\.message)
        var spends: [(number: OrderNumber, payment: SitePayment)] = []
        for (number, file) in outcome.site.orders.sorted(by: { $0.key < $1.key }) {
            for payment in file.payments where payment.method == .creditNote && payment.kind == .capture { spends.append((number, payment)) }
        }
        var partly = 0
        for credit in issued {
            guard let code = credit.code else { continue }
            let answers = decisions.filter { $0.code == code }
            if Set(answers.map(\.paymentID)).count != answers.count { failures.append("\(credit.orderNumber): a spend of its store credit was answered twice") }
            let spent = try Money.sum(answers.filter { $0.outcome == .accepted }.map(\.amount), in: credit.amount.currency)
            let left = try credit.amount.subtracting(spent)
            if let last = answers.last, last.balance != left {
                failures.append("\(credit.orderNumber): store credit of \(credit.amount), \(spent) spent, the balance told is \(last.balance)")
            }
            if spent.amount > 0, left.amount > 0 { partly += 1 }
        }
        for (number, payment) in spends {
            guard let answer = decisions.first(where: { $0.paymentID == payment.paymentID }) else {
                failures.append("\(number): the store credit spend \(payment.paymentID) was never answered")
                continue
            }
            if answer.outcome != .accepted || answer.amount != payment.amount {
                failures.append("\(number): a spend of \(payment.amount) was \(answer.outcome.rawValue) for \(answer.amount)\(answer.refusal.map { " (\($0.rawValue))" } ?? "")")
            }
        }
        let planned = day.orders.filter { if case .storeCreditThenCard = $0.payment { return true } else { return false } }
        if planned.count != spends.count { failures.append("\(planned.count) orders planned to pay with store credit, \(spends.count) spends made") }
        return Check(name: "store credit", summary: "\(Reconciliation.count(issued.count, "code")) issued; \(Reconciliation.count(spends.count, "spend")) taken from its balance, "
                         + "each balance told equal to its issue less its spends (\(partly) partly spent, the rest kept)", failures: failures)
    }
}
