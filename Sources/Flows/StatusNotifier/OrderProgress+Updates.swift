import BusSchema

extension OrderProgress {
    /// Takes in an ERP status; returns the transitions it caused, or nil when it is older than
    /// or the same as one already taken in (it changes nothing, the sequence included).
    ///
    /// A newer status never moves the shown status backwards (`Progression.next`) but brings
    /// its shipments, problems and documents; after cancellation only the sequence moves.
    public mutating func take(_ update: ERPOrderStatus, rules: StatusNotifierRules) -> [Happening]? {
        guard update.sequence > sequence else { return nil }
        sequence = update.sequence
        if status == .cancelled { return [] }
        let before = status
        let now = Progression.next(current: before, incoming: update.status)
        status = now
        updatedAt = max(updatedAt ?? update.statusAt, update.statusAt)
        shipments = Self.merged(shipments, update.shipments)
        problems = Progression.isFinal(now) ? [] : update.problems
        for document in update.documents where rules.documents.contains(document.kind) { add(document) }

        var happenings: [Happening] = []
        if now != before {
            happenings.append(Happening(transition: Transition(now), key: Transition(now).rawValue,
                                        parameters: parameters(reaching: now, at: update.statusAt, rules: rules), at: update.statusAt))
        }
        for problem in problems {
            let transition = Transition(problem.kind)
            let key = [transition.rawValue, problem.lineNumber.map(String.init), problem.sku?.rawValue].compactMap { $0 }.joined(separator: "-")
            var parameters: [String: String] = [:]
            if let sku = problem.sku { parameters["sku"] = sku.rawValue }
            if let expected = problem.expectedOn { parameters["expected_on"] = expected.description }
            happenings.append(Happening(transition: transition, key: key, parameters: parameters, at: update.statusAt))
        }
        return happenings
    }

    /// Takes in an invoice: shown among the documents if the rules list invoices, and an
    /// `invoice_issued` transition. Nil when this invoice was taken in before.
    public mutating func take(_ invoice: ERPInvoice, rules: StatusNotifierRules) -> [Happening]? {
        let key = "\(Transition.invoiceIssued.rawValue)-\(invoice.invoiceNumber)"
        guard !handled.contains(key), !documents.contains(where: { $0.kind == .invoice && $0.number == invoice.invoiceNumber.rawValue }) else { return nil }
        let document = OrderDocument(kind: .invoice, number: invoice.invoiceNumber.rawValue, url: invoice.documentURL, issuedAt: invoice.issuedAt)
        if rules.documents.contains(.invoice) {
            add(document)
            updatedAt = max(updatedAt ?? invoice.issuedAt, invoice.issuedAt)
        }
        var parameters = ["invoice_number": invoice.invoiceNumber.rawValue]
        if let url = invoice.documentURL { parameters["invoice_url"] = url }
        return [Happening(transition: .invoiceIssued, key: key, parameters: parameters, at: invoice.issuedAt)]
    }

    /// Takes in the site order: the language and site account notifications use. False when
    /// it was taken in before (the first placement counts).
    public mutating func take(_ order: SiteOrder) -> Bool {
        guard !orderKnown else { return false }
        orderKnown = true
        language = order.language
        siteAccountID = order.customer.siteAccountID
        return true
    }

    /// Takes in order-ingest's decision about the order (accepted, held, refused, awaiting
    /// payment, cancelled): true when the order's page shows it. Once the ERP's first status is
    /// taken in, the page shows the ERP's progress and a decision read late (a replay across
    /// topics, a revision accepted) never overwrites it; the decision already shown changes nothing.
    public mutating func take(_ decision: OrderAcceptance) -> Bool {
        guard status == nil, decision != acceptance else { return false }
        acceptance = decision
        return true
    }

    /// The newest shipment: the last to leave (then the highest id).
    public var newestShipment: Shipment? {
        shipments.max { ($0.shippedAt, $0.shipmentID.rawValue) < ($1.shippedAt, $1.shipmentID.rawValue) }
    }

    // MARK: Details

    private func parameters(reaching status: OrderStatus, at instant: Instant, rules: StatusNotifierRules) -> [String: String] {
        var parameters: [String: String] = [:]
        switch status {
        case .validated:
            if let acknowledgement = documents.first(where: { $0.kind == .acknowledgement }) {
                parameters["acknowledgement_number"] = acknowledgement.number
                if let url = acknowledgement.url { parameters["acknowledgement_url"] = url }
            }
        case .partiallyShipped, .shipped:
            guard let shipment = newestShipment else { break }
            parameters["carrier"] = rules.carrierName(shipment.carrier)
            if let number = shipment.trackingNumber { parameters["tracking_number"] = number }
            if let url = shipment.trackingURL { parameters["tracking_url"] = url }
            if let expected = rules.expectedDelivery(carrier: shipment.carrier, shippedAt: shipment.shippedAt) {
                parameters["expected_on"] = expected.description
            }
        case .delivered:
            parameters["delivered_on"] = instant.utcDate.description
        case .inPreparation, .cancelled:
            break
        }
        return parameters
    }

    /// Adds a document once, keeping them by issue time (then kind and number): the same
    /// documents read the same whichever input brought each.
    mutating func add(_ document: OrderDocument) {
        guard !documents.contains(where: { $0.kind == document.kind && $0.number == document.number }) else { return }
        documents.append(document)
        documents.sort { ($0.issuedAt, $0.kind.rawValue, $0.number) < ($1.issuedAt, $1.kind.rawValue, $1.number) }
    }

    /// `current` with `incoming`'s shipments replacing those of the same id, ordered by
    /// departure then id, so the same shipments always read the same.
    static func merged(_ current: [Shipment], _ incoming: [Shipment]) -> [Shipment] {
        var byID = Dictionary(current.map { ($0.shipmentID, $0) }, uniquingKeysWith: { _, new in new })
        for shipment in incoming { byID[shipment.shipmentID] = shipment }
        return byID.values.sorted { ($0.shippedAt, $0.shipmentID.rawValue) < ($1.shippedAt, $1.shipmentID.rawValue) }
    }
}
