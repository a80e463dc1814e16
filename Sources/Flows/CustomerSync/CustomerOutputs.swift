import BusSchema
import Foundation

/// The outputs customer-sync builds, with ids that depend only on their content, so the same
/// decision reached again (after a redelivery, or through another input) is the same record.
enum CustomerOutputs {
    static let worker = WorkerName.customerSync
    private static let codec = MessageCodec()

    /// A content-derived id: the name-based UUID of the message's canonical bytes.
    static func contentID(_ purpose: String, _ message: some BusMessage) -> EventID {
        EventID(NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace,
                                 name: "\(worker.rawValue)|\(purpose)|" + String(decoding: codec.encode(message), as: UTF8.self)))
    }

    static let pendingID = EventID("pending")

    /// `update` with its content-derived id, on `erp.customer-updates` under `key`.
    static func toERP(_ update: ERPCustomerUpdate, key: String) -> FlowOutput {
        var update = update
        update.updateID = pendingID
        update.updateID = contentID("erp-update", update)
        return FlowOutput(topic: Topics.erpCustomerUpdates, key: key, message: update)
    }

    /// `update` with its content-derived id, on `shop.customer-updates` under the site account id.
    static func toSite(_ update: SiteCustomerUpdate) -> FlowOutput {
        var update = update
        update.updateID = pendingID
        update.updateID = contentID("site-update", update)
        return FlowOutput(topic: Topics.shopCustomerUpdates, key: update.siteAccountID.rawValue, message: update)
    }

    /// A link (or unlink) on the public identity table, keyed by site account id.
    static func identity(_ link: IdentityLink) -> FlowOutput {
        FlowOutput(topic: Topics.customerIdentity, key: link.siteAccountID.rawValue, message: link)
    }

    /// A case for a person on `bus.exceptions`, keyed by the site account id. `details` and
    /// `reason` carry ids, field names and times only, never personal data.
    static func exception(_ kind: ExceptionKind, site: SiteAccountID, reason: String, details: [String: String],
                          cause: Envelope, at time: Instant) -> FlowOutput {
        var exception = BusinessException(
            exceptionID: pendingID, kind: kind, entity: EntityReference(kind: .customer, key: site.rawValue),
            worker: worker, reason: reason, details: details, causeEventID: nil, raisedAt: time)
        exception.exceptionID = contentID("exception", exception)
        exception.causeEventID = cause.id
        return FlowOutput(topic: Topics.exceptions, key: site.rawValue, message: exception)
    }

    /// The notice on `bus.erasures` that the site account's person is erased, for every worker.
    static func erasureNotice(_ erasure: ErasureRequest) -> FlowOutput {
        FlowOutput(topic: Topics.erasures, key: erasure.siteAccountID.rawValue, message: ErasureNotice(erasure))
    }

    /// The tombstones that take a site account's records off the compacted topics.
    static func tombstoneIdentity(_ site: SiteAccountID) -> FlowOutput {
        .tombstone(topic: Topics.customerIdentity, key: site.rawValue, of: IdentityLink.self)
    }

    static func tombstoneSiteUpdates(_ site: SiteAccountID) -> FlowOutput {
        .tombstone(topic: Topics.shopCustomerUpdates, key: site.rawValue, of: SiteCustomerUpdate.self)
    }

    /// The key of a creation request: the ERP has no code for the account yet.
    static func creationKey(_ site: SiteAccountID) -> String { "site:\(site.rawValue)" }

    static func tombstoneCreation(_ site: SiteAccountID) -> FlowOutput {
        .tombstone(topic: Topics.erpCustomerUpdates, key: creationKey(site), of: ERPCustomerUpdate.self)
    }
}
