import BusSchema

extension Reconciliation {
    /// The workers reading each topic as a stream.
    static let readers: [String: [String]] = {
        var readers: [String: [String]] = [:]
        for flow in DemoRules.flows { for topic in flow.inputs { readers[topic, default: []].append(flow.name) } }
        return readers
    }()

    /// Every bad input is dead-lettered, with its reason, by every worker reading it, or held
    /// with its reason.
    func badInputs() -> Check {
        var failures: [String] = [], details: [String] = []
        let deadLetters = journal.records.filter { $0.topic.hasPrefix("bus.dlq.") }
        let exceptions = journal.messages(BusinessException.self, on: Topics.exceptions).map(\.message)
        let acceptances = journal.messages(OrderAcceptance.self, on: Topics.shopOrderTracking).map(\.message)
        var handled = 0
        for bad in outcome.site.badInputs {
            switch bad.kind {
            case .cardNumber, .malformedRecord:
                let what = bad.kind == .cardNumber ? "card number in a payment" : "malformed record"
                var byReason: [(reason: String, workers: [String])] = []
                var missing: [String] = []
                for worker in Self.readers[bad.topic] ?? [] {
                    guard let letter = deadLetters.first(where: { $0.topic == Topics.deadLetters(of: worker) && $0.header("ce_id") == bad.eventID }) else {
                        missing.append(worker)
                        continue
                    }
                    let reason = letter.header("bus_error_reason") ?? "no reason"
                    if let index = byReason.firstIndex(where: { $0.reason == reason }) { byReason[index].workers.append(worker) } else { byReason.append((reason, [worker])) }
                }
                if missing.isEmpty { handled += 1 } else { failures.append("\(what) (\(bad.key)) not dead-lettered by \(missing.joined(separator: ", "))") }
                let how = byReason.map { "\($0.workers.joined(separator: " and ")): \($0.reason)" }.joined(separator: "; ")
                details.append("\(what) on \(bad.topic) (\(bad.key)): dead-lettered by \(how)")
            case .unknownSKU:
                let acceptance = acceptances.last { $0.orderNumber.rawValue == bad.key }
                let reason = acceptance?.reasons.first { $0.code == .unknownSku }
                let raised = exceptions.contains { $0.kind == .unknownSku && $0.entity.key == bad.key }
                if acceptance?.status == .held, let reason, raised {
                    handled += 1
                    details.append("unknown SKU in order \(bad.key): held, line \(reason.lineNumber.map(String.init) ?? "?"): \(reason.message)")
                } else if acceptance?.status == .held, reason != nil {
                    // Held as it should be, the person never told: say what bus.exceptions holds
                    // for the order, so a trace starts from the right record.
                    let raisedForOrder = exceptions.filter { $0.entity.key == bad.key }.map(\.kind.rawValue)
                    failures.append("order \(bad.key) held unknown_sku, but no unknown_sku exception on \(Topics.exceptions) "
                                    + "(\(raisedForOrder.isEmpty ? "none for the order" : "the order's: " + raisedForOrder.joined(separator: ", ")); "
                                    + "\(Reconciliation.count(exceptions.count, "exception")) read in all)")
                } else {
                    failures.append("order \(bad.key) with an unknown SKU was not held with its reason (\(acceptance?.status.rawValue ?? "no answer"))")
                }
            case .conflictingEdit:
                if let conflict = exceptions.first(where: { $0.kind == .customerConflict && $0.entity.key == bad.key }) {
                    handled += 1
                    details.append("conflicting edit of \(bad.key): held for a person: \(conflict.reason)")
                } else {
                    failures.append("the conflicting edit of \(bad.key) raised no customer_conflict exception")
                }
            }
        }
        return Check(name: "bad inputs", summary: "\(handled) of \(outcome.site.badInputs.count) dead-lettered or held with their reason",
                     failures: failures, details: details)
    }

    /// Nothing else was dead-lettered or raised for a person: any other dead letter or
    /// business exception is a flow (or simulator) misbehaving.
    func unexpected() -> Check {
        var failures: [String] = []
        let expectedLetters = Set(outcome.site.badInputs.filter { $0.kind == .cardNumber || $0.kind == .malformedRecord }.map(\.eventID))
        for letter in journal.records where letter.topic.hasPrefix("bus.dlq.") && !expectedLetters.contains(letter.header("ce_id") ?? "") {
            failures.append("\(letter.header("bus_worker") ?? letter.topic) dead-lettered a \(letter.header("ce_type") ?? "record") from "
                            + "\(letter.header("bus_original_topic") ?? "?") (key \(letter.key ?? "-")): \(letter.header("bus_error_reason") ?? "no reason")")
        }
        let stale = Set(outcome.site.badInputs.filter { $0.kind == .unknownSKU }.map(\.key))
        let conflicts = Set(outcome.site.badInputs.filter { $0.kind == .conflictingEdit }.map(\.key))
        // A new customer's orders placed before their link came (`FirstOrder`) are held until it comes.
        let newcomers = Set(day.firstOrders.map(\.account))
        let newcomersOrders = Set(day.orders.filter { $0.buyer.siteAccountID.map(newcomers.contains) == true }.map(\.number.rawValue))
        // Orders held on purpose (`AccountCase`): for a person, or until the site corrects them.
        let heldForAPerson = Set(day.orders.filter { $0.accountCase == .overCreditLimit || $0.accountCase == .blockedAccount }.map(\.number.rawValue))
        let corrected = Set(day.orders.filter { $0.accountCase == .correctedResend }.map(\.number.rawValue))
        let lateCancellations = Set(day.orders.filter { $0.fate == .cancelledInPreparation }.map(\.number.rawValue))
        // Orders invoiced for less than captured after a partial cancellation: the overpayment is reported.
        let invoicedForLess = Set(day.orders.filter(\.fate.isInvoicedForLess).map(\.number.rawValue))
        var raised = 0
        for exception in journal.messages(BusinessException.self, on: Topics.exceptions).map(\.message) {
            raised += 1
            let key = exception.entity.key
            switch exception.kind {
            case .unknownSku where stale.contains(key) || corrected.contains(key): continue
            case .other where exception.worker == .orderIngest && heldForAPerson.contains(key)
                && (exception.details["credit_limit"] != nil || exception.details["account_status"] != nil): continue
            case .customerConflict where conflicts.contains(key): continue
            case .unknownCustomer where newcomersOrders.contains(key): continue
            case .overpayment where exception.worker == .paymentLetterer && invoicedForLess.contains(key): continue
            case .other where exception.worker == .orderIngest && lateCancellations.contains(key) && exception.reason.contains("in preparation"): continue
            default: failures.append("\(exception.worker.rawValue) raised \(exception.kind.rawValue) on \(key): \(exception.reason)")
            }
        }
        let letters = journal.records.filter { $0.topic.hasPrefix("bus.dlq.") }.count
        return Check(name: "nothing else", summary: "\(Reconciliation.count(letters, "dead letter")) and \(Reconciliation.count(raised, "business exception")) in all, each one expected",
                     failures: failures)
    }
}
