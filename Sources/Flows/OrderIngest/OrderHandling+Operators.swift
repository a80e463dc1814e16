import BusSchema

/// Operators' decisions on orders the bus has not sent (`bus orders release|cancel`).
///
/// A release sends a held order to the ERP as it is: the reasons it is held are overridden,
/// recorded on the order with who, why and when, and the order goes on as any valid order
/// does (its payments still satisfy the import rules, a batched release still waits for its
/// time). A cancellation ends a held order: it never reaches the ERP, and the site is told.
/// Both are idempotent: the command id is kept among the order's answered requests, so the
/// same command again changes nothing, and a second release of a released order is
/// `already_done`.
extension OrderHandling {
    /// Carries out `command` and says what became of it; the outputs (ERP order, acceptance)
    /// are among `outputs`.
    mutating func decide(_ command: OrderCommand) throws -> OrderCommandOutcome {
        let number = command.orderNumber
        guard var record = record(number), record.placed != nil else {
            return outcome(command, .unknownOrder, nil, "no order with this number was placed (or this instance does not hold it)")
        }
        if record.answered.contains(command.commandID.rawValue) {
            return outcome(command, .alreadyDone, record, "this command was carried out already")
        }
        let result: (OrderCommandResult, String)
        switch command.action {
        case .release: result = try release(command, &record)
        case .cancel: result = cancelHeld(command, &record)
        }
        if result.0 != .refused {
            record.answered.append(command.commandID.rawValue)
            save(record, number)
        }
        return outcome(command, result.0, record, result.1)
    }

    private mutating func release(_ command: OrderCommand, _ record: inout OrderRecord) throws -> (OrderCommandResult, String) {
        let number = command.orderNumber
        if let earlier = record.decisions?.last(where: { $0.action == .release }), record.stage != .held {
            return (.alreadyDone, "released already by \(earlier.by) at \(earlier.at); the order is \(record.stage.rawValue)")
        }
        guard record.stage == .held else { return (.refused, Self.notHeld(record)) }
        let overridden = Array(Set(record.heldReasons.map(\.code))).sorted { $0.rawValue < $1.rawValue }
        var released = record
        released.decisions = (record.decisions ?? []) + [decision(command, overrides: overridden)]
        // A release the builder cannot carry out leaves no trace: no output, no state.
        let (outputsBefore, stateBefore) = (outputs, state)
        try advance(&released, number)
        guard released.stage != .held else {
            outputs = outputsBefore
            state = stateBefore
            let reasons = released.heldReasons.map(\.code.rawValue).joined(separator: ", ")
            return (.refused, "the order cannot be sent as it is (\(reasons)): the site must correct it and send it again, or cancel it")
        }
        record = released
        let overrides = overridden.map(\.rawValue).joined(separator: ", ")
        switch record.stage {
        case .sent: return (.done, "sent to the ERP as it is (revision \(record.revision)), overriding \(overrides)")
        case .awaitingPayment: return (.done, "released (overriding \(overrides)); it waits for its payment as the import rules say")
        case .scheduled: return (.done, "released (overriding \(overrides)); it goes with the batched release at \(record.releaseAt.map(\.description) ?? "the next release")")
        default: return (.done, "released (overriding \(overrides)); the order is \(record.stage.rawValue)")
        }
    }

    private mutating func cancelHeld(_ command: OrderCommand, _ record: inout OrderRecord) -> (OrderCommandResult, String) {
        let number = command.orderNumber
        switch record.stage {
        case .held:
            record.stage = .cancelled
            record.releaseAt = nil
            releaseQueue.remove(number)
            record.decisions = (record.decisions ?? []) + [decision(command, overrides: [])]
            // The site is told why: the reasons it was held, which the operator decided on.
            outputs.acceptance(.cancelled, reasons: record.heldReasons, order: number)
            return (.done, "cancelled; the site is told (bus.order-acceptance, shown on shop.order-tracking)")
        case .cancelled:
            return (.alreadyDone, "the order is cancelled already")
        default:
            return (.refused, Self.notHeld(record))
        }
    }

    private static func notHeld(_ record: OrderRecord) -> String {
        switch record.stage {
        case .sent: "the order is not held: it is in the ERP (revision \(record.revision)); cancel it from the site or in the ERP"
        case .awaitingPayment: "the order is not held: it waits for its payment (the site may cancel it)"
        case .scheduled: "the order is not held: it goes with the next batched release"
        case .cancelled: "the order is cancelled"
        case .refused: "the order is never imported by the bus (its payment method): enter it in the ERP by hand"
        case .notPlaced, .held: "the order is not held"
        }
    }

    private func decision(_ command: OrderCommand, overrides: [AcceptanceReasonCode]) -> OperatorDecision {
        OperatorDecision(commandID: command.commandID, action: command.action, by: command.requestedBy, reason: command.reason,
                         at: command.requestedAt, overrides: overrides)
    }

    private func outcome(_ command: OrderCommand, _ result: OrderCommandResult, _ record: OrderRecord?, _ message: String) -> OrderCommandOutcome {
        OrderCommandOutcome(commandID: command.commandID, orderNumber: command.orderNumber, action: command.action, outcome: result,
                            stage: record?.stage.rawValue, message: message, answeredAt: now)
    }
}

extension OrderRecord {
    /// Whether an operator's release overrides every one of `findings`: each reason it is
    /// held for now was a reason it was held for when released. A new reason holds it again.
    func releaseOverrides(_ findings: [Finding]) -> Bool {
        let overridden = Set((decisions ?? []).filter { $0.action == .release }.flatMap(\.overrides))
        return !overridden.isEmpty && findings.allSatisfy { overridden.contains($0.code) }
    }
}
