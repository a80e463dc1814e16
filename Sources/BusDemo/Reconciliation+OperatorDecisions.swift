import BusSchema

extension Reconciliation {
    /// The operator's decisions over `bus.control` (`OperatorDecisions`): the order over its
    /// credit limit, released, reached the ERP exactly once, after the release, and the site
    /// was told it was accepted; the blocked account's order, cancelled, never reached the ERP
    /// and the site was told it was cancelled. Each command answered `done` by order-ingest.
    func operatorDecisions() -> Check {
        var failures: [String] = []
        var released = 0, cancelled = 0
        let received = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders)
        let replies = journal.records.filter { $0.topic == Topics.controlReplies }
        let requests = journal.records.filter { $0.topic == Topics.control }
        let decisions = lastDecisions()
        for plan in day.orders {
            guard let action: OrderCommandAction = plan.accountCase == .overCreditLimit ? .release : plan.accountCase == .blockedAccount ? .cancel : nil else { continue }
            let number = plan.number
            guard let command = outcome.decisions.commands[number] else {
                failures.append("\(number): the operator never decided (it was never held for its reason)")
                continue
            }
            let answers = replies.filter { $0.message(as: OrderCommandOutcome.self)?.commandID == command.commandID }
            // Done, or already done when its first answer was lost and the command sent again (the chaos run).
            let done = answers.compactMap { $0.message(as: OrderCommandOutcome.self) }.first { $0.outcome == .done || $0.outcome == .alreadyDone }
            if done == nil {
                let got = answers.compactMap { $0.message(as: OrderCommandOutcome.self).map { "\($0.outcome.rawValue): \($0.message)" } }
                failures.append("\(number): \(action.rawValue) not done by order-ingest (\(got.isEmpty ? "no answer" : got.joined(separator: "; ")))")
            }
            let sent = received.filter { $0.message.externalReference == number }
            let file = outcome.site.orders[number]
            switch action {
            case .release:
                let ids = Set(sent.filter { $0.message.revision == 1 }.compactMap(\.record.id))
                if ids.count != 1 { failures.append("\(number) reached the ERP \(ids.count) times after its release, once expected") }
                let askedAt = requests.filter { $0.message(as: OrderCommand.self)?.commandID == command.commandID }.compactMap(\.timestamp).min()
                if let first = sent.compactMap(\.record.timestamp).min(), let askedAt, first < askedAt {
                    failures.append("\(number) reached the ERP before the operator released it")
                }
                if let file, !Self.pageSaysAccepted(file, lastDecision: decisions[number]) {
                    failures.append("\(number): released, but the site was last told \(file.acceptance?.status.rawValue ?? "nothing")")
                }
                if done != nil, ids.count == 1 { released += 1 }
            case .cancel:
                if !sent.isEmpty { failures.append("\(number) reached the ERP though the operator cancelled it") }
                if file?.acceptance?.status != .cancelled {
                    failures.append("\(number): cancelled, but the site was last told \(file?.acceptance?.status.rawValue ?? "nothing")")
                }
                if done != nil, sent.isEmpty { cancelled += 1 }
            }
        }
        return Check(name: "operator", summary: "bus orders over bus.control: \(released) held order released (in the ERP once, the site told accepted), "
                         + "\(cancelled) cancelled (never in the ERP, the site told cancelled)", failures: failures)
    }
}
