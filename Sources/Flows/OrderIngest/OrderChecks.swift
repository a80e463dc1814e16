import BusSchema

/// The validation rules an order passes before anything reaches the ERP, as pure functions.
/// Each returns every problem it finds, so a held order lists all its reasons at once.
///
/// The order total (lines + shipping − vouchers), the payments adding up to it and one
/// currency throughout are the schema's rules (`SiteOrder.validate()`): an order breaking
/// them never reaches the flow, it is dead-lettered with the JSON path.
public enum OrderChecks {
    /// The ERP account of the order's customer: a guest's is the configured guest account; a
    /// site account's is its link in the identity table, which must be `linked`.
    public static func customer(of order: SiteOrder, identities tables: any TableLookup, rules: OrderIngestRules) -> Result<ERPCustomer, Finding> {
        guard let account = order.customer.siteAccountID else { return .success(ERPCustomer(account: rules.guestAccount)) }
        guard let link = tables.latest(IdentityLink.self, in: Topics.customerIdentity, key: account.rawValue), link.status == .linked else {
            return .failure(Finding(code: .unknownCustomer, kind: .unknownCustomer,
                                    message: "the customer's site account is not linked to an ERP account",
                                    details: ["site_account_id": account.rawValue]))
        }
        return .success(ERPCustomer(account: link.erpAccountCode, contact: link.erpContactID))
    }

    /// Every line's SKU is sold by the published catalogue (an article or one of its variants);
    /// with `checkPrices`, its unit price is one the catalogue publishes for it: the public
    /// price or a price list's, valid on the order's day for its quantity, excluding or
    /// including tax.
    public static func catalogue(of order: SiteOrder, entries: (SKU) -> CatalogEntry?, checkPrices: Bool) -> [Finding] {
        order.lines.compactMap { line in
            guard let entry = entries(line.sku) else {
                return Finding(code: .unknownSku, kind: .unknownSku, lineNumber: line.lineNumber,
                               message: "SKU \(line.sku) is not in the published catalogue",
                               details: ["sku": line.sku.rawValue, "line_number": String(line.lineNumber)])
            }
            guard checkPrices, !isCataloguePrice(line, of: entry, on: order.placedAt.utcDate) else { return nil }
            return Finding(code: .priceMismatch, kind: .priceMismatch, lineNumber: line.lineNumber,
                           message: "the unit price of SKU \(line.sku) is not a price the catalogue publishes for it",
                           details: ["sku": line.sku.rawValue, "line_number": String(line.lineNumber),
                                     "found_unit_price": line.unitPriceExclTax.description,
                                     "catalogue_unit_price": entry.priceExclTax.description])
        }
    }

    static func isCataloguePrice(_ line: SiteOrderLine, of entry: CatalogEntry, on day: LocalDate) -> Bool {
        var prices = [(entry.priceExclTax, entry.priceInclTax)]
        for price in entry.priceLists where price.minimumQuantity <= line.quantity
            && price.validFrom.map({ $0 <= day }) != false && price.validUntil.map({ day <= $0 }) != false {
            prices.append((price.priceExclTax, price.priceInclTax))
        }
        return prices.contains { $0.0 == line.unitPriceExclTax || $0.1 == line.unitPriceInclTax }
    }

    /// Each line's total including tax is its quantity × unit price including tax (half-up to
    /// the minor unit) minus its discounts, to the cent.
    public static func lineArithmetic(of order: SiteOrder) throws(SchemaError) -> [Finding] {
        var findings: [Finding] = []
        for line in order.lines {
            let expected = try line.unitPriceInclTax.multiplied(by: line.quantity, rounding: .halfUp)
                .subtracting(Money.sum(line.discounts.map(\.amountInclTax), in: order.currency))
            guard expected != line.totalInclTax else { continue }
            findings.append(Finding(code: .priceMismatch, kind: .priceMismatch, lineNumber: line.lineNumber,
                                    message: "line \(line.lineNumber): quantity × unit price − discounts is \(expected), the line says \(line.totalInclTax)",
                                    details: ["line_number": String(line.lineNumber), "expected_total": expected.description,
                                              "found_total": line.totalInclTax.description]))
        }
        return findings
    }

    /// The billing and delivery addresses are complete: someone to address (a name or a
    /// company), a street line, a city, and a postal code unless the country has none.
    public static func addresses(of order: SiteOrder, rules: OrderIngestRules) -> [Finding] {
        [("billing_address", order.billingAddress), ("delivery_address", order.deliveryAddress)].compactMap { name, address in
            let missing = missingParts(of: address, rules: rules)
            guard !missing.isEmpty else { return nil }
            return Finding(code: .invalidAddress, kind: .other,
                           message: "the \(name.replacingOccurrences(of: "_", with: " ")) is incomplete: \(missing.joined(separator: ", ")) missing",
                           details: ["address": name, "missing": missing.joined(separator: ",")])
        }
    }

    /// The parts of `address` that are missing or blank, by field name.
    public static func missingParts(of address: PostalAddress, rules: OrderIngestRules) -> [String] {
        let blank: (String?) -> Bool = { ($0 ?? "").allSatisfy(\.isWhitespace) }
        var missing: [String] = []
        if blank(address.recipientName), blank(address.companyName) { missing.append("recipient_name") }
        if address.lines.allSatisfy(blank) { missing.append("lines") }
        if blank(address.city) { missing.append("city") }
        if blank(address.postalCode), !rules.countriesWithoutPostalCode.contains(address.country) { missing.append("postal_code") }
        return missing
    }
}
