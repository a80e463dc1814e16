/// A customer's price question relayed to the ERP by order-ingest (topic `erp.price-queries`,
/// key: the site's reply key, carried unchanged). A request: `ce_correlationid` is the site's,
/// `ce_replyto` is `erp.price-answers`, `ce_deadline` the moment after which order-ingest no
/// longer waits (it then answers the site from the catalogue, marked indicative). The ERP
/// answers on `erp.price-answers` with the same record key and correlation id.
public struct ERPPriceQuery: BusMessage {
    /// "erp.price-query".
    public static let messageType = "erp.price-query"
    /// Version 1.
    public static let schemaVersion = 1
    /// A customer's price question for the ERP.
    public static let summary = "A customer's price question relayed to the ERP by order-ingest; the ERP answers on erp.price-answers with the same key and correlation id."

    /// The ERP account that buys.
    public var erpAccountCode: ERPAccountCode
    /// b2b: the contact person asking.
    public var erpContactID: ERPContactID?
    /// The account's price list, as the identity table gives it (absent: public prices).
    public var priceList: PriceListCode?
    /// The SKUs and quantities asked about.
    public var lines: [PriceQueryLine]

    /// A value with every field given; optional fields default to absent.
    public init(erpAccountCode: ERPAccountCode, erpContactID: ERPContactID? = nil, priceList: PriceListCode? = nil, lines: [PriceQueryLine]) {
        self.erpAccountCode = erpAccountCode
        self.erpContactID = erpContactID
        self.priceList = priceList
        self.lines = lines
    }

    private enum CodingKeys: String, CodingKey {
        case erpAccountCode = "erp_account_code"
        case erpContactID = "erp_contact_id"
        case priceList = "price_list"
        case lines
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("erp_account_code", .ref(.erpAccountCode), "The ERP account that buys."),
        .optional("erp_contact_id", .ref(.erpContactID), "b2b: the contact person asking."),
        .optional("price_list", .ref(.priceListCode), "The account's price list, as the identity table gives it (absent: public prices)."),
        .required("lines", .list(PriceQueryLine.schema, minimumCount: 1, maximumCount: PriceQuery.maximumLines), "The SKUs and quantities asked about, each SKU once.")
    )

    /// Each SKU is asked once.
    public func validate() -> [ValidationProblem] {
        PriceQueryLine.uniqueSKUs(lines)
    }
}
