import BusSchema

/// payment-letterer takes part in erasures, though what it keeps per order is personal to no
/// one: payment ids, provider references, amounts, invoice and credit note numbers and the
/// ERP account code (which the ERP anonymises itself). It copies nothing of the customer from
/// the sales orders it reads. So an erasure changes nothing here; the worker still records it
/// as done on `bus.exceptions`, and the erasure test searches its changelog to hold it to that.
extension PaymentLetterer {
    /// `bus.erasures`: the people erased, so that this worker records each erasure.
    public var tables: [String] { [Topics.erasures] }

    /// Nothing to erase (see above); resyncs are not offered.
    public func control(_ request: FlowControl, state: inout FlowState<LettererState>, tables: any TableLookup) -> [FlowOutput] {
        []
    }
}
