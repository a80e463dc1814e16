import BusSchema

/// The demo's operator (#17): the person who decides on the orders the bus holds on purpose.
/// When order-ingest holds an order the day planned for a person (`AccountCase`), the operator
/// releases the one over its account's credit limit (the credit department agreed) and cancels
/// the blocked account's one, as `bus orders release|cancel` does: an `OrderCommand` on
/// `bus.control` keyed `order-ingest`, with a correlation id and `ce_replyto:
/// bus.control-replies`, the answer read from there. A command with no answer (order-ingest
/// down or rebalancing, as in the chaos run, or killed before the command's state was
/// written) is sent again, the same record: it is idempotent.
final class OperatorDecisions {
    /// Who decides, for the audit trail kept on the order.
    static let operatorName = "ops-demo"
    /// How long the operator waits for an answer before sending the command again.
    static let answerWait: Duration = .seconds(5)

    private let publisher: Publisher
    /// The orders planned for a person, and what the operator decides for each.
    private let planned: [OrderNumber: (action: OrderCommandAction, reason: AcceptanceReasonCode)]
    /// The commands sent, by order.
    private(set) var commands: [OrderNumber: OrderCommand] = [:]
    /// order-ingest's answers to them, by order (the last one).
    private(set) var outcomes: [OrderNumber: OrderCommandOutcome] = [:]
    private var lastSent: [OrderNumber: ContinuousClock.Instant] = [:]
    /// The event id each command was first sent with: sent again, it is the same record.
    private var sentIDs: [OrderNumber: String] = [:]

    init(day: BusinessDay, publisher: Publisher) {
        self.publisher = publisher
        var planned: [OrderNumber: (OrderCommandAction, AcceptanceReasonCode)] = [:]
        for plan in day.orders {
            switch plan.accountCase {
            case .overCreditLimit?: planned[plan.number] = (.release, .creditLimitExceeded)
            case .blockedAccount?: planned[plan.number] = (.cancel, .blockedAccount)
            case .onAccount?, .correctedResend?, nil: break
            }
        }
        self.planned = planned
    }

    /// Every command sent has its answer.
    var isSettled: Bool { commands.keys.allSatisfy { outcomes[$0] != nil } }

    /// Decides on an order held for the reason its plan expects; keeps the answers.
    func observe(_ record: ObservedRecord) {
        if record.topic == Topics.orderAcceptance, let acceptance = record.message(as: OrderAcceptance.self), acceptance.status == .held,
           let decision = planned[acceptance.orderNumber], commands[acceptance.orderNumber] == nil,
           acceptance.reasons.contains(where: { $0.code == decision.reason }) {
            let number = acceptance.orderNumber
            let why = decision.action == .release ? "credit extension agreed by the credit department" : "account blocked by the credit department"
            commands[number] = OrderCommand(commandID: EventID("ops-\(number.rawValue)-\(decision.action.rawValue)"), orderNumber: number,
                                            action: decision.action, requestedBy: Self.operatorName, reason: why,
                                            requestedAt: acceptance.decidedAt.adding(seconds: 300))
            send(number)
        }
        if record.topic == Topics.controlReplies, let outcome = record.message(as: OrderCommandOutcome.self),
           commands[outcome.orderNumber]?.commandID == outcome.commandID {
            outcomes[outcome.orderNumber] = outcome
        }
    }

    /// Sends again the commands still unanswered after `answerWait`.
    func advance() {
        for number in commands.keys.sorted() where outcomes[number] == nil {
            if let sent = lastSent[number], ContinuousClock.now - sent < Self.answerWait { continue }
            send(number)
        }
    }

    /// Publishes the command as `bus orders` does. Its time is the day's (five minutes after
    /// the hold), never the wall clock's: order-ingest's partition clock follows its inputs' time.
    private func send(_ number: OrderNumber) {
        guard let command = commands[number] else { return }
        lastSent[number] = .now
        let conversation = FlowOutput.Conversation(correlationID: command.commandID.rawValue, replyTo: Topics.controlReplies,
                                                   deadline: command.requestedAt.adding(seconds: 15))
        // The same record again, same id: redone by a successor after a kill, the command makes
        // the same outputs with the same ids.
        sentIDs[number] = publisher.publish(command, topic: Topics.control, key: WorkerName.orderIngest.rawValue, source: "demo/operator",
                                            time: command.requestedAt, name: "operator/\(command.action.rawValue)/\(number)",
                                            conversation: conversation, reusing: sentIDs[number])
    }
}
