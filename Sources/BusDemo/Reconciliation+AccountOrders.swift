import BusSchema

/// B2B on account (#17), one order each, checked against what the bus did with it: the ERP's
/// sales orders, order-ingest's decisions (`bus.order-acceptance`) and exceptions.
extension Reconciliation {
    /// The company order paid by bank transfer on a `NET30` account went to the ERP at once,
    /// once, on the account's own payment terms (not the global `PREPAID`), without waiting
    /// for its transfer.
    func onAccount() -> Check {
        guard let plan = day.orders.first(where: { $0.accountCase == .onAccount }) else {
            return Check(name: "on account", summary: "no order on account today (no company contact to order)", failures: [])
        }
        var failures: [String] = []
        let terms = accountOf(plan).flatMap(\.paymentTerms)
        let received = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders).filter { $0.message.externalReference == plan.number }
        let ids = Set(received.filter { $0.message.revision == 1 }.compactMap(\.record.id))
        if ids.count != 1 { failures.append("\(plan.number) reached the ERP \(ids.count) times, once expected") }
        if let sent = received.first?.message, sent.paymentTerms != terms {
            failures.append("\(plan.number) went to the ERP on \(sent.paymentTerms), its account's terms \(terms?.rawValue ?? "none") expected")
        }
        if let paidAt = plan.paidAt, let time = received.first?.record.time, time >= paidAt {
            failures.append("\(plan.number) waited for its transfer (sent at \(time)): an order on account is sent at once")
        }
        let global = DemoRules.orderIngest.paymentTerms
        return Check(name: "on account", summary: "1 company order paid by bank transfer on its invoice: in the ERP once, at once, "
                         + "on its account's terms (\(terms?.rawValue ?? "none"), not \(global))", failures: failures)
    }

    /// The order whose on-account amount takes its account beyond its credit limit was held
    /// `credit_limit_exceeded`, with both figures, for a person (an exception), and did not
    /// reach the ERP before the operator's release (`operatorDecisions()`).
    func creditLimit() -> Check {
        heldOnPurpose(.overCreditLimit, name: "credit limit", reason: .creditLimitExceeded,
                      detail: "credit_limit", expected: DemoCustomers.creditLimit.description, what: "order over its account's credit limit")
    }

    /// The order of the account the ERP has blocked was held `blocked_account` for a person,
    /// and never reached the ERP.
    func blockedAccount() -> Check {
        heldOnPurpose(.blockedAccount, name: "blocked", reason: .blockedAccount, detail: "account_status", expected: "blocked",
                      what: "order of a blocked account")
    }

    /// The order of `accountCase` was held for `reason` on `bus.order-acceptance`, an exception
    /// raised with `detail` equal to `expected`, and no sales order sent before the operator decided.
    private func heldOnPurpose(_ accountCase: AccountCase, name: String, reason: AcceptanceReasonCode, detail: String, expected: String, what: String) -> Check {
        guard let plan = day.orders.first(where: { $0.accountCase == accountCase }) else {
            return Check(name: name, summary: "no \(what) today", failures: [])
        }
        var failures: [String] = []
        let decisions = journal.messages(OrderAcceptance.self, on: Topics.orderAcceptance).filter { $0.message.orderNumber == plan.number }
        guard let hold = decisions.first(where: { $0.message.status == .held && $0.message.reasons.contains { $0.code == reason } }) else {
            let told = decisions.map { "\($0.message.status.rawValue)(\($0.message.reasons.map(\.code.rawValue).joined(separator: ",")))" }
            return Check(name: name, summary: "1 \(what): not held", failures: ["\(plan.number) was not held \(reason.rawValue): order-ingest decided \(told.isEmpty ? "nothing" : told.joined(separator: ", "))"])
        }
        let exceptions = journal.messages(BusinessException.self, on: Topics.exceptions).map(\.message)
            .filter { $0.worker == .orderIngest && $0.entity.key == plan.number.rawValue && $0.details[detail] != nil }
        if exceptions.first?.details[detail] != expected {
            failures.append("\(plan.number): no exception for a person with \(detail) \(expected) (found \(exceptions.first?.details[detail] ?? "none"))")
        }
        // Sent only after the hold, on the operator's release: never before it.
        let early = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders)
            .filter { $0.message.externalReference == plan.number && ($0.record.timestamp ?? .distantFuture) < (hold.record.timestamp ?? .distantPast) }
        if !early.isEmpty { failures.append("\(plan.number) reached the ERP before it was held") }
        let figures = exceptions.first.map { exception in exception.details.keys.sorted().filter { $0 != "account_code" }.map { "\($0) \(exception.details[$0] ?? "")" }.joined(separator: ", ") } ?? ""
        return Check(name: name, summary: "1 \(what): held \(reason.rawValue), for a person (\(figures))", failures: failures)
    }

    /// The ERP account `plan`'s buyer is matched to, as the ERP had it at opening.
    func accountOf(_ plan: OrderPlan) -> ERPCustomerAccount? {
        guard let id = plan.buyer.siteAccountID, case .matched(let code, _)? = day.signUp(id)?.expected else { return nil }
        return day.customers.erpAccounts.first { $0.accountCode == code }
    }
}
