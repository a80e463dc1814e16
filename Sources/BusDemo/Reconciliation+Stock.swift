import BusSchema

extension Reconciliation {
    /// The site's last availability of every SKU equals what the ERP's final stock says it
    /// must be (quantity mode: the units; the status; the next receipt; on order).
    func availability() -> Check {
        var failures: [String] = []
        let latest = journal.latest(on: Topics.shopAvailability)
        var tally: [String: Int] = [:]
        for item in day.catalogue.items {
            guard let truth = outcome.erp.warehouse.truth(item.sku) else { continue }
            let status: AvailabilityStatus = truth.units == 0 ? .outOfStock : truth.units > 5 ? .inStock : .limited
            guard let shown = latest[item.sku.rawValue]?.message(as: Availability.self) else {
                failures.append("\(item.sku): the site was never told its availability")
                continue
            }
            let expected = "\(status.rawValue) \(truth.units)\(truth.nextReceipt.map { " next \($0)" } ?? "")\(truth.onOrder ? " on order" : "")"
            let found = "\(shown.status.rawValue) \(shown.quantity?.description ?? "-")\(shown.nextAvailableOn.map { " next \($0)" } ?? "")\(shown.onOrder == true ? " on order" : "")"
            if expected != found { failures.append("\(item.sku): the site shows \(found), the ERP's stock says \(expected)") }
            tally[truth.onOrder ? "on order" : status.rawValue.replacingOccurrences(of: "_", with: " "), default: 0] += 1
        }
        let mix = tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return Check(name: "availability", summary: "\(day.catalogue.items.count) SKUs: the site's last availability equals the ERP's final stock (\(mix))",
                     failures: failures)
    }

    /// The site shows every article it must (at the ERP's prices), was told to take off the
    /// obsolete one, and never saw the one not sold online.
    func catalogue() -> Check {
        var failures: [String] = []
        let latest = journal.latest(on: Topics.shopCatalog)
        for sku in day.catalogue.shownAtClose.sorted() {
            guard let entry = latest[sku.rawValue]?.message(as: CatalogEntry.self) else {
                failures.append("\(sku) is not shown on the site")
                continue
            }
            if let item = day.catalogue.items.first(where: { $0.article == sku }), entry.priceInclTax != item.unitInclTax {
                failures.append("\(sku) shown at \(entry.priceInclTax), \(item.unitInclTax) expected")
            }
        }
        for sku in day.catalogue.unpublishedAtClose.sorted() where latest[sku.rawValue]?.message(as: CatalogUnpublish.self)?.reason != .obsolete {
            failures.append("\(sku) was not taken off as obsolete")
        }
        for sku in day.catalogue.neverShown.sorted() where latest[sku.rawValue] != nil {
            failures.append("\(sku) reached the site though it is not sold online")
        }
        return Check(name: "catalogue", summary: "\(day.catalogue.shownAtClose.count) articles shown at the ERP's prices, "
                     + "\(day.catalogue.unpublishedAtClose.count) taken off (obsolete), \(day.catalogue.neverShown.count) never shown (not web-enabled)",
                     failures: failures)
    }
}
