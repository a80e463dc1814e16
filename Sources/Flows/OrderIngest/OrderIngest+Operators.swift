import BusSchema

/// `bus orders list|show|release|cancel` over `bus.control`: queries answered from the state
/// of the partitions an instance holds, commands carried out on the order's partition (see
/// `OrderHandling+Operators`). Answers go to `bus.control-replies`.
extension OrderIngest {
    /// Order queries on `bus.control`, answered on `bus.control-replies`.
    public var requests: [RequestRoute] {
        [RequestRoute(Topics.control, OrderQuery.self, answer: Topics.controlReplies, OrderQueryAnswer.self)]
    }

    /// Releases and cancellations of held orders.
    public var commands: [any EntityCommand.Type] { [OrderCommand.self] }

    /// Carries out an operator's release or cancellation and answers it (keyed as the command).
    public func command(_ input: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard let command = input.message as? OrderCommand else {
            throw FlowRejection(field: nil, reason: "order-ingest takes no \(input.envelope.type) command")
        }
        var handling = OrderHandling(flow: self, cause: input.envelope, key: command.orderNumber.rawValue, tables: tables, state: state)
        let outcome = try handling.decide(command)
        handling.noteEvent(on: command.orderNumber.rawValue)
        handling.outputs.reply(outcome, key: input.key ?? name)
        state = handling.state
        return handling.outputs.list
    }

    /// The orders a query asks for among those this instance holds: one order whatever its
    /// stage, or every held order (of one reason), each with its reasons judged again now
    /// against the tables, so the figures are today's.
    public func answer(_ request: FlowRequest, state: StateLookup<OrderIngestState>, tables: any TableLookup) throws -> any BusMessage {
        // Version 1 (an older `bus`) reads as the current query: it names fewer reasons.
        guard let query = request.input.message as? OrderQuery ?? (request.input.message as? OrderQueryV1)?.query else {
            throw FlowRejection(field: nil, reason: "order-ingest answers no \(request.input.envelope.type) request")
        }
        func answer(_ status: AnswerStatus, _ orders: [OrderView]) -> OrderQueryAnswer {
            OrderQueryAnswer(status: status, orders: orders, partitions: state.partitions, partitionCount: state.partitionCount, answeredAt: request.now)
        }
        guard !request.isExpired else { return answer(.timeout, []) }
        let judge = OrderHandling(flow: self, cause: request.input.envelope, key: nil, tables: tables, state: FlowState(store: StateStore()))
        if let number = query.orderNumber {
            guard case .value(.order(let record)) = state[number.rawValue], record.placed != nil else { return answer(.answered, []) }
            return answer(.answered, [try judge.view(number, record)])
        }
        var views: [OrderView] = []
        for (key, value) in state.entries {
            guard case .order(let record) = value, record.stage == .held else { continue }
            if let reason = query.holdReason, !record.heldReasons.contains(where: { $0.code == reason }) { continue }
            views.append(try judge.view(OrderNumber(key), record))
            if views.count == OrderQueryAnswer.maximumOrders { break }
        }
        return answer(.answered, views)
    }
}

extension OrderHandling {
    /// An order as an operator sees it: a held order's reasons as the tables judge them now
    /// (with their figures), or as they were when it was held if the tables now let it pass
    /// (its next input or table change will send it).
    func view(_ number: OrderNumber, _ record: OrderRecord) throws -> OrderView {
        var reasons: [HoldReason] = []
        if record.stage == .held, let order = try record.current() {
            if case .held(let findings) = try examine(order, record), !findings.isEmpty {
                reasons = findings.map { HoldReason(code: $0.code, lineNumber: $0.lineNumber, message: $0.message, details: $0.details) }
            } else {
                reasons = record.heldReasons.map { HoldReason(code: $0.code, lineNumber: $0.lineNumber, message: $0.message) }
            }
        }
        return OrderView(orderNumber: number, stage: record.stage.rawValue, total: try record.current()?.totals.totalInclTax,
                         reasons: reasons, decisions: record.decisions ?? [])
    }
}
